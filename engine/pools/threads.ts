/**
 * `threads` model: ONE piscina pool for the whole batch, resized in place. piscina sizes a pool
 * between `minThreads` and `maxThreads`, and cannot change either once made; so the pool is made
 * with room up to {@link MAX_WORKERS} threads and the batch's in-flight cap (run.ts keeps at most
 * `workers` tasks running) is the only limit:
 * - growing: the next tasks find no idle thread and piscina starts one (its queue never holds
 *   more than the threads being started, as at most `workers` tasks are in flight);
 * - shrinking: running tasks finish where they are; a thread left without work ends after
 *   {@link IDLE_MS} (piscina's `idleTimeout`), down to `floor` threads. piscina hands a task to the
 *   first idle thread in the order they were started, so the newest ones are those left idle.
 * No second pool ever exists: nothing to drain, nothing to leak.
 */
import type { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { WORKER_RESOURCE_LIMITS } from '../../common/engine-env.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../entry.js';
import { whenLoaded } from './loaded.js';
import { IDLE_MS, MAX_WORKERS, type TaskPool } from './types.js';

const live = new Set<ThreadPool>();

/**
 * Resolves once every thread of every open pool has loaded its modules (see loaded.ts): the
 * engine waits for it before it exits.
 *
 * @example
 * void threadsLoaded().finally(() => process.exit(0));
 */
export const threadsLoaded = (): Promise<void> => whenLoaded([...live].flatMap((p) => p.threads));

export { IDLE_MS } from './types.js';

export class ThreadPool implements TaskPool {
  private readonly pool: Piscina<ConvertTask, ConvertResult>;
  private target: number;
  private inFlight = 0;

  /**
   * @param size tasks the batch runs at once (a first cap; see {@link resize})
   * @param floor threads kept even when idle (default 1). A batch that never changes size (the
   *   CLI's) passes `size`, so that every thread is started now and stays warm.
   * @example
   * const pool = new ThreadPool(2); await pool.run(task); pool.resize(4); await pool.close();
   */
  constructor(size: number, floor = 1) {
    const entry = resolveEntry(import.meta.url, '../../workers/convert.js');
    this.target = size;
    this.pool = new Piscina<ConvertTask, ConvertResult>({
      filename: entry.file,
      execArgv: entry.execArgv,
      minThreads: Math.min(floor, MAX_WORKERS),
      maxThreads: MAX_WORKERS,
      idleTimeout: IDLE_MS,
      concurrentTasksPerWorker: 1,
      resourceLimits: WORKER_RESOURCE_LIMITS, // a young generation as small as ENGINE_EXEC_ARGV's, without its cost at load
    });
    live.add(this);
  }

  get size(): number {
    return this.target;
  }

  get running(): number {
    return this.inFlight;
  }

  /** Worker threads alive now (busy or idle). */
  get alive(): number {
    return this.pool.threads.length;
  }

  /** The worker threads alive now. */
  get threads(): readonly Worker[] {
    return this.pool.threads;
  }

  /** Run one task; `signal` aborts it (a running task's thread is terminated, piscina replaces it when needed). */
  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    this.inFlight++;
    try {
      return await this.pool.run(task, { signal });
    } finally {
      this.inFlight--;
    }
  }

  /** The caller's in-flight cap is the size; threads follow it (started on demand, idle ones end). */
  resize(size: number): void {
    this.target = size;
  }

  /** Ends every thread, once none is still loading its modules (a thread ended then aborts the process). */
  async close(): Promise<void> {
    live.delete(this);
    await whenLoaded(this.pool.threads);
    await this.pool.destroy();
  }
}
