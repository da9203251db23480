/**
 * The recipe form: its values (strings, as typed), conversion to a JobSpec, and validation with
 * the common JobSpecSchema so that each problem is shown next to its field.
 */
import { FITS, COLLISIONS, JobSpecSchema, OUTPUT_FORMATS, type JobSpec, type JobSpecInput } from '../../common/job.js';
import { InvalidOptionsError, parseOrThrow } from '../../common/validate.js';
import { PreviewJobSchema, type PreviewJob } from '../../common/contract.js';
import { checkNaming } from './naming.js';
import { checkSteps, DEFAULT_STEPS, STEP_FIELD_OF, stepsSpec, type StepField, type StepsForm } from './recipe-steps.js';

export type Fit = (typeof FITS)[number];
export type Collision = (typeof COLLISIONS)[number];
export type Format = (typeof OUTPUT_FORMATS)[number];

export interface Recipe {
  grayscale: boolean;
  resize: boolean;
  width: string;
  height: string;
  fit: Fit;
  noEnlarge: boolean;
  format: Format;
  quality: string;
  template: string;
  /** Added after the file name (`_web`); '' for none. */
  suffix: string;
  collision: Collision;
  output: string;
  /** Write each output next to its input (the output folder is not used). */
  besideInput: boolean;
  /** Name of the preset the recipe was loaded from or saved as ('' for none): the `{preset}` token. */
  preset: string;
  /** Target size, sharpen, pad/crop, watermark, metadata (recipe-steps.ts). */
  steps: StepsForm;
}

export const DEFAULT_RECIPE: Recipe = {
  grayscale: true,
  resize: true,
  width: '1024',
  height: '1024',
  fit: 'inside',
  noEnlarge: true,
  format: 'jpeg',
  quality: '80',
  template: '{dir}/{name}.{ext}',
  suffix: '',
  collision: 'skip',
  output: '',
  besideInput: false,
  preset: '',
  steps: DEFAULT_STEPS,
};

/** Form fields a problem can be attached to. */
export type FieldKey = keyof Recipe | StepField | 'inputs' | 'workers' | 'form';

const FIELD_OF: Record<string, FieldKey> = {
  'ops.resize.width': 'width',
  'ops.resize.height': 'height',
  'ops.resize.fit': 'fit',
  'ops.resize': 'width',
  'ops.grayscale': 'grayscale',
  format: 'format',
  quality: 'quality',
  'naming.template': 'template',
  'naming.suffix': 'suffix',
  besideInput: 'besideInput',
  preset: 'template',
  'naming.collision': 'collision',
  output: 'output',
  inputs: 'inputs',
  workers: 'workers',
  ...STEP_FIELD_OF,
};

const num = (s: string): number | string | undefined => (s.trim() === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : s);

/** The spec the form describes (not validated). */
export function toSpecInput(r: Recipe, inputs: string[], workers: number): Record<string, unknown> {
  const steps = stepsSpec({ ...DEFAULT_STEPS, ...r.steps }, r.fit);
  return {
    inputs,
    ...(r.besideInput ? { besideInput: true } : { output: r.output.trim() }),
    ...(r.preset.trim() && { preset: r.preset.trim() }),
    ops: {
      grayscale: r.grayscale,
      ...(r.resize ? { resize: { width: num(r.width), height: num(r.height), fit: r.fit, withoutEnlargement: r.noEnlarge, ...steps.resize } } : {}),
      ...steps.ops,
    },
    ...steps.top,
    format: r.format,
    quality: num(r.quality),
    naming: { template: r.template, collision: r.collision, ...(r.suffix && { suffix: r.suffix }) },
    workers,
  };
}

/** Map a problem's dotted field (from parseOrThrow) to the form field showing it. */
export function fieldOf(field: string): FieldKey {
  if (field.startsWith('spec.')) field = field.slice(5);
  if (FIELD_OF[field]) return FIELD_OF[field]!;
  const prefix = Object.keys(FIELD_OF).find((k) => field.startsWith(k + '.'));
  return prefix ? FIELD_OF[prefix]! : 'form';
}

export type Problems = Partial<Record<FieldKey, string>>;

/** Validate the form; returns the spec or the problems by field (in plain words). */
export function validate(r: Recipe, inputs: string[], workers: number): { spec: JobSpec; problems: null } | { spec: null; problems: Problems } {
  const plain = checkRecipe(r);
  if (Object.keys(plain).length) return { spec: null, problems: plain };
  try {
    const spec = parseOrThrow(JobSpecSchema, toSpecInput(r, inputs, workers) as JobSpecInput);
    return { spec, problems: null };
  } catch (err) {
    if (!(err instanceof InvalidOptionsError)) throw err;
    return { spec: null, problems: problemsOf(err.problems) };
  }
}

const whole = (s: string) => /^\s*\d+\s*$/.test(s);
const inRange = (s: string, min: number, max: number) => whole(s) && Number(s) >= min && Number(s) <= max;

/**
 * The recipe's problems in plain words, by field, as the person types (empty when all is well).
 * An empty output folder is not a problem here: Convert says it is missing.
 *
 * @example
 * checkRecipe({ ...DEFAULT_RECIPE, width: '0' }).width // 'Width must be a whole number of pixels, 1 or more.'
 */
export function checkRecipe(r: Recipe): Problems {
  const out: Problems = {};
  if (r.resize) {
    for (const k of ['width', 'height'] as const) {
      const v = r[k].trim();
      const name = k === 'width' ? 'Width' : 'Height';
      if (v && !inRange(v, 1, 65535)) out[k] = whole(v) && Number(v) > 65535 ? `${name} can be at most 65535 pixels.` : `${name} must be a whole number of pixels, 1 or more.`;
    }
    if (!r.width.trim() && !r.height.trim()) out.width = 'Give a width, a height or both (or untick Resize).';
  }
  if (r.format !== 'png' && !inRange(r.quality.trim(), 1, 100)) out.quality = 'Quality must be a whole number from 1 (smallest files) to 100 (best quality).';
  Object.assign(out, checkNaming(r));
  const o = r.output.trim();
  if (o && !r.besideInput && !/^(\/|[a-zA-Z]:[\\/]|\\\\)/.test(o)) out.output = 'The output folder must be a full path, e.g. /home/me/Pictures/converted.';
  return { ...out, ...checkSteps({ ...DEFAULT_STEPS, ...r.steps }) };
}

const within = (child: string, parent: string) => {
  const norm = (p: string) => p.replace(/[\\/]+$/, '') + '/';
  return norm(child.replace(/\\/g, '/')).startsWith(norm(parent.replace(/\\/g, '/')));
};

/**
 * How the output folder relates to the inputs: an error when it is an input or holds one, a
 * note when it lies inside one (the scan leaves it out), else null.
 */
export function outputRelation(output: string, inputs: string[]): { error: string } | { note: string } | null {
  const o = output.trim();
  if (!o) return null;
  const holds = inputs.find((i) => within(i, o));
  if (holds) return { error: `The output folder ${o === holds ? 'is' : 'contains'} the input ${holds}: choose a folder outside it, so no input is ever overwritten.` };
  const inside = inputs.find((i) => within(o, i));
  if (inside) return { note: `The output folder is inside the input ${inside}: it is left out of the scan, so outputs are never converted again.` };
  return null;
}

/** Field problems from the app (schema terms) as sentences, keyed by form field. */
export function problemsOf(list: { field: string; expected: string; received: string; message?: string }[]): Problems {
  const out: Problems = {};
  for (const p of list) {
    const key = fieldOf(p.field);
    const text = p.field === 'inputs' && p.received === '[]' ? 'Add at least one folder or some photos.' : `Expected ${p.expected}, got ${p.received}.`;
    out[key] = out[key] ? `${out[key]} ${text}` : text;
  }
  return out;
}

/** What Convert needs to know to say why it cannot run. */
export interface ConvertContext {
  engineAlive: boolean;
  benchRunning: boolean;
  folders: { path: string; label?: string; error?: string; done: boolean; files: number }[];
  recipe: Recipe;
  problems: Problems;
}

const parentOf = (p: string) => p.replace(/[\\/][^\\/]*[\\/]?$/, '');

/**
 * Why Convert is disabled, in plain words, or null when it can run.
 *
 * @example
 * blockedReason({ engineAlive: true, benchRunning: false, folders: [], recipe: DEFAULT_RECIPE, problems: {} }) // 'Add photos first: …'
 */
export function blockedReason(c: ConvertContext): string | null {
  if (!c.engineAlive) return 'The engine is not running: restart it first.';
  if (c.benchRunning) return 'A comparison is running: wait for it or cancel it in Compare.';
  if (!c.folders.length) return 'Add photos first: drop a folder or photos, or type a folder path.';
  const missing = c.folders.find((f) => f.error);
  if (missing) return `${missing.label ?? missing.path} cannot be read (${missing.error}): remove it or fix the path.`;
  if (c.folders.every((f) => f.done && f.files === 0)) return 'The added folders hold no files.';
  const output = c.recipe.output.trim();
  if (!output && !c.recipe.besideInput) return 'Choose an output folder.';
  const fields = Object.entries(c.problems).filter(([, v]) => v);
  if (fields.length) return `Fix the marked field${fields.length > 1 ? 's' : ''} first: ${fields.map(([, v]) => v).join(' ')}`;
  if (c.recipe.besideInput) {
    // outputs go next to their inputs: no output folder to check, but dropped files live in staging
    if (c.folders.some((f) => f.label)) return 'Dropped photos are in a temporary upload folder that is deleted when PhotoPool stops: untick “Write outputs beside each input” and choose an output folder.';
    return null;
  }
  const relation = outputRelation(output, c.folders.map((f) => f.path));
  if (relation && 'error' in relation) return relation.error;
  const staging = c.folders.filter((f) => f.label).map((f) => parentOf(f.path));
  if (staging.some((s) => within(output, s))) return 'The output folder is inside the temporary upload folder, which is deleted when PhotoPool stops: choose another folder.';
  return null;
}

/** The recipe's pixel and encoding part for previews and estimates, or null while it has problems. */
export function previewJobOf(r: Recipe): PreviewJob | null {
  if (Object.keys(checkRecipe(r)).length) return null;
  const { ops, format, quality } = toSpecInput(r, [], 1);
  const parsed = PreviewJobSchema.safeParse({ ops, format, quality });
  return parsed.success ? parsed.data : null;
}
