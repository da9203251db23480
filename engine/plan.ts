/**
 * Where each output goes: naming template, output format, collision policy.
 * An input is never a target: the engine refuses an output folder that holds an input.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { SAME_FORMAT, type JobSpec } from '../common/job.js';
import type { EncodeFormat, InputFormat } from '../common/task.js';
import { foldName } from './case-fold.js';
import { badJob } from './errors.js';
import { EXTENSIONS, folderClashes, type Clash } from './naming.js';
import { captureTime, fillTokens, hasFileTokens, hasSizeTokens, needsDate } from './naming-tokens.js';
import { PathSet } from './string-set.js';

/** The format written for an input of format `input` under the job's `format` setting (`same`: {@link SAME_FORMAT}). */
export function outputFormat(format: JobSpec['format'], input: InputFormat): EncodeFormat {
  return format === 'same' ? SAME_FORMAT[input] : format;
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
  /** Set when the output is not the template's plain name: which name it replaces and why. */
  renamed?: { from: string; reason: string };
}

export interface PlannerOptions {
  /** The output file system folds case (see case-fold.ts). Default false. */
  foldsCase?: boolean;
  /**
   * From the journal on resume: outputs planned (by input) or written by earlier runs; the
   * planner takes `outputs` over as its claim list (it grows) unless it folds case.
   */
  earlier?: { planned: ReadonlyMap<string, string>; outputs: PathSet };
}

/** Folders whose clash decisions are kept (the scan walks folder after folder). */
const FOLDERS_KEPT = 64;

/**
 * Plans outputs for one batch. Inputs of one folder that would share an output are told apart
 * by the rule in naming.ts; any other clash (e.g. a template without `{dir}`) gives the later
 * input a numbered name. The collision policy (skip, overwrite-output, rename) applies only to
 * outputs that existed before the batch.
 */
export class Planner {
  /** Outputs handed out in this batch (folded when the output file system folds case); compact, one per file. */
  private readonly claimed: PathSet;
  private readonly root: string;
  private readonly prefixRoots: string[] | null;
  private readonly folders = new Map<string, Promise<Map<string, Clash>>>();
  /** The template with the suffix after `{name}`. */
  private readonly template: string;

  constructor(
    private readonly spec: JobSpec,
    private readonly options: PlannerOptions = {},
  ) {
    this.root = resolve(spec.output);
    // One input folder: mirror its inside. Several: one sub-folder per input, named after it.
    this.prefixRoots = spec.inputs.length > 1 ? uniqueNames(spec.inputs) : null;
    // The outputs of earlier runs become the claim list (taken over, not copied: one entry per file).
    const earlier = options.earlier?.outputs;
    this.claimed = earlier && !options.foldsCase ? earlier : new PathSet(this.root, options.foldsCase ? foldName : undefined);
    this.template = spec.naming.template.replaceAll('{name}', `{name}${spec.naming.suffix ?? ''}`).replaceAll('{preset}', fileSafe(spec.preset ?? ''));
    for (const o of options.earlier?.planned.values() ?? []) this.claimed.add(o);
    if (earlier && this.claimed !== earlier) for (const o of earlier) this.claimed.add(o);
  }

  /**
   * The output for an input, or null when it existed before the batch and the collision
   * policy says skip.
   *
   * @example
   * await planner.plan({ path: '/in/a/b.png', relDir: 'a', root: 0, format: 'png' }) // { output: '/out/a/b.jpg', format: 'jpeg' }
   */
  async plan(item: { path: string; relDir: string; root: number; format: InputFormat; seq?: number }): Promise<PlannedOutput | null> {
    const format = outputFormat(this.spec.format, item.format);
    const recorded = this.options.earlier?.planned.get(item.path);
    if (recorded) return { output: recorded, format }; // claimed since the constructor
    const stem = basename(item.path, extname(item.path));
    // {counter} and {date} differ per file: the listing cannot predict those names, claims do.
    const perFile = hasFileTokens(this.template);
    const template = perFile ? fillTokens(this.template, item.seq ?? 0, needsDate(this.template) ? await captureTime(item.path) : undefined) : this.template;
    const clash = perFile ? undefined : (await this.clashes(item)).get(basename(item.path));
    const plain = this.render(template, item, stem, format);
    let output = clash ? this.render(template, item, clash.name, format) : plain;
    const renamed = output !== plain ? { from: plain, reason: clash!.reason } : undefined;
    // {width}/{height} are known once the file is converted: see settleSize.
    if (hasSizeTokens(output)) return renamed ? { output, format, renamed } : { output, format };
    return this.claim(output, plain, format, renamed);
  }

  /**
   * Fill `{width}` and `{height}` (the final output's size) into a planned output once the file
   * is converted, then claim it as {@link plan} does; null when it existed before the batch and
   * the collision policy says skip.
   *
   * @example
   * planner.settleSize({ output: '/out/a_{width}x{height}.jpg', format: 'jpeg' }, 1024, 768) // { output: '/out/a_1024x768.jpg', ... }
   */
  settleSize(planned: PlannedOutput, width: number, height: number): PlannedOutput | null {
    const fill = (p: string) => p.replaceAll('{width}', String(width)).replaceAll('{height}', String(height));
    const renamed = planned.renamed && { ...planned.renamed, from: fill(planned.renamed.from) };
    return this.claim(fill(planned.output), renamed?.from ?? fill(planned.output), planned.format, renamed);
  }

  private claim(output: string, plain: string, format: EncodeFormat, renamed?: PlannedOutput['renamed']): PlannedOutput | null {
    if (this.claimed.has(output)) {
      output = this.freeName(output);
      renamed = { from: plain, reason: 'another input of this batch has that output name' };
    } else if (existsSync(output)) {
      const policy = this.spec.naming.collision;
      if (policy === 'skip') return null;
      if (policy === 'rename') {
        output = this.freeName(output);
        renamed = { from: plain, reason: 'a file of that name existed before the batch (collision policy "rename")' };
      }
    }
    this.claimed.add(output);
    return renamed ? { output, format, renamed } : { output, format };
  }

  /** Forget a claim (an output planned but never started). */
  release(output: string): void {
    this.claimed.delete(output);
  }

  private render(template: string, item: { path: string; relDir: string; root: number }, name: string, format: EncodeFormat): string {
    // Beside the input (the template is then {dir}/{name}.{ext}: see beside-input.ts).
    const root = this.spec.besideInput ? dirname(item.path) : this.root;
    const dir = this.spec.besideInput ? '' : this.prefixRoots ? join(this.prefixRoots[item.root]!, item.relDir) : item.relDir;
    const rel = template
      .replaceAll('{dir}', dir)
      .replaceAll('{name}', name)
      .replaceAll('{ext}', EXTENSIONS[format]);
    const output = join(root, normalize(rel).replace(/^([/\\])+/, ''));
    if (!output.startsWith(root + sep)) badJob('naming.template', 'a path below the output folder', this.spec.naming.template);
    return output;
  }

  /** Clash decisions for the item's folder (none for an input given as a file). */
  private clashes(item: { path: string; root: number }): Promise<Map<string, Clash>> {
    if (resolve(this.spec.inputs[item.root]!) === item.path) return Promise.resolve(new Map());
    const dir = dirname(item.path);
    let got = this.folders.get(dir);
    if (!got) {
      got = folderClashes(dir, this.template, (f) => outputFormat(this.spec.format, f ?? 'png'), !!this.options.foldsCase);
      this.folders.set(dir, got);
      if (this.folders.size > FOLDERS_KEPT) this.folders.delete(this.folders.keys().next().value!);
    }
    return got;
  }

  private freeName(output: string): string {
    const ext = extname(output);
    const stem = output.slice(0, output.length - ext.length);
    for (let i = 1; ; i++) {
      const candidate = `${stem}-${i}${ext}`;
      if (!this.claimed.has(candidate) && !existsSync(candidate)) return candidate;
    }
  }
}

/** A preset name as a file name part: characters no file system takes become `-`. */
const fileSafe = (name: string) => name.replace(/[\u0000-\u001f/\\:*?"<>|]/g, '-');

function uniqueNames(inputs: string[]): string[] {
  const seen = new Map<string, number>();
  return inputs.map((input) => {
    const b = basename(resolve(input)) || 'root';
    const n = (seen.get(b) ?? 0) + 1;
    seen.set(b, n);
    return n === 1 ? b : `${b}-${n}`;
  });
}
