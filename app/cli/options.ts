/**
 * CLI flags -> JobSpecInput. Validation is the schema's; this file only reshapes flags and
 * maps schema fields back to the flag a person typed.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JobSpecInput } from '../../common/job.js';
import { InvalidOptionsError, type FieldProblem } from '../../common/validate.js';

export interface ConvertFlags {
  output?: string;
  besideInput?: boolean;
  gray?: boolean;
  resize?: string;
  fit?: string;
  enlarge?: boolean;
  kernel?: string;
  rotate?: boolean;
  format?: string;
  quality?: string;
  template?: string;
  suffix?: string;
  collision?: string;
  keepExif?: boolean;
  keepIcc?: boolean;
  keepMtime?: boolean;
  workers?: string;
  model?: string;
  maxPixels?: string;
  timeout?: string;
  maxMemory?: string;
  maxSize?: string;
  sharpen?: boolean;
  background?: string;
  gravity?: string;
  watermarkText?: string;
  watermarkImage?: string;
  watermarkPosition?: string;
  watermarkOpacity?: string;
  watermarkSize?: string;
  watermarkMargin?: string;
  metadata?: string;
}

/** Parse "1024x768", "1024" (width) or "x768" (height). */
export function parseBox(box: string): { width?: number; height?: number } {
  const m = /^(\d+)?(?:x(\d+)?)?$/i.exec(box.trim());
  if (!m || (!m[1] && !m[2])) {
    throw new InvalidOptionsError([{ field: '--resize', expected: 'WIDTHxHEIGHT, WIDTH or xHEIGHT in pixels (e.g. 1024x1024)', received: JSON.stringify(box) }]);
  }
  return { width: m[1] ? Number(m[1]) : undefined, height: m[2] ? Number(m[2]) : undefined };
}

/** A number flag as a number; garbage stays a string so the schema names it. */
const num = (s: string | undefined): number | string | undefined => (s === undefined ? undefined : /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : s);

/**
 * @example
 * toJobSpec(['photos'], { output: 'out', gray: true, resize: '1024x1024' })
 */
export function toJobSpec(inputs: string[], f: ConvertFlags): JobSpecInput {
  fitStepFlags(f);
  const resize = f.resize
    ? { ...parseBox(f.resize), fit: f.fit, withoutEnlargement: f.enlarge === undefined ? undefined : !f.enlarge, kernel: f.kernel, gravity: f.gravity, background: f.background }
    : undefined;
  const spec = {
    inputs,
    output: f.output,
    besideInput: f.besideInput,
    ops: { grayscale: !!f.gray, autoRotate: f.rotate !== false, resize, maxSize: f.maxSize, sharpen: f.sharpen, watermark: watermarkOf(f), metadata: f.metadata },
    format: f.format,
    quality: num(f.quality),
    naming: { template: f.template, collision: f.collision, suffix: f.suffix },
    keepExif: !!f.keepExif,
    keepIcc: !!f.keepIcc,
    keepMtime: !!f.keepMtime,
    workers: num(f.workers),
    model: f.model,
    limits: { maxPixels: num(f.maxPixels), timeoutSeconds: num(f.timeout), maxMemoryMiB: num(f.maxMemory) },
  };
  return JSON.parse(JSON.stringify(spec)) as JobSpecInput; // drop undefined: the schema fills defaults
}

/** The watermark flags as the schema's object; its options alone are refused, naming them. */
function watermarkOf(f: ConvertFlags): Record<string, unknown> | undefined {
  const options = { position: f.watermarkPosition, opacity: num(f.watermarkOpacity), size: num(f.watermarkSize), margin: num(f.watermarkMargin) };
  if (f.watermarkText === undefined && f.watermarkImage === undefined) {
    const [name, value] = Object.entries(options).find(([, v]) => v !== undefined) ?? [];
    if (name) throw new InvalidOptionsError([{ field: `--watermark-${name}`, expected: 'a --watermark-text or --watermark-image to go with it', received: `${JSON.stringify(value)} alone` }]);
    return undefined;
  }
  const image = f.watermarkImage === undefined ? undefined : checkPng(f.watermarkImage);
  return { text: f.watermarkText, image, ...options };
}

/** The logo must be a readable PNG file: said now, not once per photo. */
function checkPng(path: string): string {
  const problem = (expected: string) => new InvalidOptionsError([{ field: '--watermark-image', expected, received: JSON.stringify(path) }]);
  let head: Buffer;
  try {
    const fd = openSync(path, 'r');
    try {
      head = Buffer.alloc(8);
      readSync(fd, head, 0, 8, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw problem(`a readable PNG file (${(err as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  if (!head.equals(PNG_SIGNATURE)) throw problem('a PNG file (the logo keeps its transparency; convert it to PNG first)');
  return resolve(path);
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** --gravity belongs to --fit cover, --background to --fit contain, both to a --resize. */
function fitStepFlags(f: ConvertFlags): void {
  for (const [flag, value, fit] of [['--gravity', f.gravity, 'cover'], ['--background', f.background, 'contain']] as const) {
    if (value === undefined) continue;
    if (!f.resize || f.fit !== fit) {
      throw new InvalidOptionsError([{ field: flag, expected: `to be used with --resize WxH --fit ${fit}`, received: `${JSON.stringify(value)} with ${f.resize ? `--fit ${f.fit ?? 'inside'}` : 'no --resize'}` }]);
    }
  }
}

const FLAG_OF: Array<[string, string]> = [
  ['ops.resize.gravity', '--gravity'],
  ['ops.resize.background', '--background'],
  ['ops.maxSize', '--max-size'],
  ['ops.sharpen', '--sharpen'],
  ['ops.watermark.text', '--watermark-text'],
  ['ops.watermark.image', '--watermark-image'],
  ['ops.watermark.position', '--watermark-position'],
  ['ops.watermark.opacity', '--watermark-opacity'],
  ['ops.watermark.size', '--watermark-size'],
  ['ops.watermark.margin', '--watermark-margin'],
  ['ops.watermark', '--watermark-text'],
  ['ops.metadata', '--metadata'],
  ['ops.resize.fit', '--fit'],
  ['ops.resize.kernel', '--kernel'],
  ['ops.resize.withoutEnlargement', '--enlarge'],
  ['ops.resize', '--resize'],
  ['naming.template', '--template'],
  ['naming.collision', '--collision'],
  ['naming.suffix', '--suffix'],
  ['limits.maxPixels', '--max-pixels'],
  ['limits.timeoutSeconds', '--timeout'],
  ['limits.maxMemoryMiB', '--max-memory'],
  ['quality', '--quality'],
  ['format', '--format'],
  ['workers', '--workers'],
  ['output', '--output'],
  ['besideInput', '--beside-input'],
  ['preset', '--preset'],
  ['inputs', '<inputs>'],
];

/** Name problems by the flag the person typed. */
export function asFlags(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => {
    const hit = FLAG_OF.find(([field]) => p.field === field || p.field.startsWith(field + '.'));
    return hit ? { ...p, field: hit[1] } : p;
  });
}
