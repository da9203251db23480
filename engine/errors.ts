/**
 * Error factories for the engine, in one place (as piscina's src/errors.ts).
 */
import type { FatalCode } from '../common/events.js';
import { InvalidOptionsError } from '../common/validate.js';
import type { LockHolder } from './lock.js';

/** Throw an {@link InvalidOptionsError} for one field. */
export function badJob(field: string, expected: string, received: unknown, why?: string): never {
  const shown = typeof received === 'string' ? JSON.stringify(received) : String(received);
  throw new InvalidOptionsError([{ field, expected, received: why ? `${shown} (${why})` : shown }]);
}

/** A batch-level problem that stops the run (not a per-file failure). */
export class EngineError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** Set for the refusals a front-end answers itself (see FatalCode in common/events.ts). */
    readonly code?: FatalCode,
  ) {
    super(`${message}. ${hint}`);
    this.name = 'EngineError';
  }
}

export const Errors = {
  noJournal: (output: string) =>
    new EngineError(`No batch to resume in ${output}: it holds no .photopool-journal.ndjson`, 'Check the output folder you gave, or start a new batch with "photopool convert"'),
  badJournal: (path: string, why: string) =>
    new EngineError(`The journal ${path} cannot be read (${why})`, 'Move it away and start the batch again with "photopool convert"'),
  outputFolder: (output: string, why: string) =>
    new EngineError(`Cannot create the output folder ${output} (${why})`, 'Choose another output folder, or fix the permissions of its parent'),
  outputLocked: (output: string, lockPath: string, h: LockHolder | null) =>
    new EngineError(
      `The output folder ${output} is in use by another PhotoPool batch (${h ? `process ${h.pid} on ${h.host}, started ${h.startedAt}` : 'holder unknown'})`,
      `Wait for that batch to end or choose another output folder; if no PhotoPool runs there any more, delete ${lockPath}`,
      'output-locked',
    ),
  unfinishedBatch: (output: string) =>
    new EngineError(
      `The output folder ${output} holds an unfinished batch (its journal records files not yet done)`,
      `Resume it with "photopool resume ${output}", or start over with --fresh (its temporary files are removed; finished outputs are kept)`,
      'unfinished-batch',
    ),
  batchRunning: () => new EngineError('A batch is running already', 'Wait for it to finish or cancel it first'),
  noBatch: () => new EngineError('No batch is running', 'Start one first'),
  estimateCancelled: () => new EngineError('The size estimate stopped: a batch started (it would have taken CPU from the batch)', 'Ask for the estimate again when the batch ends'),
  resumeCancelled: (output: string) =>
    new EngineError(`The resume of ${output} was cancelled while its journal was read (nothing was changed)`, `Resume it again with "photopool resume ${output}"`),
  noWorkers: () =>
    new InvalidOptionsError([{ field: 'workers', expected: 'a whole number from 1 to 64 (0 only with --nats: remote workers alone)', received: '0' }]),
};
