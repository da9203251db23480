/**
 * A helper thread for HEIC decoding when the caller is the engine's own thread (the `async`
 * model), so that thread never blocks on a decode (libheif's call and the WebAssembly build
 * are both synchronous). Requests: { id, input, maxPixels, backend }; answers: { id, px, name } or
 * { id, failure, message }. The pixel buffer is transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { decodePixels, heicBackend } from './heic-backend.js';

parentPort?.on('message', (m: { id: number; input: Uint8Array; maxPixels: number; backend?: string }) => {
  try {
    const px = decodePixels(m.input, m.maxPixels, m.backend);
    parentPort!.postMessage({ id: m.id, px, name: heicBackend(m.backend)?.name }, [px.data.buffer as ArrayBuffer]);
  } catch (err) {
    parentPort!.postMessage({ id: m.id, failure: (err as { failure?: string }).failure ?? 'corrupt', message: (err as Error).message });
  }
});
