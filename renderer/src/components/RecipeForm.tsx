/** The recipe: grayscale, resize, format, quality, naming, output folder, presets. */
import { useState, type ReactNode } from 'react';
import { COLLISIONS, FITS, OUTPUT_FORMATS } from '../../../common/job.js';
import { loadPresets, savePreset, type Problems, type Recipe } from '../recipe.js';
import { RecipeSteps } from './RecipeSteps.js';

interface Props {
  recipe: Recipe;
  problems: Problems;
  disabled: boolean;
  onChange: (r: Recipe) => void;
  onPickOutput: () => void;
}

function Field({ id, label, error, children }: { id: string; label: string; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      {error && (
        <span className="error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  );
}

/** Recipe form; problems from the common schema show beside their fields. */
export function RecipeForm({ recipe, problems, disabled, onChange, onPickOutput }: Props) {
  const [presets, setPresets] = useState(loadPresets);
  const [presetName, setPresetName] = useState('');
  const set = <K extends keyof Recipe>(k: K, v: Recipe[K]) => onChange({ ...recipe, [k]: v });
  const err = (k: keyof Problems) => problems[k];
  const aria = (id: string, k: keyof Problems) => (problems[k] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});

  return (
    <section aria-labelledby="recipe-h" className="card">
      <h2 id="recipe-h">Recipe</h2>
      <fieldset disabled={disabled}>
        <div className="grid">
          <div className="field check">
            <input id="gray" type="checkbox" checked={recipe.grayscale} onChange={(e) => set('grayscale', e.target.checked)} />
            <label htmlFor="gray">Grayscale</label>
          </div>
          <div className="field check">
            <input id="resize" type="checkbox" checked={recipe.resize} onChange={(e) => set('resize', e.target.checked)} />
            <label htmlFor="resize">Resize</label>
          </div>
          <Field id="width" label="Width" error={err('width')}>
            <input id="width" inputMode="numeric" disabled={!recipe.resize} value={recipe.width} onChange={(e) => set('width', e.target.value)} {...aria('width', 'width')} />
          </Field>
          <Field id="height" label="Height" error={err('height')}>
            <input id="height" inputMode="numeric" disabled={!recipe.resize} value={recipe.height} onChange={(e) => set('height', e.target.value)} {...aria('height', 'height')} />
          </Field>
          <Field id="fit" label="Fit" error={err('fit')}>
            <select id="fit" disabled={!recipe.resize} value={recipe.fit} onChange={(e) => set('fit', e.target.value as Recipe['fit'])}>
              {FITS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </Field>
          <div className="field check">
            <input id="noenlarge" type="checkbox" disabled={!recipe.resize} checked={recipe.noEnlarge} onChange={(e) => set('noEnlarge', e.target.checked)} />
            <label htmlFor="noenlarge">Never enlarge</label>
          </div>
          <Field id="format" label="Format" error={err('format')}>
            <select id="format" value={recipe.format} onChange={(e) => set('format', e.target.value as Recipe['format'])}>
              {OUTPUT_FORMATS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </Field>
          <Field id="quality" label="Quality" error={err('quality')}>
            <input id="quality" inputMode="numeric" value={recipe.quality} onChange={(e) => set('quality', e.target.value)} {...aria('quality', 'quality')} />
          </Field>
          <Field id="template" label="Naming" error={err('template')}>
            <input id="template" value={recipe.template} onChange={(e) => set('template', e.target.value)} {...aria('template', 'template')} />
          </Field>
          <Field id="collision" label="If the output exists" error={err('collision')}>
            <select id="collision" value={recipe.collision} onChange={(e) => set('collision', e.target.value as Recipe['collision'])}>
              {COLLISIONS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </Field>
        </div>
        <RecipeSteps steps={recipe.steps} fit={recipe.resize ? recipe.fit : null} problems={problems} onChange={(s) => set('steps', s)} />
        <Field id="output" label="Output folder" error={err('output')}>
          <div className="row">
            <input id="output" value={recipe.output} onChange={(e) => set('output', e.target.value)} {...aria('output', 'output')} />
            <button type="button" onClick={onPickOutput}>
              Choose…
            </button>
          </div>
        </Field>
      </fieldset>
      <div className="row presets">
        <label htmlFor="preset-name">Preset name</label>
        <input id="preset-name" value={presetName} onChange={(e) => setPresetName(e.target.value)} />
        <button type="button" disabled={!presetName.trim()} onClick={() => setPresets(savePreset(presetName.trim(), recipe))}>
          Save preset
        </button>
        <label htmlFor="preset-load">Presets</label>
        <select
          id="preset-load"
          value=""
          onChange={(e) => {
            const p = presets[e.target.value];
            if (p) {
              onChange({ ...p, output: p.output || recipe.output });
              setPresetName(e.target.value);
            }
          }}
        >
          <option value="">Load…</option>
          {Object.keys(presets).map((n) => (
            <option key={n}>{n}</option>
          ))}
        </select>
        <button type="button" disabled={!presets[presetName]} onClick={() => setPresets(savePreset(presetName, null))}>
          Delete preset
        </button>
      </div>
    </section>
  );
}
