/** The recipe (size, look, format, naming, presets) and the output folder, in groups that read top to bottom. */
import { useState } from 'react';
import { Field } from './Field.js';
import type { FolderInfo } from '../../../common/contract.js';
import { FITS, OUTPUT_FORMATS } from '../../../common/job.js';
import { outputRelation, type Problems, type Recipe } from '../recipe.js';
import { presetForms, storePreset } from '../settings.js';
import { NamingFields } from './NamingFields.js';
import { RecipeSteps } from './RecipeSteps.js';

interface Props {
  recipe: Recipe;
  problems: Problems;
  disabled: boolean;
  /** The added inputs (to explain an output folder inside one). */
  inputs: FolderInfo[];
  onChange: (r: Recipe) => void;
  onPickOutput: () => void;
}

/** Recipe form; problems show beside their fields as the person types. */
export function RecipeForm({ recipe, problems, disabled, onChange }: Omit<Props, 'inputs' | 'onPickOutput'>) {
  const [presets, setPresets] = useState(presetForms);
  const [presetName, setPresetName] = useState('');
  const set = <K extends keyof Recipe>(k: K, v: Recipe[K]) => onChange({ ...recipe, [k]: v });
  const err = (k: keyof Problems) => problems[k];
  const aria = (id: string, k: keyof Problems) => (problems[k] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});

  return (
    <section aria-labelledby="recipe-h" className="card recipe">
        <h2 id="recipe-h">Recipe</h2>
        <fieldset disabled={disabled}>
          <div className="group">
            <div className="field check">
              <input id="resize" type="checkbox" checked={recipe.resize} onChange={(e) => set('resize', e.target.checked)} />
              <label htmlFor="resize">Resize to fit a box</label>
            </div>
            <div className="size-row">
              <Field id="width" label="Width">
                <input id="width" inputMode="numeric" disabled={!recipe.resize} value={recipe.width} onChange={(e) => set('width', e.target.value)} {...aria('width', 'width')} />
              </Field>
              <span className="times" aria-hidden="true">
                ×
              </span>
              <Field id="height" label="Height">
                <input id="height" inputMode="numeric" disabled={!recipe.resize} value={recipe.height} onChange={(e) => set('height', e.target.value)} {...aria('height', 'height')} />
              </Field>
              <Field id="fit" label="Fit" error={err('fit')}>
                <select id="fit" disabled={!recipe.resize} value={recipe.fit} onChange={(e) => set('fit', e.target.value as Recipe['fit'])}>
                  {FITS.map((f) => (
                    <option key={f}>{f}</option>
                  ))}
                </select>
              </Field>
            </div>
            {(['width', 'height'] as const).map((k) =>
              err(k) ? (
                <p className="error" id={`${k}-error`} role="alert" key={k}>
                  {err(k)}
                </p>
              ) : null,
            )}
            <div className="row">
              <div className="field check">
                <input id="noenlarge" type="checkbox" disabled={!recipe.resize} checked={recipe.noEnlarge} onChange={(e) => set('noEnlarge', e.target.checked)} />
                <label htmlFor="noenlarge">Never enlarge</label>
              </div>
              <div className="field check">
                <input id="gray" type="checkbox" checked={recipe.grayscale} onChange={(e) => set('grayscale', e.target.checked)} />
                <label htmlFor="gray">Grayscale</label>
              </div>
            </div>
          </div>
          <div className="group format-row">
            <Field id="format" label="Format" error={err('format')}>
              <select id="format" value={recipe.format} onChange={(e) => set('format', e.target.value as Recipe['format'])}>
                {OUTPUT_FORMATS.map((f) => (
                  <option key={f} value={f}>
                    {f === 'same' ? 'same as input' : f}
                  </option>
                ))}
              </select>
            </Field>
            <Field id="quality" label="Quality" error={err('quality')}>
              <input id="quality" inputMode="numeric" value={recipe.quality} onChange={(e) => set('quality', e.target.value)} {...aria('quality', 'quality')} />
            </Field>
          </div>
          <NamingFields recipe={recipe} problems={problems} onChange={onChange} />
          <RecipeSteps steps={recipe.steps} fit={recipe.resize ? recipe.fit : null} problems={problems} onChange={(s) => set('steps', s)} />
        </fieldset>
        <div className="presets">
          <div className="row">
            <label htmlFor="preset-load">Presets</label>
            <select
              id="preset-load"
              value=""
              disabled={disabled}
              onChange={(e) => {
                const p = presets[e.target.value];
                if (p) {
                  onChange({ ...p, output: recipe.output, besideInput: recipe.besideInput, preset: e.target.value });
                  setPresetName(e.target.value);
                }
              }}
            >
              <option value="">{Object.keys(presets).length ? 'Load…' : 'none saved yet'}</option>
              {Object.keys(presets).map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </div>
          <div className="row">
            <label htmlFor="preset-name">Preset name</label>
            <input id="preset-name" size={12} value={presetName} onChange={(e) => setPresetName(e.target.value)} />
            <button
              type="button"
              disabled={!presetName.trim()}
              onClick={() => {
                setPresets(storePreset(presetName.trim(), recipe));
                onChange({ ...recipe, preset: presetName.trim() });
              }}
            >
              Save preset
            </button>
            <button type="button" disabled={!presets[presetName]} onClick={() => setPresets(storePreset(presetName, null))}>
              Delete preset
            </button>
          </div>
        </div>
    </section>
  );
}

/** The output folder, with what it means for the inputs (inside one: left out of the scan). */
export function OutputForm({ recipe, problems, disabled, inputs, onChange, onPickOutput }: Omit<Props, 'problems'> & { problems: Problems }) {
  const err = (k: keyof Problems) => problems[k];
  const aria = (id: string, k: keyof Problems) => (problems[k] ? { 'aria-invalid': true, 'aria-describedby': `${id}-error` } : {});
  const set = (v: string) => onChange({ ...recipe, output: v });
  const relation = outputRelation(recipe.output, inputs.map((f) => f.path));
  return (
      <section aria-labelledby="output-h" className="card">
        <h2 id="output-h">Output</h2>
        <fieldset disabled={disabled}>
          <Field id="output" label="Output folder" error={recipe.besideInput ? undefined : (err('output') ?? (relation && 'error' in relation ? relation.error : undefined))}>
            <div className="row nowrap">
              <input id="output" className="grow" placeholder="chosen when you add photos" disabled={recipe.besideInput} value={recipe.output} onChange={(e) => set(e.target.value)} {...aria('output', 'output')} />
              <button type="button" disabled={recipe.besideInput} onClick={onPickOutput}>
                Choose…
              </button>
            </div>
          </Field>
          <div className="field check">
            <input id="beside-input" type="checkbox" checked={recipe.besideInput} onChange={(e) => onChange({ ...recipe, besideInput: e.target.checked })} {...aria('beside-input', 'besideInput')} />
            <label htmlFor="beside-input">Write outputs beside each input</label>
          </div>
          {err('besideInput') && (
            <p className="error" id="beside-input-error" role="alert">
              {err('besideInput')}
            </p>
          )}
          {recipe.besideInput && (
            <p className="muted" data-testid="beside-note">
              Each output is written into its input’s own folder, named by Naming and Suffix; the output folder above is not used.
            </p>
          )}
          {!recipe.besideInput && relation && 'note' in relation && (
            <p className="muted" data-testid="output-note">
              {relation.note}
            </p>
          )}
          <p className="muted">Originals are never changed; each output is written whole or not at all.</p>
        </fieldset>
      </section>
  );
}
