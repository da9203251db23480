/**
 * The warm thread pool the next `threads` batch adopts (resized), so that its workers (each loads
 * sharp and libturbojpeg) are ready when it starts: the last batch's pool, kept {@link PARK_MS}
 * ({@link parkPool}), or one started as the engine process starts, before the rest of the engine
 * is even loaded, when the process was started with PHOTOPOOL_PREWARM=<workers> (the CLI does,
 * for `convert` and `resume`).
 *
 * One thread starts now, the others when the batch's tasks arrive (piscina starts a thread for a
 * task that finds none idle): a thread loading alone beside the engine's own load gets a core to
 * itself on a 2-core machine, where starting all of them at once shared both cores three ways
 * and delayed the first file by ~30 ms (bench-startup.mjs: 263 -> 233 ms, median of 9-11).
 */
import { traceStartup } from '../batch/trace.js';
import { ThreadPool } from './threads.js';
import { IDLE_MS } from './types.js';

const wanted = Number(process.env.PHOTOPOOL_PREWARM);
delete process.env.PHOTOPOOL_PREWARM; // not for the worker processes of the `processes` model

/**
 * How long a finished batch's thread pool waits for the next batch before it is closed (60 s:
 * the time to look at a result and pick the next folder). Meanwhile its threads above one end
 * after {@link IDLE_MS} without a task, as in a batch: one idle thread is what it costs.
 */
export const PARK_MS = 60_000;

/** The pool the next `threads` batch adopts: started with the process, or left by the last batch (then closed at `timer`). */
let warm: { pool: ThreadPool; timer?: NodeJS.Timeout } | undefined =
  Number.isInteger(wanted) && wanted > 0 ? { pool: new ThreadPool(wanted, 1) } : undefined;
if (warm) traceStartup('engine', `a warm worker thread starting (of ${wanted})`);

/**
 * The warm pool, resized to `size` (once), else undefined; with `size` 0 (a batch of another
 * model) a warm pool is closed.
 *
 * @example
 * const pool = takeWarmPool(2) ?? new ThreadPool(2);
 */
export function takeWarmPool(size: number): ThreadPool | undefined {
  const w = warm;
  warm = undefined;
  if (!w) return undefined;
  clearTimeout(w.timer);
  if (size <= 0) {
    void w.pool.close();
    return undefined;
  }
  w.pool.resize(size);
  return w.pool;
}

/**
 * Keep a finished batch's thread pool for the next batch, `ms` at most (default {@link PARK_MS}),
 * then close it; a pool kept before is closed now. The next batch then starts no thread (each
 * loads sharp: ~0.1 s of a 2-core machine per batch of 2 workers).
 *
 * @example
 * parkPool(pool); // at a batch's end, instead of pool.close()
 */
export function parkPool(pool: ThreadPool, ms = PARK_MS): void {
  takeWarmPool(0);
  const timer = setTimeout(() => warm?.pool === pool && takeWarmPool(0), ms);
  timer.unref(); // never keeps the engine alive by itself
  warm = { pool, timer };
}
