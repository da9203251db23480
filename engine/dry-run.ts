/**
 * A dry run: scan and plan a job exactly as a batch would, and say where each input would go
 * (`plan-file`), or why it would be skipped or refused, then the totals (`plan-done`). Nothing is
 * written: no output folder, no journal, no worker pool, no probe file.
 */
import { existsSync, lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { EngineEvent, PlanTotals } from '../common/events.js';
import { FAILURE_TEXT, SKIP_TEXT, type SkipCode } from '../common/failures.js';
import type { JobSpec } from '../common/job.js';
import type { ListFeed } from './file-list.js';
import { Planner } from './plan.js';
import { readAhead } from './read-ahead.js';
import { jobSource, prepareSpec } from './source.js';

/**
 * Whether the output file system folds case, decided without writing: the nearest existing
 * folder at or above `output` whose name has letters, looked up with the case swapped. False
 * when no such folder exists (a new tree on an unknown file system: the batch's probe decides).
 *
 * @example
 * foldsCaseReadOnly('/Volumes/USB/out') // true on FAT/exFAT
 */
export function foldsCaseReadOnly(output: string): boolean {
  for (let dir = output; dirname(dir) !== dir; dir = dirname(dir)) {
    const name = basename(dir);
    const swapped = [...name].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
    if (!existsSync(dir) || swapped === name) continue;
    try {
      const a = lstatSync(dir);
      const b = lstatSync(join(dirname(dir), swapped));
      return a.ino === b.ino && a.dev === b.dev;
    } catch {
      return false;
    }
  }
  return false;
}

export interface DryRunOptions {
  onEvent: (e: EngineEvent) => void;
  /** Names of a job over a list (`spec.filesFrom`). */
  list?: ListFeed;
}

export class DryRun {
  readonly done: Promise<PlanTotals>;
  private readonly abort = new AbortController();
  private readonly totals: PlanTotals = { planned: 0, renamed: 0, overwrites: 0, skipped: 0, failed: 0 };

  /**
   * Start the dry run. Throws InvalidOptionsError when the output folder would touch an input.
   *
   * @example
   * const d = new DryRun(parseOrThrow(JobSpecSchema, { inputs: ['in'], output: 'out' }), { onEvent: console.log });
   * const totals = await d.done; // nothing written
   */
  constructor(
    spec: JobSpec,
    private readonly options: DryRunOptions,
  ) {
    this.done = this.run(prepareSpec(spec));
  }

  /** Stop planning; `plan-done` still follows, with `cancelled: true`. */
  cancel(): void {
    this.abort.abort();
  }

  private async run(spec: JobSpec): Promise<PlanTotals> {
    const emit = this.options.onEvent;
    const t = this.totals;
    const skip = (input: string, code: SkipCode) => {
      t.skipped++;
      emit({ type: 'file-skipped', input, code, reason: SKIP_TEXT[code] });
    };
    const planner = new Planner(spec, { foldsCase: foldsCaseReadOnly(spec.output) });
    let images = 0; // scan position of each image, for {counter} (as the batch counts it)
    for await (const entry of readAhead(jobSource(spec, this.options.list, this.abort.signal, false), 16)) {
      if (this.abort.signal.aborted) break;
      if (entry.kind === 'folder-error') emit({ type: 'folder-error', path: entry.path, code: entry.code, ...FAILURE_TEXT[entry.code] });
      else if (entry.kind === 'skip') skip(entry.path, entry.code);
      else if (entry.kind === 'fail') {
        t.failed++;
        emit({ type: 'file-failed', input: entry.path, code: entry.code, ...FAILURE_TEXT[entry.code], detail: entry.detail });
      } else {
        const planned = await planner.plan({ ...entry, seq: images++ });
        if (!planned) {
          skip(entry.path, 'output-exists');
          continue;
        }
        const { renamed } = planned;
        const overwrites = spec.naming.collision === 'overwrite-output' && existsSync(planned.output);
        t.planned++;
        if (renamed) t.renamed++;
        if (overwrites) t.overwrites++;
        emit({ type: 'plan-file', input: entry.path, output: planned.output, ...(renamed && { renamed }), ...(overwrites && { overwrites }) });
      }
    }
    emit({ type: 'plan-done', output: spec.output, cancelled: this.abort.signal.aborted, totals: t });
    return t;
  }
}
