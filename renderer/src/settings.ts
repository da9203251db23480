/**
 * The form's side of the shared settings file (common/settings.ts, kept by the app side): the
 * last recipe, the last output folder and the presets, loaded once before the UI renders and
 * saved through the API on change (the file outlives the page, the port and the app).
 */
import type { PhotoPoolApi } from '../../common/contract.js';
import type { RecipeInput, Settings, SettingsPatch } from '../../common/settings.js';
import { DEFAULT_RECIPE, type Recipe as FormRecipe } from './recipe.js';

let api: PhotoPoolApi<File> | null = null;
let current: Settings | null = null;

/** Load the settings (before the first render); without them the form starts from its defaults. */
export async function initSettings(a: PhotoPoolApi<File>): Promise<void> {
  api = a;
  try {
    const r = await a.getSettings({});
    current = r.settings; // a corrupt file's problem is reported by the app side (stderr, dialog)
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
    collision: r.naming?.collision ?? DEFAULT_RECIPE.collision,
    output,
  };
}

const whole = (s: string) => (/^\s*\d+\s*$/.test(s) ? Number(s) : undefined);

/** The form as a recipe to store (fields still being typed are left out: the schema's defaults apply). */
export function fromForm(f: FormRecipe): RecipeInput {
  const width = whole(f.width);
  const height = whole(f.height);
  const quality = whole(f.quality);
  return {
    ops: { grayscale: f.grayscale, ...(f.resize && (width || height) ? { resize: { width, height, fit: f.fit, withoutEnlargement: f.noEnlarge } } : {}) },
    format: f.format,
    ...(quality && quality <= 100 ? { quality } : {}),
    naming: { template: f.template.includes('{name}') ? f.template : DEFAULT_RECIPE.template, collision: f.collision },
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

/** Remember the folders of a batch that started. */
export function rememberBatch(inputs: string[], output: string): void {
  save({ lastInputs: inputs, lastOutput: output });
}

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
