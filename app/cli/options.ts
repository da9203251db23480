/**
 * CLI flags -> JobSpecInput. Validation is the schema's; this file only reshapes flags and
 * maps schema fields back to the flag a person typed.
 */
import type { JobSpecInput } from '../../common/job.js';
import { InvalidOptionsError, type FieldProblem } from '../../common/validate.js';

export interface ConvertFlags {
  output: string;
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
  const resize = f.resize
    ? { ...parseBox(f.resize), fit: f.fit, withoutEnlargement: f.enlarge === undefined ? undefined : !f.enlarge, kernel: f.kernel }
    : undefined;
  const spec = {
    inputs,
    output: f.output,
    ops: { grayscale: !!f.gray, autoRotate: f.rotate !== false, resize },
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

const FLAG_OF: Array<[string, string]> = [
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
  ['inputs', '<inputs>'],
];

/** Name problems by the flag the person typed. */
export function asFlags(problems: FieldProblem[]): FieldProblem[] {
  return problems.map((p) => {
    const hit = FLAG_OF.find(([field]) => p.field === field || p.field.startsWith(field + '.'));
    return hit ? { ...p, field: hit[1] } : p;
  });
}
