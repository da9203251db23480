/**
 * The decoders' helper thread, for when the caller is the engine's own thread (the `async`
 * model): libheif and the WebAssembly decoders are synchronous, and that thread must never
 * block on a decode. Requests: { id, kind, input, maxPixels, backend }; answers: { id, px }
 * or { id, failure, message }. The pixel buffer is transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import type { Pixels } from './container.js';
import { decodePixels } from './heic-backend.js';
import { decodeJxlPixels } from './jxl-wasm.js';

interface Request {
  id: number;
  kind: 'heic' | 'jxl';
  input: Uint8Array;
  maxPixels: number;
  backend?: string;
}

async function run(m: Request): Promise<Pixels> {
  return m.kind === 'jxl' ? decodeJxlPixels(m.input) : decodePixels(m.input, m.maxPixels, m.backend);
}

parentPort?.on('message', (m: Request) => {
  run(m).then(
    (px) => parentPort!.postMessage({ id: m.id, px }, [px.data.buffer as ArrayBuffer]),
    (err: unknown) => parentPort!.postMessage({ id: m.id, failure: (err as { failure?: string }).failure ?? 'corrupt', message: (err as Error).message }),
  );
});
