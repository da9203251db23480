/**
 * Which worker threads have loaded their modules (workers/convert.ts says so on
 * {@link WORKER_LOADED_CHANNEL}). Terminating a thread while a native addon registers aborts
 * the whole process (koffi: "FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw"), which
 * happened when an engine exited, or closed a pool, straight after starting its warm workers
 * (`photopool resume` of a folder without a journal; a one-file batch). So a pool's close and
 * the engine's exit first wait here.
 */
import { BroadcastChannel, type Worker } from 'node:worker_threads';
import { WORKER_LOADED_CHANNEL } from '../../common/worker-loaded.js';
import { traceStartup } from '../batch/trace.js';

const loaded = new Set<number>();
const listeners = new Set<() => void>();
const channel = new BroadcastChannel(WORKER_LOADED_CHANNEL);
channel.unref(); // never keeps the engine alive by itself
channel.onmessage = (e) => {
  const threadId = (e as { data: number }).data;
  loaded.add(threadId);
  traceStartup('engine', `worker ${threadId} loaded`);
  for (const fn of listeners) fn();
};

/** Most a close or exit waits for threads still loading (default of {@link whenLoaded}). */
export const LOAD_WAIT_MS = 15_000;

const loading = (threads: readonly Worker[]): boolean => threads.some((t) => t.threadId !== -1 && !loaded.has(t.threadId));

/**
 * Resolves once every thread in `threads` has loaded its modules or has ended, or after `ms`.
 * Never rejects.
 *
 * @param ms most to wait (default {@link LOAD_WAIT_MS})
 * @example
 * await whenLoaded(piscina.threads); await piscina.destroy();
 */
export function whenLoaded(threads: readonly Worker[], ms = LOAD_WAIT_MS): Promise<void> {
  if (!loading(threads)) return Promise.resolve();
  return new Promise((resolve) => {
    const check = (): void => {
      if (!loading(threads)) done();
    };
    const done = (): void => {
      clearTimeout(timer);
      listeners.delete(check);
      for (const t of threads) t.off('exit', check);
      resolve();
    };
    const timer = setTimeout(done, ms);
    listeners.add(check);
    for (const t of threads) t.on('exit', check);
  });
}

/** Whether the thread with this id has said its modules are loaded. */
export const isLoaded = (threadId: number): boolean => loaded.has(threadId);
