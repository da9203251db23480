/**
 * Whether the calling thread may block: yes in a worker (thread or process: converting is its
 * whole job), no on the engine's own thread (the `async` model), whose event loop serves the
 * whole batch. Blocking calls (file calls, libjpeg-turbo, libvips on this thread, synchronous
 * decoders) are used only where this says so; elsewhere the asynchronous way is taken.
 */
import { isMainThread } from 'node:worker_threads';

let allowed = !isMainThread;

/**
 * Let this thread block from now on: a worker process's main thread calls it at start.
 *
 * @example
 * allowBlocking(); // in workers/process.ts
 */
export function allowBlocking(): void {
  allowed = true;
}

/**
 * True in a worker thread, and in a worker process once it called {@link allowBlocking}.
 *
 * @example
 * const data = mayBlock() ? readSync(fd, ...) : await handle.read(...);
 */
export function mayBlock(): boolean {
  return allowed;
}
