/**
 * What the batch needs from a pool, whatever runs the tasks: worker threads, child processes
 * or the engine's own thread.
 */
import type { JobSpec } from '../../common/job.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';

export type Model = JobSpec['model'];

/** Most workers a batch may ask for (the `workers` field's own bound). */
export const MAX_WORKERS = 64;

/**
 * A worker (thread or child process) the pool no longer needs after a shrink ends once it had
 * no task for this long. Longer than the gaps between a user's resizes: a size that comes back
 * (the Workers slider moved down and up, the soak's 2 s steps) finds its workers warm instead
 * of starting new ones (each start is a new V8 heap and ~17 MiB; churning them every few
 * seconds made the 100 000-file soak's RSS swing 50 MB above a steady pool's).
 */
export const IDLE_MS = 10_000;

export interface TaskPool {
  /** Tasks the pool is sized for now (the batch keeps at most this many in flight). */
  readonly size: number;
  /** Tasks running now (including ones started before a shrink). */
  readonly running: number;
  /** Tasks the pool takes beyond the batch's local workers (the remote window of a `--nats` pool). */
  readonly extra?: number;
  /** Threads or processes alive now, busy or idle (the engine's own thread for `async`: 0). */
  readonly alive: number;
  /** Run one task; `signal` aborts it (rejects with an AbortError). */
  run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult>;
  /** Resize in place: new tasks run on `size` workers; running ones finish where they are. */
  resize(size: number): void;
  /** Stop every worker (running tasks are abandoned). */
  close(): Promise<void>;
}

export function abortError(): Error {
  return Object.assign(new Error('The task was aborted'), { name: 'AbortError' });
}
