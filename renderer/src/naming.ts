/**
 * Output naming in the form: the tokens a template takes (help text), its problems in plain
 * words as the person types, and an example name. Whether a token is allowed is the common
 * schema's answer (NamingSchema), so the form never accepts what the engine refuses.
 */
import { NamingSchema, SAME_FORMAT } from '../../common/job.js';
import type { InputFormat } from '../../common/task.js';

/** The tokens the help lists, with what each becomes. */
export const TOKENS: { token: string; text: string }[] = [
  { token: '{name}', text: 'file name without extension' },
  { token: '{counter:4}', text: 'number in scan order, 4 digits (0001)' },
  { token: '{date}', text: 'capture date, 2024-07-01 (else the file date)' },
  { token: '{exif-date:%Y%m%d_%H%M%S}', text: 'capture date and time in your format' },
  { token: '{width}', text: 'output width (file name only)' },
  { token: '{height}', text: 'output height (file name only)' },
  { token: '{preset}', text: 'name of the loaded preset' },
  { token: '{dir}', text: 'the input’s folder below its root' },
  { token: '{ext}', text: 'extension of the output format' },
];

/** The only template outputs beside their inputs take (engine/beside-input.ts). */
export const BESIDE_TEMPLATE = '{dir}/{name}.{ext}';

/** What the naming checks need from the form. */
export interface NamingForm {
  template: string;
  suffix: string;
  /** Name of the preset the recipe came from ('' when none). */
  preset: string;
  besideInput: boolean;
  format: string;
  collision: string;
}

const allowed = (token: string) => NamingSchema.shape.template.safeParse(`{name}${token}`).success;

/**
 * Problems of the naming fields in plain words, by field (empty when all is well).
 *
 * @example
 * checkNaming({ template: '{name}_{size}.{ext}', suffix: '', preset: '', besideInput: false, format: 'jpeg', collision: 'skip' }).template
 * // 'Naming: {size} is not a token. Tokens: {name} {counter:4} {date} …'
 */
export function checkNaming(f: NamingForm): { template?: string; suffix?: string; besideInput?: string } {
  const out: { template?: string; suffix?: string; besideInput?: string } = {};
  const t = f.template.trim();
  const unknown = (t.match(/\{[^}]*\}?/g) ?? []).find((tok) => !allowed(tok));
  if (!t.includes('{name}') && !t.includes('{counter')) out.template = 'Naming must contain {name} (the file name) or {counter} (a number), so that no two outputs get the same name.';
  else if (t.split(/[\\/]/).includes('..')) out.template = 'Naming must not contain "..": outputs stay inside the output folder.';
  else if (unknown) out.template = `Naming: ${unknown} is not a token. Tokens: ${TOKENS.map((x) => x.token).join(' ')}.`;
  else if (/\{(width|height)\}.*[\\/]/.test(t)) out.template = 'Naming: {width} and {height} can be in the file name only, not in a folder name.';
  else if (t.includes('{preset}') && !f.preset.trim()) out.template = 'Naming uses {preset}: load a preset from Presets first (or save this recipe as one).';
  else if (f.besideInput && t !== BESIDE_TEMPLATE) out.template = `Beside each input, Naming must be ${BESIDE_TEMPLATE}: tell the outputs apart with a suffix.`;
  if (f.suffix.length > 64) out.suffix = 'Suffix can be at most 64 characters.';
  else if (/[/\\{}]/.test(f.suffix)) out.suffix = 'Suffix must not contain /, \\, { or } (it is added to the file name).';
  if (f.besideInput && !f.suffix && f.format === 'same') out.besideInput = 'Beside each input needs a suffix (e.g. _web) or another format, so that no output takes an original’s name.';
  else if (f.besideInput && !f.suffix && f.collision === 'overwrite-output') out.besideInput = 'Beside each input without a suffix, “If the output exists” cannot be “replace it”: that file may be an original.';
  return out;
}

const EXT: Record<string, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tif' };
/** Input format by extension (the engine goes by content; for the example the name is enough). */
const FORMAT_OF: Record<string, InputFormat> = {
  jpg: 'jpeg', jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', tif: 'tiff', tiff: 'tiff', heic: 'heif', heif: 'heif', hif: 'heif',
  dng: 'raw', cr2: 'raw', cr3: 'raw', nef: 'raw', arw: 'raw', raf: 'raw', orf: 'raw', rw2: 'raw', jxl: 'jxl', bmp: 'bmp', ico: 'ico', gif: 'gif', svg: 'svg',
};

/** An example input for the naming help: where it is, when it was taken, its output size. */
export interface ExampleInput {
  /** Folder below the input root ('' at the root). */
  dir: string;
  /** File name with extension. */
  file: string;
  /** Capture time as Y m d H M S; null: the date tokens show their pattern (YYYY-MM-DD). */
  time: { Y: string; m: string; d: string; H: string; M: string; S: string } | null;
  width: number;
  height: number;
}

/**
 * The output name `f` gives `input` (the first file of the scan), as the engine would write it.
 *
 * @example
 * exampleName({ ...form, template: '{counter:4}_{name}.{ext}', suffix: '_web', format: 'jpeg' }, { dir: '', file: 'IMG_0042.HEIC', time: null, width: 1024, height: 768 })
 * // '0001_IMG_0042_web.jpg'
 */
export function exampleName(f: NamingForm, input: ExampleInput): string {
  const dot = input.file.lastIndexOf('.');
  const stem = dot > 0 ? input.file.slice(0, dot) : input.file;
  const own = dot > 0 ? input.file.slice(dot + 1).toLowerCase() : '';
  const same = FORMAT_OF[own];
  const ext = f.format === 'same' ? (same ? EXT[SAME_FORMAT[same]]! : own) : (EXT[f.format] ?? f.format);
  const when = input.time ?? { Y: 'YYYY', m: 'MM', d: 'DD', H: 'hh', M: 'mm', S: 'ss' };
  const fmt = (pattern: string) => pattern.replace(/%([YmdHMS%])/g, (_, k: string) => (k === '%' ? '%' : when[k as keyof typeof when]));
  const safePreset = f.preset.trim().replace(/[/\\:*?"<>|\u0000-\u001f]/g, '-');
  const name = f.template
    .trim()
    .replaceAll('{name}', `{name}${f.suffix}`)
    .replace(/\{counter(?::(\d+))?(?::(\d+))?\}/g, (_, pad?: string, start?: string) => String(Number(start ?? 1)).padStart(Number(pad ?? 0), '0'))
    .replace(/\{(date|exif-date)(?::([^}]*))?\}/g, (_, kind: string, p?: string) => fmt(p ?? (kind === 'date' ? '%Y-%m-%d' : '%Y%m%d_%H%M%S')))
    .replaceAll('{name}', stem)
    .replaceAll('{ext}', ext)
    .replaceAll('{width}', String(input.width))
    .replaceAll('{height}', String(input.height))
    .replaceAll('{preset}', safePreset)
    .replaceAll('{dir}', input.dir);
  return name.replace(/^[\\/]+/, '').replace(/[\\/]{2,}/g, '/');
}
