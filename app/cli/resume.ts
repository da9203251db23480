/**
 * `photopool resume`: continue a batch from the journal in its output folder (also used by
 * `convert --resume`), and the usage-error printer the commands share.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '../../common/job.js';
import { InvalidOptionsError } from '../../common/validate.js';
import { besideStateDir } from '../../engine/beside-input.js';
import { JOURNAL_NAME } from '../../engine/journal.js';
import { spoolState } from '../../engine/list-spool.js';
import { EXIT, runBatch } from './batch.js';
import { asFlags } from './options.js';
import { precountInputs } from './precount.js';
import { addNatsFlags, natsFromFlags, type NatsFlags } from '../nats/options.js';
import type { Precount } from './progress.js';

/** Print bad options (naming the flag, what was expected, what arrived); returns exit code 2. */
export function usageError(err: InvalidOptionsError, json: boolean): number {
  const problems = asFlags(err.problems);
  if (json) process.stdout.write(JSON.stringify({ type: 'fatal', message: err.message, problems }) + '\n');
  for (const p of problems) process.stderr.write(`photopool: ${p.field}: expected ${p.expected}, received ${p.received}\n`);
  process.stderr.write('Run "photopool convert --help" for the options.\n');
  return EXIT.usage;
}

/**
 * The pre-count of a job known from its spec (resume): the names its journal holds for a job
 * over a list (with a notice when the list was cut short), else the walk of its inputs.
 */
export async function precountForSpec(spec: JobSpec, report: (p: Precount) => void, signal: AbortSignal, notice: (text: string) => void): Promise<unknown> {
  if (!spec.filesFrom) return precountInputs(spec.inputs, report, signal);
  const { names, ended } = await spoolState(spec.output);
  report({ images: names, done: true });
  if (!ended) {
    notice(`The list of files was cut short after ${names} names (the batch stopped while reading it): these are converted; to add the rest, run the same "convert --files-from" again (files already converted are skipped).`);
  }
  return undefined;
}

/**
 * The folder holding the journal of the batch `folders` name: the output folder given, else the
 * state folder of a `--beside-input` batch over those inputs (beside-input.ts).
 *
 * @example
 * batchFolder(['out']) // 'out'
 * batchFolder(['~/Pictures/phone']) // '~/.local/share/PhotoPool/beside-input/3f2a…' when that batch ran beside its inputs
 */
export function batchFolder(folders: string[]): string {
  if (folders.length === 1 && existsSync(join(folders[0]!, JOURNAL_NAME))) return folders[0]!;
  const beside = besideStateDir(folders);
  return existsSync(join(beside, JOURNAL_NAME)) ? beside : folders[0]!;
}

/** Register `photopool resume`. */
export function registerResumeCommand(cli: Command, setExit: (code: number) => void): void {
  addNatsFlags(cli.command('resume'))
    .description('continue an interrupted batch from the journal in its output folder (a --beside-input batch: give its inputs)')
    .argument('<output...>', 'the output folder of the batch, or the inputs of a --beside-input batch')
    .option('-w, --workers <n>', 'worker threads (default: as the batch was started)')
    .option('-q, --quiet', 'print errors and the final line only')
    .option('-v, --verbose', 'also print every skipped file with its reason and every renamed output')
    .option('--json', 'print NDJSON events on stdout')
    .action(async (folders: string[], f: NatsFlags & { workers?: string; json?: boolean; quiet?: boolean; verbose?: boolean }) => {
      const workers = f.workers === undefined ? undefined : Number(f.workers);
      let nats;
      try {
        nats = natsFromFlags(f);
        if (workers !== undefined && !(Number.isInteger(workers) && workers >= (nats ? 0 : 1) && workers <= 64)) {
          throw new InvalidOptionsError([{ field: '--workers', expected: `a whole number from ${nats ? 0 : 1} to 64`, received: JSON.stringify(f.workers) }]);
        }
      } catch (err) {
        if (err instanceof InvalidOptionsError) return setExit(usageError(err, !!f.json));
        throw err;
      }
      setExit(await runBatch({ type: 'resume', output: batchFolder(folders), workers, nats }, { json: !!f.json, quiet: f.quiet, verbose: f.verbose, maxWorkers: workers, precountFor: precountForSpec }));
    });
}
