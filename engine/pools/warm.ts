/**
 * A thread pool started as the engine process starts, before the rest of the engine is even
 * loaded, so that a worker (it loads sharp and libturbojpeg) is ready when the first batch
 * arrives. Only when the process was started with PHOTOPOOL_PREWARM=<workers> (the CLI does, for
 * `convert` and `resume`); the first `threads` pool of that size adopts it.
 *
 * One thread starts now, the others when the batch's tasks arrive (piscina starts a thread for a
 * task that finds none idle): a thread loading alone beside the engine's own load gets a core to
 * itself on a 2-core machine, where starting all of them at once shared both cores three ways
 * and delayed the first file by ~30 ms (bench-startup.mjs: 263 -> 233 ms, median of 9-11).
 */
import { traceStartup } from '../batch/trace.js';
import { ThreadPool } from './threads.js';

const wanted = Number(process.env.PHOTOPOOL_PREWARM);
delete process.env.PHOTOPOOL_PREWARM; // not for the worker processes of the `processes` model
let warm: ThreadPool | undefined = Number.isInteger(wanted) && wanted > 0 ? new ThreadPool(wanted, 1) : undefined;
if (warm) traceStartup('engine', `a warm worker thread starting (of ${wanted})`);

/**
 * The warm pool when it has `size` workers (once), else undefined; a warm pool of another
 * size is closed.
 *
 * @example
 * const pool = takeWarmPool(2) ?? new ThreadPool(2);
 */
export function takeWarmPool(size: number): ThreadPool | undefined {
  const pool = warm;
  warm = undefined;
  if (pool && pool.size !== size) {
    void pool.close();
    return undefined;
  }
  return pool;
}
