/**
 * Previews for the UI, on a worker thread of the UI session (never on Electron's main thread):
 * an input through the engine's own pipeline (pipeline.ts: the luma lane, the decoders of
 * decode/, Rec.601 gray), in memory, nothing written. Messages: common/preview.ts.
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import sharp from 'sharp';
import type { PreviewJobMessage, PreviewReplyMessage } from '../common/preview.js';
import type { EncodeFormat } from '../common/task.js';
import { encode } from './pipeline.js';

/** Formats Chromium shows as they are. */
const SHOWN: Partial<Record<EncodeFormat, string>> = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp', avif: 'image/avif' };

async function render(m: PreviewJobMessage): Promise<Omit<Extract<PreviewReplyMessage, { ok: true }>, 'id' | 'ok'>> {
  const input = await readFile(m.task.input);
  if (input.length > m.task.limits.maxFileBytes) throw new Error(`${m.task.input} is larger than the ${m.task.limits.maxFileBytes}-byte limit`);
  const out = await encode(input, m.task);
  const small = Math.max(out.outWidth, out.outHeight) <= m.maxSize;
  const mime = SHOWN[m.task.format];
  let image: string;
  let [width, height] = [out.outWidth, out.outHeight];
  if (small && mime) image = `data:${mime};base64,${out.data.toString('base64')}`;
  else {
    const shown = await sharp(out.data).resize({ width: m.maxSize, height: m.maxSize, fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 85 }).toBuffer({ resolveWithObject: true });
    image = `data:image/jpeg;base64,${shown.data.toString('base64')}`;
    [width, height] = [shown.info.width, shown.info.height];
  }
  return {
    image,
    width,
    height,
    inputWidth: out.width,
    inputHeight: out.height,
    inputBytes: input.length,
    output: m.recipe ? { width: out.outWidth, height: out.outHeight, bytes: out.data.length, format: m.task.format } : null,
  };
}

parentPort?.on('message', (m: PreviewJobMessage) => {
  render(m).then(
    (r) => parentPort!.postMessage({ id: m.id, ok: true, ...r } satisfies PreviewReplyMessage),
    (err: Error) => parentPort!.postMessage({ id: m.id, ok: false, message: err?.message ?? String(err) } satisfies PreviewReplyMessage),
  );
});
