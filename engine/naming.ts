/**
 * In-batch name clashes: inputs of one folder whose outputs would share a path (`photo.gif`,
 * `photo.webp` and `photo.png` all becoming `photo.jpg`; `Photo.png` and `photo.jpg` on an
 * output file system that folds case).
 *
 * The rule (one, deterministic, decided per input folder from that folder's listing, so the
 * same names come out however the scan is ordered, while it streams, on resume and in the UI):
 * 1. The members of a folder are its regular, non-hidden files with an image extension.
 *    Each member's output name is predicted from its extension (`--format same` maps the
 *    extension's format as the planner does) and the template's `{name}` and `{ext}`.
 * 2. Members whose predicted names are equal (after case folding when the output file system
 *    folds case) form a clash group.
 * 3. In a group, the one member already in the output's format (`photo.jpg` or `photo.jpeg`
 *    for a JPEG output) keeps the plain name; every other member's `{name}` becomes its whole
 *    input file name: `photo.jpg`, `photo.gif.jpg`, `photo.webp.jpg`. When no member or more
 *    than one is in the output's format, all of them take their whole input file name.
 * What the listing cannot predict (a file whose content is not what its extension says, a file
 * without an extension, templates that flatten folders) is caught by the planner's claim list:
 * the later input gets a numbered name (`photo-1.jpg`), recorded in the journal for resume.
 */
import { promises as fs } from 'node:fs';
import type { EncodeFormat, InputFormat } from '../common/task.js';
import { foldName } from './case-fold.js';
import { hasImageExtension } from './sniff.js';

/** Extension written for each output format. */
export const EXTENSIONS: Record<EncodeFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tif' };

/** Format guessed from a file name's extension (for predictions only; content decides the real one). */
const BY_EXTENSION: Record<string, InputFormat> = {
  jpg: 'jpeg', jpeg: 'jpeg', jpe: 'jpeg', jfif: 'jpeg', png: 'png', webp: 'webp', gif: 'gif', tif: 'tiff', tiff: 'tiff',
  avif: 'avif', heic: 'heif', heif: 'heif', hif: 'heif', svg: 'svg', jxl: 'jxl', bmp: 'bmp', dib: 'bmp', ico: 'ico', cur: 'ico',
  dng: 'raw', cr2: 'raw', cr3: 'raw', nef: 'raw', nrw: 'raw', arw: 'raw', raf: 'raw', orf: 'raw', rw2: 'raw', pef: 'raw', srw: 'raw',
};

/** What the rule decided for one member of a clash group. */
export interface Clash {
  /** Value of `{name}` for this input: its stem, or its whole file name. */
  name: string;
  /** Why, for the summary: "photo.gif, photo.png and photo.webp would all be photo.jpg". */
  reason: string;
}

const extOf = (file: string) => {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(dot + 1) : '';
};
const stemOf = (file: string) => {
  const dot = file.lastIndexOf('.');
  return dot > 0 ? file.slice(0, dot) : file;
};

function listText(names: string[]): string {
  return names.length === 2 ? `${names[0]} and ${names[1]}` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/**
 * Apply the rule to a folder's file names: the clash decisions, keyed by file name (files in no
 * clash are absent).
 *
 * @example
 * clashesIn(['photo.gif', 'photo.png', 'photo.jpg'], (f) => 'jpeg', '{name}.{ext}', false)
 * // Map { 'photo.gif' => { name: 'photo.gif', ... }, 'photo.png' => { name: 'photo.png', ... }, 'photo.jpg' => { name: 'photo', ... } }
 */
export function clashesIn(
  files: string[],
  outputFormatOf: (input: InputFormat | undefined) => EncodeFormat,
  template: string,
  foldsCase: boolean,
): Map<string, Clash> {
  const groups = new Map<string, { file: string; ext: string; plain: string }[]>();
  for (const file of files) {
    const ext = EXTENSIONS[outputFormatOf(BY_EXTENSION[extOf(file).toLowerCase()])];
    const plain = template.replaceAll('{dir}/', '').replaceAll('{dir}', '').replaceAll('{name}', stemOf(file)).replaceAll('{ext}', ext);
    const key = foldsCase ? foldName(plain) : plain;
    const group = groups.get(key);
    if (group) group.push({ file, ext, plain });
    else groups.set(key, [{ file, ext, plain }]);
  }
  const out = new Map<string, Clash>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    group.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    const inFormat = group.filter((m) => BY_EXTENSION[extOf(m.file).toLowerCase()] === BY_EXTENSION[m.ext]);
    const keeper = inFormat.length === 1 ? inFormat[0]!.file : undefined;
    const reason = `${listText(group.map((m) => m.file))} would ${group.length === 2 ? 'both' : 'all'} be ${group[0]!.plain}${foldsCase && new Set(group.map((m) => m.plain)).size > 1 ? ' (the output folder ignores case)' : ''}`;
    for (const m of group) out.set(m.file, { name: m.file === keeper ? stemOf(m.file) : m.file, reason });
  }
  return out;
}

/**
 * List the folder `dir` and apply {@link clashesIn} to its members (regular, non-hidden files
 * with an image extension). An unreadable folder gives no clashes (the scan reports it).
 *
 * @example
 * const clashes = await folderClashes('/photos/trip', '{dir}/{name}.{ext}', () => 'jpeg', false);
 */
export async function folderClashes(dir: string, template: string, outputFormatOf: (input: InputFormat | undefined) => EncodeFormat, foldsCase: boolean): Promise<Map<string, Clash>> {
  let names: string[];
  try {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    names = entries.filter((e) => e.isFile() && !e.name.startsWith('.') && hasImageExtension(e.name)).map((e) => e.name);
  } catch {
    return new Map();
  }
  return clashesIn(names, outputFormatOf, template, foldsCase);
}
