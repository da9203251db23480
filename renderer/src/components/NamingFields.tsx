/** Output names: the template with a short token help and an example, the suffix, and what to do when the output exists. */
import { COLLISIONS } from '../../../common/job.js';
import { exampleName, TOKENS, type ExampleInput } from '../naming.js';
import type { Problems, Recipe } from '../recipe.js';
import { Field } from './Field.js';

const COLLISION_TEXT: Record<Recipe['collision'], string> = { skip: 'skip it', 'overwrite-output': 'replace it', rename: 'keep both (name-1)' };

/** The photo the example name is made for (said in the help, so nothing looks like real data). */
const EXAMPLE: ExampleInput = { dir: 'trip', file: 'IMG_0042.HEIC', time: { Y: '2024', m: '07', d: '01', H: '09', M: '05', S: '00' }, width: 1024, height: 768 };

interface Props {
  recipe: Recipe;
  problems: Problems;
  onChange: (r: Recipe) => void;
}

/** Naming, Suffix and "If the output exists"; problems in plain words beside their fields. */
export function NamingFields({ recipe, problems, onChange }: Props) {
  const set = <K extends keyof Recipe>(k: K, v: Recipe[K]) => onChange({ ...recipe, [k]: v });
  const aria = (id: string, k: keyof Problems, help?: string) => ({
    'aria-describedby': [problems[k] && `${id}-error`, help].filter(Boolean).join(' ') || undefined,
    ...(problems[k] ? { 'aria-invalid': true } : {}),
  });
  const example = problems.template || problems.suffix ? null : exampleName({ ...recipe, preset: recipe.preset || 'web' }, EXAMPLE);
  return (
    <div className="group naming">
      <div className="naming-row">
        <Field id="template" label="Naming" error={problems.template} className="wide">
          <input id="template" value={recipe.template} onChange={(e) => set('template', e.target.value)} {...aria('template', 'template', 'template-help')} />
        </Field>
        <Field id="suffix" label="Suffix" error={problems.suffix}>
          <input id="suffix" size={8} placeholder="e.g. _web" value={recipe.suffix} onChange={(e) => set('suffix', e.target.value)} {...aria('suffix', 'suffix')} />
        </Field>
        <Field id="collision" label="If the output exists" error={problems.collision}>
          <select id="collision" value={recipe.collision} onChange={(e) => set('collision', e.target.value as Recipe['collision'])}>
            {COLLISIONS.map((f) => (
              <option key={f} value={f}>
                {COLLISION_TEXT[f]}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <details className="token-help">
        <summary>Naming tokens</summary>
        <dl id="template-help" data-testid="token-help">
          {TOKENS.map((t) => (
            <div key={t.token}>
              <dt>
                <code>{t.token}</code>
              </dt>
              <dd>{t.text}</dd>
            </div>
          ))}
        </dl>
      </details>
      {example && (
        <p className="muted" data-testid="naming-example">
          e.g. {EXAMPLE.dir}/{EXAMPLE.file} (taken 2024-07-01 09:05, output 1024×768{recipe.template.includes('{preset}') ? `, preset “${recipe.preset || 'web'}”` : ''}) → <code>{example}</code>
        </p>
      )}
    </div>
  );
}
