/**
 * Where each output goes: naming template, output format, collision policy.
 * An input is never a target: the engine refuses an output folder that holds an input.
 */
import { existsSync } from 'node:fs';
import { basename, extname, join, normalize, resolve, sep } from 'node:path';
import type { JobSpec } from '../common/job.js';
import type { EncodeFormat, InputFormat } from '../common/task.js';
import { badJob } from './errors.js';

const EXTENSIONS: Record<EncodeFormat, string> = { jpeg: 'jpg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tif' };

/** The format written for an input of format `input` under the job's `format` setting. */
export function outputFormat(format: JobSpec['format'], input: InputFormat): EncodeFormat {
  if (format !== 'same') return format;
  switch (input) {
    case 'jpeg':
    case 'png':
    case 'webp':
    case 'avif':
    case 'tiff':
      return input;
    case 'heif':
      return 'avif';
    default:
      return 'png'; // gif (first frame), svg, jxl, jp2: written losslessly as PNG
  }
}

/** Temporary name beside the final output: hidden, unique per batch and file. */
export const TMP_MARK = '.photopool-tmp';
export function tmpPathFor(output: string, batchId: string, seq: number): string {
  const dir = output.slice(0, output.length - basename(output).length);
  return `${dir}.${basename(output)}.${batchId}-${seq}${TMP_MARK}`;
}

/**
 * Check that `output` may be written without touching any input: it must not be an input, nor
 * hold one. An output folder inside an input folder is fine (the scan leaves it out).
 */
export function checkOutputFolder(inputs: string[], output: string): void {
  const out = resolve(output) + sep;
  for (const input of inputs) {
    const inp = resolve(input) + sep;
    if (inp.startsWith(out)) {
      badJob('output', 'a folder that is not an input and does not contain one', output, `it contains the input ${input}`);
    }
  }
}

export interface PlannedOutput {
  /** Absolute final path. */
  output: string;
  format: EncodeFormat;
}

/**
 * Plans outputs for one batch, remembering the paths it handed out so that two inputs never
 * get the same output (e.g. `a.png` and `a.jpg` both to `a.jpg`).
 */
export class Planner {
  private readonly claimed = new Set<string>();
  private readonly root: string;
  private readonly prefixRoots: string[] | null;

  constructor(private readonly spec: JobSpec) {
    this.root = resolve(spec.output);
    // One input folder: mirror its inside. Several: one sub-folder per input, named after it.
    this.prefixRoots = spec.inputs.length > 1 ? uniqueNames(spec.inputs) : null;
  }

  /**
   * The output for an input, or null when the collision policy says skip.
   *
   * @example
   * planner.plan({ path: '/in/a/b.png', relDir: 'a', root: 0, format: 'png' }) // { output: '/out/a/b.jpg', format: 'jpeg' }
   */
  plan(item: { path: string; relDir: string; root: number; format: InputFormat }): PlannedOutput | null {
    const format = outputFormat(this.spec.format, item.format);
    const name = basename(item.path, extname(item.path));
    const dir = this.prefixRoots ? join(this.prefixRoots[item.root]!, item.relDir) : item.relDir;
    const rel = this.spec.naming.template
      .replaceAll('{dir}', dir)
      .replaceAll('{name}', name)
      .replaceAll('{ext}', EXTENSIONS[format]);
    let output = join(this.root, normalize(rel).replace(/^([/\\])+/, ''));
    if (!output.startsWith(this.root + sep)) badJob('naming.template', 'a path below the output folder', this.spec.naming.template);
    const taken = (p: string) => this.claimed.has(p) || existsSync(p);
    if (taken(output)) {
      const policy = this.spec.naming.collision;
      if (policy === 'skip') return null;
      if (policy === 'rename' || this.claimed.has(output)) output = this.freeName(output, taken);
    }
    this.claimed.add(output);
    return { output, format };
  }

  /** Forget a claim (after the output was skipped or failed). */
  release(output: string): void {
    this.claimed.delete(output);
  }

  private freeName(output: string, taken: (p: string) => boolean): string {
    const ext = extname(output);
    const stem = output.slice(0, output.length - ext.length);
    for (let i = 1; ; i++) {
      const candidate = `${stem}-${i}${ext}`;
      if (!taken(candidate)) return candidate;
    }
  }
}

function uniqueNames(inputs: string[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const b = basename(resolve(input)) || 'root';
    const n = (seen.get(b) ?? 0) + 1;
    seen.set(b, n);
    return n === 1 ? b : `${b}-${n}`;
  });
}
