/**
 * Outputs next to their inputs (`besideInput`): the rules that keep every output from being an
 * input, and the state folder that holds such a batch's journal, lock and list spool (the input
 * folders are not the place for them, and two batches over the same inputs must meet one lock).
 */
import { createHash } from 'node:crypto';
import { basename, join, resolve } from 'node:path';
import envPaths from 'env-paths';
import type { JobSpec } from '../common/job.js';
import { badJob } from './errors.js';
import { EXTENSIONS } from './naming.js';
import type { ScanEntry } from './scan.js';

/** The only template a beside-input job takes: the output sits in the input's folder, named after it. */
export const BESIDE_TEMPLATE = '{dir}/{name}.{ext}';

/**
 * Where the state of beside-input batches lives: `$PHOTOPOOL_STATE_DIR`, else
 * env-paths('PhotoPool').data/beside-input (Linux ~/.local/share/PhotoPool/beside-input, macOS
 * ~/Library/Application Support/PhotoPool/beside-input, Windows %LOCALAPPDATA%\PhotoPool\Data\beside-input).
 */
export function besideStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHOTOPOOL_STATE_DIR || join(envPaths('PhotoPool', { suffix: '' }).data, 'beside-input');
}

/**
 * The state folder of a beside-input batch over `inputs` (any order, relative or absolute): one
 * folder per set of input roots, named by a hash of their absolute paths.
 *
 * @example
 * besideStateDir(['/photos/2024']) // '/home/me/.local/share/PhotoPool/beside-input/3f2a9c0d41e7b655'
 */
export function besideStateDir(inputs: string[], env: NodeJS.ProcessEnv = process.env): string {
  const roots = [...new Set(inputs.map((p) => resolve(p)))].sort();
  const key = createHash('sha256').update(roots.join('\0')).digest('hex').slice(0, 16);
  return join(besideStateRoot(env), key);
}

/**
 * Check a beside-input job's fields (InvalidOptionsError naming the field otherwise) and return
 * it with `output` set to its state folder (created by the batch, like any output folder; its
 * journal names the inputs). `inputs` must be absolute already.
 *
 * @example
 * prepareBeside({ ...spec, besideInput: true, naming: { ...spec.naming, suffix: '_web' } }).output // besideStateDir(spec.inputs)
 */
export function prepareBeside(spec: JobSpec): JobSpec {
  const suffix = spec.naming.suffix ?? '';
  if (!suffix && spec.format === 'same') {
    badJob('naming.suffix', 'a suffix (e.g. "_web"), or an output format other than "same", with besideInput: outputs next to their inputs must not take their names', suffix);
  }
  if (spec.naming.template !== BESIDE_TEMPLATE) {
    badJob('naming.template', `${BESIDE_TEMPLATE} with besideInput (each output sits beside its input; tell them apart with naming.suffix)`, spec.naming.template);
  }
  if (!suffix && spec.naming.collision === 'overwrite-output') {
    badJob('naming.collision', '"skip" or "rename" with besideInput and no suffix (a file with the output\'s name beside an input may be an original)', spec.naming.collision);
  }
  return { ...spec, output: besideStateDir(spec.inputs) };
}

/**
 * For a beside-input job, true when `file` (a name) is one this job writes: an extension the job
 * can write and, with a suffix, a stem ending in it. Such files are skipped by the scan (code
 * `beside-output`), so an output written during the walk is never converted again and, without a
 * suffix, no input is its own output.
 *
 * @example
 * looksLikeOutput('a_web.jpg', { ...spec, naming: { ...spec.naming, suffix: '_web' } }) // true
 */
export function looksLikeOutput(file: string, spec: Pick<JobSpec, 'format' | 'naming'>): boolean {
  const dot = file.lastIndexOf('.');
  if (dot <= 0) return false;
  const ext = file.slice(dot + 1).toLowerCase();
  const writes = spec.format === 'same' ? Object.values(EXTENSIONS) : [EXTENSIONS[spec.format]];
  if (!writes.includes(ext)) return false;
  const suffix = spec.naming.suffix ?? '';
  return file.slice(0, dot).endsWith(suffix);
}

/** The scan of a beside-input job with the files it writes turned into `beside-output` skips. */
export async function* skipOutputs(entries: AsyncIterable<ScanEntry>, spec: JobSpec): AsyncGenerator<ScanEntry> {
  for await (const e of entries) {
    if (e.kind === 'image' && looksLikeOutput(basename(e.path), spec)) {
      yield { kind: 'skip', path: e.path, code: 'beside-output' };
    } else yield e;
  }
}
