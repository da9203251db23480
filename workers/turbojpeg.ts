/**
 * libjpeg-turbo's TurboJPEG 3 API through koffi (FFI, no compiler needed): a luma-only or RGB
 * decode at a DCT scale of n/8 (the luma and colour lanes) and a one-channel encode. The
 * library comes from, in order: PHOTOPOOL_TURBOJPEG (a path), the libturbojpeg.so.0 bundled in
 * @julusian/jpeg-turbo's Linux prebuilds, the system's libturbojpeg.so.0. Only TurboJPEG >= 3.0
 * (`tj3*`) is used; anything else (macOS and Windows, where no shared library ships; Debian 12's
 * 2.1) leaves PhotoPool on sharp alone. PHOTOPOOL_TURBOJPEG=off turns the lanes off.
 *
 * A worker (thread or process) calls the library directly: converting is its whole job.
 * On the engine's own thread (the `async` model) calls go through koffi's `.async`, on
 * koffi's threads, so that thread never blocks. A handle serves one call at a time (a free list).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import { mayBlock } from './blocking.js';

const TJINIT_COMPRESS = 0;
const TJINIT_DECOMPRESS = 1;
const TJPF_RGB = 0;
const TJPF_GRAY = 6;
const TJSAMP_GRAY = 3;
/** Parameter ids of `tj3Set`/`tj3Get` (turbojpeg.h, enum TJPARAM). */
const P = { stopOnWarning: 0, quality: 3, subsamp: 4, width: 5, height: 6, precision: 7, colorspace: 8, optimize: 11, scanLimit: 13, lossless: 15 } as const;
/** TJCS_YCbCr and TJCS_GRAY: the colour spaces whose Y plane is the luma we want. */
const LUMA_SPACES = new Set([1, 2]);
/** TJCS_YCbCr alone: a colour JPEG as cameras and phones write it (not gray, RGB-coded, CMYK or YCCK). */
const COLOUR_SPACES = new Set([1]);

type Fn = ((...args: unknown[]) => unknown) & { async: (...args: unknown[]) => void };

interface Lib {
  path: string;
  init: Fn;
  set: Fn;
  get: Fn;
  header: Fn;
  scale: Fn;
  decompress: Fn;
  compress: Fn;
  free: Fn;
  error: Fn;
}

function candidates(): string[] {
  const out: string[] = [];
  if (process.env.PHOTOPOOL_TURBOJPEG) out.push(process.env.PHOTOPOOL_TURBOJPEG);
  if (process.platform === 'linux') {
    try {
      const root = dirname(createRequire(import.meta.url).resolve('@julusian/jpeg-turbo/package.json'));
      // glibc build first; on musl it fails to load and the musl build follows
      for (const libc of ['', '-musl']) out.push(join(root, 'prebuilds', `jpeg-turbo-linux-${process.arch}${libc}`, 'libturbojpeg.so.0'));
    } catch {
      // optional dependency not installed
    }
    out.push('libturbojpeg.so.0');
  }
  return out;
}

let lib: Lib | null | undefined;

function load(): Lib | null {
  if (lib !== undefined) return lib;
  lib = null;
  if (process.env.PHOTOPOOL_TURBOJPEG === 'off') return lib;
  for (const path of candidates()) {
    if (path.includes('/') && !existsSync(path)) continue;
    try {
      const so = koffi.load(path);
      koffi.struct('pp_tjscalingfactor', { num: 'int', denom: 'int' });
      const f = (proto: string) => so.func(proto) as Fn;
      lib = {
        path,
        init: f('void *tj3Init(int initType)'),
        set: f('int tj3Set(void *h, int param, int value)'),
        get: f('int tj3Get(void *h, int param)'),
        header: f('int tj3DecompressHeader(void *h, const uint8_t *buf, size_t size)'),
        scale: f('int tj3SetScalingFactor(void *h, pp_tjscalingfactor sf)'),
        decompress: f('int tj3Decompress8(void *h, const uint8_t *buf, size_t size, uint8_t *dst, int pitch, int pf)'),
        compress: f('int tj3Compress8(void *h, const uint8_t *src, int w, int pitch, int hgt, int pf, _Inout_ void **out, _Inout_ size_t *outSize)'),
        free: f('void tj3Free(void *p)'),
        error: f('const char *tj3GetErrorStr(void *h)'),
      };
      return lib;
    } catch {
      // not there, or a TurboJPEG older than 3.0: try the next one
    }
  }
  return lib;
}

/** Where libturbojpeg was loaded from, or null when the luma lane is unavailable. */
export function turboPath(): string | null {
  return load()?.path ?? null;
}

const handles: Record<number, unknown[]> = { [TJINIT_COMPRESS]: [], [TJINIT_DECOMPRESS]: [] };

async function withHandle<T>(l: Lib, kind: number, work: (h: unknown) => Promise<T>): Promise<T> {
  const h = handles[kind]!.pop() ?? l.init(kind);
  if (!h) throw new Error('tj3Init failed');
  try {
    return await work(h);
  } finally {
    handles[kind]!.push(h);
  }
}

function call(fn: Fn, ...args: unknown[]): Promise<number> {
  if (mayBlock()) return Promise.resolve(fn(...args) as number);
  return new Promise((resolve, reject) => fn.async(...args, (err: unknown, rc: number) => (err ? reject(err) : resolve(rc))));
}

export interface JpegInfo {
  width: number;
  height: number;
}

/**
 * Width and height of a JPEG whose Y plane is luma (YCbCr or gray), or null for any other
 * JPEG (RGB, CMYK, YCCK, lossless, 12-bit) or when the library is unavailable.
 */
export function lumaInfo(jpeg: Uint8Array): JpegInfo | null {
  return info(jpeg, LUMA_SPACES);
}

/**
 * Width and height of an 8-bit YCbCr JPEG (what the colour lane decodes to RGB), or null for any
 * other (gray, RGB-coded, CMYK, YCCK, lossless, 12-bit) or when the library is unavailable.
 */
export function colourInfo(jpeg: Uint8Array): JpegInfo | null {
  return info(jpeg, COLOUR_SPACES);
}

function info(jpeg: Uint8Array, spaces: ReadonlySet<number>): JpegInfo | null {
  const l = load();
  if (!l) return null;
  const h = handles[TJINIT_DECOMPRESS]!.pop() ?? l.init(TJINIT_DECOMPRESS);
  if (!h) return null;
  try {
    if (l.header(h, jpeg, jpeg.length) !== 0) return null;
    if (!spaces.has(l.get(h, P.colorspace) as number)) return null;
    if (l.get(h, P.precision) !== 8 || l.get(h, P.lossless) === 1) return null;
    return { width: l.get(h, P.width) as number, height: l.get(h, P.height) as number };
  } finally {
    handles[TJINIT_DECOMPRESS]!.push(h);
  }
}

/**
 * Decode only the Y plane of `jpeg` at `n`/8 of its size (n = 1..8) into `out`, which holds
 * width x height = ceil(W*n/8) x ceil(H*n/8) bytes. Rejects with libjpeg's message on any error or
 * warning (corrupt data, truncation) and after 500 progressive scans.
 *
 * @example
 * await decodeLuma(buf, 2, 1000, 750, Buffer.alloc(1000 * 750)); // a 4000x3000 JPEG at 1/4
 */
export function decodeLuma(jpeg: Uint8Array, n: number, width: number, height: number, out: Uint8Array): Promise<void> {
  return decodeScaled(jpeg, n, width, height, out, TJPF_GRAY, 1);
}

/**
 * Decode `jpeg` to RGB (3 bytes a pixel, libjpeg's smooth chroma upsampling) at `n`/8 of its
 * size into `out` (width x height x 3 bytes); rejects as {@link decodeLuma}.
 *
 * @example
 * await decodeRgb(buf, 4, 2000, 1500, Buffer.alloc(2000 * 1500 * 3)); // a 4000x3000 JPEG at 1/2
 */
export function decodeRgb(jpeg: Uint8Array, n: number, width: number, height: number, out: Uint8Array): Promise<void> {
  return decodeScaled(jpeg, n, width, height, out, TJPF_RGB, 3);
}

function decodeScaled(jpeg: Uint8Array, n: number, width: number, height: number, out: Uint8Array, pf: number, bands: number): Promise<void> {
  const l = load();
  if (!l) return Promise.reject(new Error('libturbojpeg is not available'));
  const g = n === 8 ? 8 : n % 4 === 0 ? 4 : n % 2 === 0 ? 2 : 1; // reduced fractions only
  return withHandle(l, TJINIT_DECOMPRESS, async (h) => {
    l.set(h, P.stopOnWarning, 1);
    l.set(h, P.scanLimit, 500);
    if (l.header(h, jpeg, jpeg.length) !== 0) throw new Error(String(l.error(h)));
    if (l.scale(h, { num: n / g, denom: 8 / g }) !== 0) throw new Error(String(l.error(h)));
    if (out.length !== width * height * bands) throw new Error(`decodeScaled: out holds ${out.length} bytes, not ${width}x${height}x${bands}`);
    if ((await call(l.decompress, h, jpeg, jpeg.length, out, width * bands, pf)) !== 0) throw new Error(String(l.error(h)));
  });
}

/**
 * Encode a one-channel raster as a grayscale baseline JPEG, by default with optimised Huffman
 * tables (sharp's default, so both lanes write files of the same size; `optimise` false writes
 * the standard tables, as OpenCV and vipsthumbnail do: scripts/bench/gray-stages.mjs compares).
 *
 * @example
 * const jpeg = await encodeLuma(pixels, 1024, 768, 80);
 */
export function encodeLuma(pixels: Uint8Array, width: number, height: number, quality: number, optimise = true): Promise<Buffer> {
  const l = load();
  if (!l) return Promise.reject(new Error('libturbojpeg is not available'));
  return withHandle(l, TJINIT_COMPRESS, async (h) => {
    l.set(h, P.subsamp, TJSAMP_GRAY);
    l.set(h, P.optimize, optimise ? 1 : 0);
    l.set(h, P.quality, quality);
    const out: [unknown] = [null];
    const size: [number | bigint] = [0];
    const rc = await call(l.compress, h, pixels, width, width, height, TJPF_GRAY, out, size);
    try {
      if (rc !== 0) throw new Error(String(l.error(h)));
      return Buffer.from(new Uint8Array(koffi.view(out[0], Number(size[0])) as ArrayBuffer)); // a copy: freed below
    } finally {
      if (out[0]) l.free(out[0]);
    }
  });
}
