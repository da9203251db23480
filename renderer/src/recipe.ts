/**
 * The recipe form: its values (strings, as typed), conversion to a JobSpec, and validation with
 * the common JobSpecSchema so that each problem is shown next to its field.
 */
import { FITS, COLLISIONS, JobSpecSchema, OUTPUT_FORMATS, type JobSpec, type JobSpecInput } from '../../common/job.js';
import { InvalidOptionsError, parseOrThrow } from '../../common/validate.js';
import { DEFAULT_STEPS, STEP_FIELD_OF, stepsSpec, type StepField, type StepsForm } from './recipe-steps.js';

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
  collision: Collision;
  output: string;
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
  collision: 'skip',
  output: '',
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
    output: r.output.trim(),
    ops: {
      grayscale: r.grayscale,
      ...(r.resize ? { resize: { width: num(r.width), height: num(r.height), fit: r.fit, withoutEnlargement: r.noEnlarge, ...steps.resize } } : {}),
      ...steps.ops,
    },
    ...steps.top,
    format: r.format,
    quality: num(r.quality),
    naming: { template: r.template, collision: r.collision },
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

/** Validate the form; returns the spec or the problems by field. */
export function validate(r: Recipe, inputs: string[], workers: number): { spec: JobSpec; problems: null } | { spec: null; problems: Problems } {
  try {
    const spec = parseOrThrow(JobSpecSchema, toSpecInput(r, inputs, workers) as JobSpecInput);
    return { spec, problems: null };
  } catch (err) {
    if (!(err instanceof InvalidOptionsError)) throw err;
    return { spec: null, problems: problemsOf(err.problems) };
  }
}

/** Field problems as sentences, keyed by form field. */
export function problemsOf(list: { field: string; expected: string; received: string }[]): Problems {
  const out: Problems = {};
  for (const p of list) {
    const key = fieldOf(p.field);
    const text = p.field === 'inputs' && p.received === '[]' ? 'add at least one folder' : `expected ${p.expected}, received ${p.received}`;
    out[key] = out[key] ? `${out[key]}; ${text}` : text;
  }
  return out;
}

const PRESETS_KEY = 'photopool.presets';

/** Saved presets by name (localStorage). */
export function loadPresets(): Record<string, Recipe> {
  try {
    const raw = JSON.parse(localStorage.getItem(PRESETS_KEY) ?? '{}') as Record<string, Partial<Recipe>>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, { ...DEFAULT_RECIPE, ...v }]));
  } catch {
    return {};
  }
}

/** Save (or with `recipe` null, delete) a preset. */
export function savePreset(name: string, recipe: Recipe | null): Record<string, Recipe> {
  const all = loadPresets();
  if (recipe) all[name] = recipe;
  else delete all[name];
  localStorage.setItem(PRESETS_KEY, JSON.stringify(all));
  return all;
}
