/**
 * A thread pool started as the engine process starts, before the rest of the engine is even
 * loaded, so that its workers (each loads sharp and libturbojpeg) are ready when the first
 * batch arrives. Only when the process was started with PHOTOPOOL_PREWARM=<workers> (the CLI
 * does, for `convert` and `resume`, whose batches never change size: all its threads stay
 * warm); the first `threads` pool of that size adopts it.
 */
import { traceStartup } from '../batch/trace.js';
import { ThreadPool } from './threads.js';

const wanted = Number(process.env.PHOTOPOOL_PREWARM);
delete process.env.PHOTOPOOL_PREWARM; // not for the worker processes of the `processes` model
let warm: ThreadPool | undefined = Number.isInteger(wanted) && wanted > 0 ? new ThreadPool(wanted, wanted) : undefined;
if (warm) traceStartup('engine', `${wanted} warm worker threads starting`);

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
