/**
 * JPEG XL through @jsquash/jxl (libjxl compiled to WebAssembly, Apache-2.0). Its .wasm is
 * compiled at run time from the separate file node_modules/@jsquash/jxl/codec/dec/jxl_dec.wasm
 * (found by package resolution, so packaging can unpack it from asar). It decodes to 8-bit RGBA
 * in sRGB; an alpha band that is opaque everywhere is dropped.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Pixels } from './container.js';
import { corruptData } from './errors.js';

type Decode = (buf: ArrayBuffer) => Promise<{ width: number; height: number; data: Uint8ClampedArray }>;
let decoder: Promise<Decode> | undefined;
/** The WebAssembly global (this layer compiles without the DOM types that declare it). */
const wasm = (globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<unknown> } }).WebAssembly;

function load(): Promise<Decode> {
  decoder ??= (async () => {
    const dir = dirname(createRequire(import.meta.url).resolve('@jsquash/jxl/package.json'));
    const m = (await import('@jsquash/jxl/decode.js')) as unknown as { init(module: unknown): Promise<unknown>; default: Decode };
    await m.init(await wasm.compile(readFileSync(join(dir, 'codec/dec/jxl_dec.wasm'))));
    return m.default;
  })();
  return decoder;
}

/**
 * Decode a JPEG XL file (the caller has checked its size against the pixel limit).
 *
 * @example
 * const px = await decodeJxlPixels(readFileSync('a.jxl')); // { width, height, channels: 3 | 4, data }
 */
export async function decodeJxlPixels(input: Uint8Array): Promise<Pixels> {
  const decode = await load();
  const copy = input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength) as ArrayBuffer;
  let img;
  try {
    img = await decode(copy);
  } catch (err) {
    throw corruptData('JPEG XL', (err as Error).message || 'the decoder failed');
  }
  const rgba = new Uint8Array(img.data.buffer, img.data.byteOffset, img.data.byteLength);
  let opaque = true;
  for (let i = 3; i < rgba.length && opaque; i += 4) opaque = rgba[i] === 255;
  if (!opaque) return { data: rgba, width: img.width, height: img.height, channels: 4 };
  const rgb = new Uint8Array(img.width * img.height * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4, o += 3) {
    rgb[o] = rgba[i]!;
    rgb[o + 1] = rgba[i + 1]!;
    rgb[o + 2] = rgba[i + 2]!;
  }
  return { data: rgb, width: img.width, height: img.height, channels: 3 };
}
