/**
 * The form's side of the shared settings file (common/settings.ts, kept by the app side): the
 * last recipe, the last output folder and the presets, loaded once before the UI renders and
 * saved through the API on change (the file outlives the page, the port and the app).
 */
import type { PhotoPoolApi } from '../../common/contract.js';
import type { RecipeInput, Settings, SettingsPatch } from '../../common/settings.js';
import { checkNaming } from './naming.js';
import { DEFAULT_RECIPE, type Recipe as FormRecipe } from './recipe.js';
import { checkSteps, DEFAULT_STEPS, stepsForm, stepsSpec } from './recipe-steps.js';

let api: PhotoPoolApi<File> | null = null;
let current: Settings | null = null;
let problem: string | null = null;

/** Load the settings (before the first render); without them the form starts from its defaults. */
export async function initSettings(a: PhotoPoolApi<File>): Promise<void> {
  api = a;
  try {
    const r = await a.getSettings({});
    current = r.settings;
    problem = r.problem; // a corrupt file was set aside: the page says so (settingsProblem)
  } catch {
    current = null;
  }
}

let timer: ReturnType<typeof setTimeout> | undefined;
let queued: SettingsPatch = {};
/** Save `patch` (coalesced over 300 ms: typing does not write the file per key). */
function save(patch: SettingsPatch): void {
  if (!api || !current) return;
  Object.assign(current, patch);
  queued = { ...queued, ...patch };
  clearTimeout(timer);
  timer = setTimeout(() => {
    const p = queued;
    queued = {};
    void api!.saveSettings({ patch: p }).catch(() => undefined);
  }, 300);
}

const str = (n: number | undefined) => (n === undefined ? '' : String(n));

/** A stored recipe as form values (the output folder is not part of a recipe). */
export function toForm(r: RecipeInput, output = ''): FormRecipe {
  const resize = r.ops?.resize;
  return {
    ...DEFAULT_RECIPE,
    grayscale: r.ops?.grayscale ?? false,
    resize: !!resize,
    width: resize ? str(resize.width) : DEFAULT_RECIPE.width,
    height: resize ? str(resize.height) : DEFAULT_RECIPE.height,
    fit: resize?.fit ?? DEFAULT_RECIPE.fit,
    noEnlarge: resize?.withoutEnlargement ?? true,
    format: r.format ?? 'same',
    quality: str(r.quality ?? 80),
    template: r.naming?.template ?? DEFAULT_RECIPE.template,
    suffix: r.naming?.suffix ?? '',
    collision: r.naming?.collision ?? DEFAULT_RECIPE.collision,
    output,
    steps: stepsForm(r),
  };
}

const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : undefined);

/**
 * The form as a recipe to store (fields still being typed are left out: the schema's defaults
 * apply). Where outputs go (folder, beside the inputs) is not part of a recipe.
 */
export function fromForm(f: FormRecipe): RecipeInput {
  const width = whole(f.width);
  const height = whole(f.height);
  const quality = whole(f.quality);
  const naming = checkNaming({ ...f, besideInput: false, preset: f.preset || 'any' });
  const steps = { ...DEFAULT_STEPS, ...f.steps };
  const s = Object.keys(checkSteps(steps)).length ? null : stepsSpec(steps, f.fit);
  return {
    ops: { grayscale: f.grayscale, ...(f.resize && (width || height) ? { resize: { width, height, fit: f.fit, withoutEnlargement: f.noEnlarge, ...s?.resize } } : {}), ...s?.ops },
    format: f.format,
    ...(quality && quality <= 100 ? { quality } : {}),
    naming: { template: naming.template ? DEFAULT_RECIPE.template : f.template.trim(), collision: f.collision, ...(f.suffix && !naming.suffix && { suffix: f.suffix }) },
    ...s?.top,
  };
}

/**
 * The recipe form as it was last, or the defaults. The output folder starts empty: it follows
 * the inputs (`<input>-photopool`), or for dropped files the last output folder ({@link lastOutput}).
 */
export function savedForm(): FormRecipe {
  return current?.recipe ? toForm(current.recipe) : { ...DEFAULT_RECIPE };
}

/** Remember the form's recipe. */
export function rememberForm(f: FormRecipe): void {
  save({ recipe: fromForm(f) as Settings['recipe'] });
}

/**
 * Remember the folders and worker count of a batch that started (`output` null: outputs beside
 * the inputs or dropped files, the last output folder stays). Pass only folders that outlive the
 * session (not the staging folders of dropped files).
 */
export function rememberBatch(inputs: string[], output: string | null, workers: number): void {
  save({ lastInputs: inputs, ...(output && { lastOutput: output }), workers });
}

/** Remember the worker count the person chose. */
export function rememberWorkers(workers: number): void {
  save({ workers });
}

/** The worker count last chosen, or null (one per core). */
export const savedWorkers = (): number | null => current?.workers ?? null;

/** The input folders of the last batch (restored when the page opens on an empty session). */
export const lastInputs = (): string[] => current?.lastInputs ?? [];

/** Why the settings file could not be used (it was set aside, the defaults apply), or null. */
export const settingsProblem = (): string | null => problem;

/** The output folder the person last chose, or null. */
export const lastOutput = (): string | null => current?.lastOutput ?? null;

/** Saved presets as form values. */
export function presetForms(): Record<string, FormRecipe> {
  return Object.fromEntries(Object.entries(current?.presets ?? {}).map(([name, r]) => [name, toForm(r)]));
}

/** Save (or with `form` null, delete) a preset; returns them all. */
export function storePreset(name: string, form: FormRecipe | null): Record<string, FormRecipe> {
  const presets = { ...(current?.presets ?? {}) };
  if (form) presets[name] = fromForm(form) as Settings['presets'][string];
  else delete presets[name];
  save({ presets });
  return presetForms();
}
