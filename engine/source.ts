/**
 * Where a job's files come from: the walk of its inputs, or a list of files (file-list.ts).
 * Shared by the batch (run.ts) and the dry run (dry-run.ts).
 */
import { resolve } from 'node:path';
import type { JobSpec } from '../common/job.js';
import { prepareBeside, skipOutputs } from './beside-input.js';
import { badJob } from './errors.js';
import { listEntries, type ListFeed } from './file-list.js';
import { ListSpool } from './list-spool.js';
import { checkOutputFolder } from './plan.js';
import { scan, type ScanEntry } from './scan.js';

export type { ListFeed, ScanEntry };

/**
 * The spec with absolute paths (a job over a list has `inputs: [base]`), once checked that its
 * output folder touches no input and that a `{preset}` template has a preset (else
 * InvalidOptionsError). A beside-input job gets its state folder as `output` (beside-input.ts).
 *
 * @example
 * prepareSpec({ ...spec, inputs: ['photos'], output: 'out' }).output // '/home/me/out'
 */
export function prepareSpec(spec: JobSpec): JobSpec {
  if (spec.naming.template.includes('{preset}') && !spec.preset) {
    badJob('preset', 'the name of the preset the recipe came from, as naming.template uses {preset} (choose a preset, or take {preset} out of the template)', spec.preset ?? '');
  }
  const filesFrom = spec.filesFrom && { base: resolve(spec.filesFrom.base) };
  const inputs = filesFrom ? [filesFrom.base] : spec.inputs.map((p) => resolve(p));
  if (spec.besideInput) return prepareBeside({ ...spec, inputs, ...(filesFrom && { filesFrom }) });
  if (!spec.output) badJob('output', 'an output folder (or besideInput: outputs next to their inputs)', spec.output);
  const ready = { ...spec, inputs, output: resolve(spec.output), ...(filesFrom && { filesFrom }) };
  checkOutputFolder(ready.inputs, ready.output);
  return ready;
}

/**
 * The scan entries of a (resolved) job: for a job over a list (`spec.filesFrom`), the listed
 * files: a new batch spools `list` (the client's feed) into its output folder and reads the
 * spool behind it, a resumed batch (`list` undefined) reads the spool an earlier run wrote, a dry
 * run (`spool: false`) reads the feed directly and writes nothing; otherwise the walk of the
 * inputs, leaving the output folder out. `signal` ends a list early.
 *
 * @example
 * for await (const e of jobSource(spec, feed, abort.signal)) ...
 */
export function jobSource(spec: JobSpec, list: ListFeed | undefined, signal: AbortSignal, spool = true): AsyncIterable<ScanEntry> {
  const entries = walkOrList(spec, list, signal, spool);
  return spec.besideInput ? skipOutputs(entries, spec) : entries;
}

function walkOrList(spec: JobSpec, list: ListFeed | undefined, signal: AbortSignal, spool: boolean): AsyncIterable<ScanEntry> {
  if (!spec.filesFrom) return scan(spec.inputs, { exclude: [spec.output] });
  if (!spool && !list) badJob('filesFrom', 'a list of files sent with "list" commands', 'none');
  const names = !spool ? list! : list ? ListSpool.fill(spec.output, list, signal).names() : ListSpool.reopen(spec.output).names();
  return listEntries(names, spec.filesFrom.base, spec.output, signal);
}
