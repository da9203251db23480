/**
 * Which HEIC decoder runs: the system's libheif when it is present with an HEVC decoder
 * (measured faster, BENCHMARKS.md), else libheif's WebAssembly build. PHOTOPOOL_HEIC=native
 * or =wasm forces one (tests and benchmarks compare them), =off disables HEIC input.
 * Loaded once per thread, on the first HEIC file.
 */
import { unsupportedFormat } from './errors.js';
import { loadNative } from './heic-native.js';
import type { HeifBackend, HeifPixels } from './heic-types.js';
import { loadWasm } from './heic-wasm.js';

const loaded = new Map<string, HeifBackend | null>();

/**
 * The decoder `want` (default: PHOTOPOOL_HEIC, else the fastest available), or null.
 *
 * @example
 * heicBackend()?.name // 'libheif 1.15.1 (system library, through koffi)'
 */
export function heicBackend(want = process.env.PHOTOPOOL_HEIC ?? 'auto'): HeifBackend | null {
  if (!loaded.has(want)) {
    const pick = want === 'off' ? null : want === 'native' ? loadNative() : want === 'wasm' ? loadWasm() : (loadNative() ?? loadWasm());
    loaded.set(want, pick);
  }
  return loaded.get(want)!;
}

/**
 * Decode the primary image with the chosen backend, on this thread.
 *
 * @example
 * const px = decodePixels(bytes, 100e6); // px.width, px.height, px.data (RGB or RGBA)
 */
export function decodePixels(input: Uint8Array, maxPixels: number, want?: string): HeifPixels {
  const b = heicBackend(want);
  if (!b) throw unsupportedFormat('HEIC (HEVC)', 'libheif with its HEVC plugin (e.g. apt install libheif1 libde265-0), or reinstall PhotoPool to restore its WebAssembly decoder');
  return b.decode(input, maxPixels);
}
