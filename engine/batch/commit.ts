/**
 * The commit protocol of one converted file: the worker wrote a complete temporary file next to
 * the target; the journal records `commit` (so a crash from here on rolls it forward), then the
 * temporary file is renamed into place. Any failure removes the temporary file: no partial output.
 */
import { promises as fs, renameSync } from 'node:fs';
import type { ConvertResult } from '../../common/task.js';
import { classify } from '../../common/classify.js';
import type { Journal } from '../journal.js';

/**
 * Commit `result` (a worker's answer for `input`, written to `tmp`) as `output`; returns the
 * result, turned into a failure when the commit could not be made.
 *
 * @example
 * result = await commitOutput(journal, input, task.tmp, output, result, outputFolder);
 */
export async function commitOutput(journal: Journal, input: string, tmp: string, output: string, result: ConvertResult, outputFolder: string): Promise<ConvertResult> {
  if (!result.ok) return result;
  if (journal.gone()) {
    await fs.rm(tmp, { force: true });
    return { ...result, ok: false, code: 'output-unwritable', detail: `the output folder ${outputFolder} (or its journal) was deleted during the batch` };
  }
  try {
    journal.commit(input, tmp, output, result.outputBytes);
    // Sync: one metadata syscall (~20 us of CPU) where fs.promises.rename costs ~55 us, most of it
    // handing the call to the libuv pool and its answer back (measured in BENCHMARKS.md, issue 17);
    // the next file already runs (batch/ahead.ts), so nothing waits for it.
    renameSync(tmp, output);
    return result;
  } catch (err) {
    await fs.rm(tmp, { force: true });
    return { ...result, ok: false, code: classify(err, 'write', output), detail: (err as Error).message };
  }
}
