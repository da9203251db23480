/**
 * What the batch needs from a pool, whatever runs the tasks: worker threads, child processes
 * or the engine's own thread.
 */
import type { JobSpec } from '../../common/job.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';

export type Model = JobSpec['model'];

export interface TaskPool {
  /** Tasks the pool runs at once. */
  readonly size: number;
  /** Tasks running now (including on retired workers after a resize). */
  readonly running: number;
  /** Tasks the pool takes beyond the batch's local workers (the remote window of a `--nats` pool). */
  readonly extra?: number;
  /** Run one task; `signal` aborts it (rejects with an AbortError). */
  run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult>;
  /** New tasks run on `size` workers; running ones finish where they are. */
  resize(size: number): void;
  /** Stop every worker (running tasks are abandoned). */
  close(): Promise<void>;
}

export function abortError(): Error {
  return Object.assign(new Error('The task was aborted'), { name: 'AbortError' });
}
