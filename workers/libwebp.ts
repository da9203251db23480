/**
 * The system's libwebp (koffi, no compiler), for the colour lane's WebP encode. sharp's own
 * libvips links libwebp statically with its symbols hidden; the same encoder built by the
 * distribution writes the same bytes here (Debian 12's 1.2.4 against sharp's 1.6.0) in about
 * 0.83x the time (BENCHMARKS.md "Session 10"), and it is what `vipsthumbnail` uses. Where none
 * loads (macOS, Windows, a Linux without libwebp7) the lane encodes through libvips as before.
 * PHOTOPOOL_LIBWEBP names another library file, or `off` to use libvips' encoder.
 *
 * Only a worker that may block calls it (the colour lane): the call is synchronous.
 */
import koffi from 'koffi';
import { mayBlock } from './blocking.js';

type Fn = (...args: unknown[]) => unknown;

interface Lib {
  path: string;
  version: string;
  encodeRgb: Fn;
  free: Fn;
}

/** libwebp's largest width or height (WEBP_MAX_DIMENSION). */
const MAX_DIMENSION = 16383;

let lib: Lib | null | undefined;

function load(): Lib | null {
  if (lib !== undefined) return lib;
  lib = null;
  const wanted = process.env.PHOTOPOOL_LIBWEBP;
  if (wanted === 'off') return lib;
  const path = wanted || (process.platform === 'linux' ? 'libwebp.so.7' : null);
  if (!path) return lib;
  try {
    const so = koffi.load(path);
    const v = so.func('int WebPGetEncoderVersion(void)')() as number;
    // 1.0 or later: WebPFree, and the encoder settings libvips and sharp use
    if (v < 0x010000) return lib;
    lib = {
      path,
      version: `${v >> 16}.${(v >> 8) & 0xff}.${v & 0xff}`,
      // WebPConfigPreset(DEFAULT, quality), method 4, one pass, YUV 4:2:0 without sharp YUV:
      // libvips' webpsave with sharp's defaults, which is all the colour lane writes
      encodeRgb: so.func('size_t WebPEncodeRGB(const uint8_t *rgb, int width, int height, int stride, float quality, _Out_ void **output)') as Fn,
      free: so.func('void WebPFree(void *ptr)') as Fn,
    };
  } catch {
    // not installed, or not a libwebp: libvips encodes
  }
  return lib;
}

/**
 * The system libwebp the colour lane encodes with, or null (then libvips' own encodes).
 *
 * @example
 * webpLibrary() // { path: 'libwebp.so.7', version: '1.2.4' }
 */
export function webpLibrary(): { path: string; version: string } | null {
  const l = load();
  return l ? { path: l.path, version: l.version } : null;
}

/**
 * Encode a `width` x `height` RGB raster (3 bytes a pixel, rows packed) as a lossy WebP at
 * `quality` (1-100) with sharp's settings and no metadata, or return null when the system library
 * is unavailable, this thread may not block, the image is beyond WebP's 16383 px or libwebp
 * fails: the caller then encodes through libvips, which words any error.
 *
 * @example
 * const webp = encodeWebpRgb(rgb, 1600, 1200, 75) ?? vipsSync()!.save(rgb, 1600, 1200, 'webp', 75);
 */
export function encodeWebpRgb(rgb: Uint8Array, width: number, height: number, quality: number): Buffer | null {
  const l = load();
  if (!l || !mayBlock() || width > MAX_DIMENSION || height > MAX_DIMENSION) return null;
  if (rgb.length !== width * height * 3) throw new Error(`encodeWebpRgb: rgb holds ${rgb.length} bytes, not ${width}x${height}x3`);
  const out: [unknown] = [null];
  const size = Number(l.encodeRgb(rgb, width, height, width * 3, quality, out));
  try {
    return size > 0 ? Buffer.from(new Uint8Array(koffi.view(out[0], size) as ArrayBuffer)) : null; // a copy: freed below
  } finally {
    if (out[0]) l.free(out[0]);
  }
}
