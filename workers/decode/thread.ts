/**
 * The decoders' helper thread, for when the caller is the engine's own thread (the `async`
 * model): libheif and the WebAssembly decoders are synchronous, and that thread must never
 * block on a decode. Requests: { id, kind, input, maxPixels, backend }; answers: { id, px, name }
 * or { id, failure, message }. The pixel buffer is transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import type { Pixels } from './container.js';
import { decodePixels, heicBackend } from './heic-backend.js';
import { decodeJxlPixels, JXL_DECODER } from './jxl-wasm.js';

interface Request {
  id: number;
  kind: 'heic' | 'jxl';
  input: Uint8Array;
  maxPixels: number;
  backend?: string;
}

async function run(m: Request): Promise<{ px: Pixels; name?: string }> {
  if (m.kind === 'jxl') return { px: await decodeJxlPixels(m.input), name: JXL_DECODER };
  return { px: decodePixels(m.input, m.maxPixels, m.backend), name: heicBackend(m.backend)?.name };
}

parentPort?.on('message', (m: Request) => {
  run(m).then(
    ({ px, name }) => parentPort!.postMessage({ id: m.id, px, name }, [px.data.buffer as ArrayBuffer]),
    (err: unknown) => parentPort!.postMessage({ id: m.id, failure: (err as { failure?: string }).failure ?? 'corrupt', message: (err as Error).message }),
  );
});
