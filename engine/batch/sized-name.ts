/**
 * `{width}` and `{height}` in an output name are known only once the file is converted: fill
 * them in and claim the name (Planner.settleSize), then rename the temporary file after it
 * (journal-format.ts checks that a temporary file is named after its output). The new name is
 * journaled before the rename, so a crash in between leaves nothing behind on resume.
 */
import { promises as fs, renameSync } from 'node:fs';
import type { ConvertResult } from '../../common/task.js';
import type { Journal } from '../journal.js';
import { hasSizeTokens } from '../naming-tokens.js';
import type { PlannedOutput, Planner } from '../plan.js';

/**
 * The settled output and its temporary file (both unchanged when the name has no size token),
 * or null when that name existed before the batch and the collision policy says skip (the
 * temporary file is then removed). Throws when the journal or the rename fails (the temporary
 * file is removed).
 *
 * @example
 * const s = await settleSizedName(planner, journal, input, planned, task.tmp, result, (o) => tmpPathFor(o, id, ++seq));
 */
export async function settleSizedName(
  planner: Planner,
  journal: Journal,
  input: string,
  planned: PlannedOutput,
  tmp: string,
  result: Extract<ConvertResult, { ok: true }>,
  tmpFor: (output: string) => string,
): Promise<{ planned: PlannedOutput; tmp: string } | null> {
  if (!hasSizeTokens(planned.output)) return { planned, tmp };
  const sized = planner.settleSize(planned, result.outWidth, result.outHeight);
  if (!sized) {
    await fs.rm(tmp, { force: true });
    return null;
  }
  const next = tmpFor(sized.output);
  try {
    journal.start(input, next, sized.output);
    renameSync(tmp, next); // as batch/commit.ts
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
  return { planned: sized, tmp: next };
}
