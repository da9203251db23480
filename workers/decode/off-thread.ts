/**
 * Where a synchronous decoder (libheif, the WebAssembly builds) runs: on the calling thread in
 * a worker (thread or process: decoding is its whole job), in a helper thread (thread.ts) when
 * the caller is the engine's own thread (the `async` model), so that thread never blocks.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isMainThread, Worker } from 'node:worker_threads';
import type { FailureCode } from '../../common/failures.js';
import type { Pixels } from './container.js';
import { DecodeFailure } from './errors.js';

let inline = !isMainThread;

/**
 * Decode on the calling thread from now on (worker processes call it at start).
 *
 * @example
 * decodeInline(); // in workers/process.ts
 */
export function decodeInline(): void {
  inline = true;
}

/**
 * True when decoders may block the calling thread (a worker thread or process), false on
 * the engine's own thread.
 *
 * @example
 * const px = mayBlock() ? decodeHere(bytes) : await offThread('heic', bytes, max);
 */
export function mayBlock(): boolean {
  return inline;
}

interface Answer {
  px?: Pixels;
  failure?: string;
  message?: string;
}

let helper: { worker: Worker; next: number; waiting: Map<number, (m: Answer) => void> } | undefined;

function start(): NonNullable<typeof helper> {
  const js = fileURLToPath(new URL('./thread.js', import.meta.url));
  const file = existsSync(js) ? js : js.replace(/\.js$/, '.ts');
  const worker = new Worker(file, { execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [] });
  const h = { worker, next: 0, waiting: new Map<number, (m: Answer) => void>() };
  worker.on('message', (m: Answer & { id: number }) => {
    h.waiting.get(m.id)?.(m);
    h.waiting.delete(m.id);
    if (!h.waiting.size) worker.unref();
  });
  worker.on('error', (err) => {
    for (const done of h.waiting.values()) done({ failure: 'worker-crashed', message: `decoding thread: ${err.message}` });
    h.waiting.clear();
    helper = undefined;
  });
  return h;
}

/**
 * Run decoder `kind` on the helper thread.
 *
 * @example
 * const px = await offThread('heic', bytes, 100e6);
 */
export function offThread(kind: 'heic' | 'jxl', input: Uint8Array, maxPixels: number): Promise<Pixels> {
  const h = (helper ??= start());
  const id = h.next++;
  h.worker.ref();
  return new Promise((resolve, reject) => {
    h.waiting.set(id, (m) => (m.px ? resolve(m.px) : reject(new DecodeFailure((m.failure ?? 'corrupt') as FailureCode, m.message ?? `${kind} decoding failed`))));
    h.worker.postMessage({ id, kind, input, maxPixels, backend: process.env.PHOTOPOOL_HEIC });
  });
}
