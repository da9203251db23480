/**
 * Where a synchronous decoder (libheif, the WebAssembly builds) runs: on the calling thread in
 * a worker (thread or process: decoding is its whole job), in a helper thread (thread.ts) when
 * the caller is the engine's own thread (the `async` model), so that thread never blocks.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { FailureCode } from '../../common/failures.js';
import type { Pixels } from './container.js';
import { DecodeFailure } from './errors.js';

interface Answer {
  px?: Pixels;
  failure?: string;
  message?: string;
}

interface Pending {
  msg: { id: number; kind: 'heic' | 'jxl'; input: Uint8Array; maxPixels: number; backend?: string };
  done: (m: Answer) => void;
}

/** Requests not answered yet, by id; the helper thread answers them in order. */
const pending = new Map<number, Pending>();
let nextId = 0;
let helper: Worker | undefined;

function start(): Worker {
  const js = fileURLToPath(new URL('./thread.js', import.meta.url));
  const file = existsSync(js) ? js : js.replace(/\.js$/, '.ts');
  // From sources (tests under tsx), register tsx inside the thread first: Node 20 ignores
  // `--import` in a Worker's execArgv.
  const worker = file.endsWith('.ts')
    ? new Worker(`import('tsx/esm/api').then((t) => t.register()).then(() => import(${JSON.stringify(pathToFileURL(file).href)}))`, { eval: true })
    : new Worker(file);
  worker.on('message', (m: Answer & { id: number }) => {
    pending.get(m.id)?.done(m);
    pending.delete(m.id);
    if (!pending.size) worker.unref();
  });
  worker.on('error', (err) => {
    if (helper !== worker) return;
    helper = undefined;
    for (const p of pending.values()) p.done({ failure: 'worker-crashed', message: `decoding thread: ${err.message}` });
    pending.clear();
  });
  return worker;
}

/** A decode ran past the time limit: end that thread, fail the file, resend the others to a new one. */
function stuck(id: number, why: string): void {
  const p = pending.get(id);
  if (!p) return;
  pending.delete(id);
  const old = helper;
  helper = undefined;
  void old?.terminate();
  p.done({ failure: 'timed-out', message: why });
  if (!pending.size) return;
  helper = start();
  for (const q of pending.values()) helper.postMessage(q.msg);
}

/**
 * Run decoder `kind` on the helper thread; after `timeoutSeconds` (0: never) the thread is
 * ended and replaced, so a stuck decode never holds up the next files.
 *
 * @example
 * const px = await offThread('heic', bytes, 100e6, 60);
 */
export function offThread(kind: 'heic' | 'jxl', input: Uint8Array, maxPixels: number, timeoutSeconds = 0): Promise<Pixels> {
  helper ??= start();
  helper.ref();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const msg = { id, kind, input, maxPixels, backend: process.env.PHOTOPOOL_HEIC };
    pending.set(id, {
      msg,
      done: (m) => {
        clearTimeout(timer);
        if (m.px) resolve(m.px);
        else reject(new DecodeFailure((m.failure ?? 'corrupt') as FailureCode, m.message ?? `${kind} decoding failed`));
      },
    });
    helper!.postMessage(msg);
    if (timeoutSeconds > 0) timer = setTimeout(() => stuck(id, `${kind === 'heic' ? 'HEIC' : 'JPEG XL'} decoding took longer than ${timeoutSeconds} s`), timeoutSeconds * 1000);
  });
}
