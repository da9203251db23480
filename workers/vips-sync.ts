/**
 * A resize (and quarter turns and mirrors) of a one- or three-channel raster by libvips, and its
 * JPEG or WebP encode, computed on the calling thread. sharp runs every pipeline on a libuv
 * thread, which hands the pixels to a libvips worker thread: per file, the worker sleeps while
 * two other threads wake in turn, and on 2 cores the woken ones often land on the core that the
 * other worker is using while this one idles. Here the same libvips operations are built through
 * its C API (koffi) and computed on this thread by `vips_region_prepare_to`, straight into the
 * caller's buffer, {@link STRIP} rows at a time (so no step holds a whole-image buffer), and
 * nothing is handed off but the encoder's own write-behind. The resized pixels are sharp's
 * (test/vips-sync.test.ts): the same library, the same operations in the same order.
 *
 * The library is the libvips that sharp itself loaded (@img/sharp-libvips-<platform>, Linux
 * only); anywhere it cannot be found or loaded, {@link vipsSync} is null and callers use sharp.
 * Never on the engine's own thread (the `async` model), which must not block.
 * PHOTOPOOL_VIPS_SYNC=off turns it off (to measure the difference).
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import koffi from 'koffi';
import 'sharp'; // loads (and initialises) the very libvips used here
import { mayBlock } from './blocking.js';
import { exifSteps } from './orientation.js';
import type { Kernel } from '../common/job.js';

/** VipsKernel (libvips resample.h). */
const KERNELS: Record<Exclude<Kernel, 'auto'>, number> = { nearest: 0, linear: 1, cubic: 2, mitchell: 3, lanczos2: 4, lanczos3: 5 };
const VIPS_FORMAT_UCHAR = 0;
const HORIZONTAL = 0;
const VERTICAL = 1;
/** Output rows computed at a time (64: a few tens of KiB per step; 32-128 measured alike). */
export const STRIP = 64;

type Fn = (...args: unknown[]) => unknown;

export interface VipsSync {
  /**
   * Shrink a `w` x `h` raster of `bands` channels (1, the default, or 3: RGB) to `tw` x `th`
   * (after the EXIF `orientation`, 1-8, is applied), exactly as sharp's `rotate()`/`flip()`/`flop()`
   * then `resize(tw, th, { fit: 'fill', kernel })`, into `out` (`tw * th * bands` bytes), `rows`
   * rows at a time (default {@link STRIP}; the bytes do not depend on it).
   */
  resizeOriented(plane: Buffer, w: number, h: number, tw: number, th: number, orientation: number, kernel: Exclude<Kernel, 'auto'>, out: Buffer, bands?: number, rows?: number): void;
  /**
   * Encode a `w` x `h` RGB raster as sharp's `jpeg({ quality })` or `webp({ quality })` does
   * (libvips' jpegsave and webpsave with sharp's settings; no metadata).
   */
  save(rgb: Buffer, w: number, h: number, format: 'jpeg' | 'webp', quality: number): Buffer;
}

/** VipsForeignSubsample ON (sharp's default chroma subsampling, 4:2:0 at any quality) and VipsForeignKeep NONE. */
const SUBSAMPLE_ON = 1;
const KEEP_NONE = 0;

/**
 * The libvips this module would load: sharp's own (`@img/sharp-libvips-<platform>`), or null.
 *
 * @example
 * vipsLibraryPath() // '/app/node_modules/@img/sharp-libvips-linux-x64/lib/libvips-cpp.so.8.18.7'
 */
export function vipsLibraryPath(): string | null {
  if (process.platform !== 'linux') return null;
  // sharp's own dependency, resolved from sharp's folder; glibc build first (on musl it is absent)
  let fromSharp: NodeJS.Require;
  try {
    fromSharp = createRequire(createRequire(import.meta.url).resolve('sharp'));
  } catch {
    return null;
  }
  for (const libc of ['', 'musl']) {
    try {
      const path = fromSharp.resolve(`@img/sharp-libvips-linux${libc}-${process.arch}/binary`);
      if (existsSync(path)) return path;
    } catch {
      // not this one
    }
  }
  return null;
}

function load(): VipsSync | null {
  if (process.env.PHOTOPOOL_VIPS_SYNC === 'off') return null;
  const path = vipsLibraryPath();
  if (!path) return null;
  try {
    const so = koffi.load(path);
    const f = (proto: string) => so.func(proto) as Fn;
    const fromMemory = f('void *vips_image_new_from_memory(const uint8_t *data, size_t size, int width, int height, int bands, int format)');
    const resize = f('int vips_resize(void *in, _Out_ void **out, double scale, ...)');
    const rot = f('int vips_rot(void *in, _Out_ void **out, int angle, ...)');
    const flip = f('int vips_flip(void *in, _Out_ void **out, int direction, ...)');
    const width = f('int vips_image_get_width(void *image)');
    const height = f('int vips_image_get_height(void *image)');
    const regionNew = f('void *vips_region_new(void *image)');
    koffi.struct('pp_VipsRect', { left: 'int', top: 'int', width: 'int', height: 'int' });
    const regionImage = f('int vips_region_image(void *region, const pp_VipsRect *r)');
    const prepareTo = f('int vips_region_prepare_to(void *region, void *dest, const pp_VipsRect *r, int x, int y)');
    const unref = f('void g_object_unref(void *object)');
    const jpegsave = f('int vips_jpegsave_buffer(void *in, _Out_ void **buf, _Out_ size_t *len, ...)');
    const webpsave = f('int vips_webpsave_buffer(void *in, _Out_ void **buf, _Out_ size_t *len, ...)');
    const gFree = f('void g_free(void *mem)');
    const errorBuffer = f('const char *vips_error_buffer(void)');
    const errorClear = f('void vips_error_clear(void)');

    const fail = (what: string): never => {
      const msg = String(errorBuffer() ?? '').trim();
      errorClear();
      throw new Error(`libvips ${what}: ${msg || 'failed'}`);
    };

    return {
      resizeOriented(plane, w, h, tw, th, orientation, kernel, out, bands = 1, rows = STRIP) {
        if (out.length < tw * th * bands) throw new Error(`vipsSync: ${out.length} bytes cannot hold ${tw}x${th}x${bands}`);
        const owned: unknown[] = [];
        const step = (what: string, call: (result: unknown[]) => unknown): unknown => {
          const result: unknown[] = [null];
          if (call(result) !== 0) fail(what);
          owned.push(result[0]);
          return result[0];
        };
        try {
          // no copies (koffi passes a Buffer's own memory): every image is unreferenced below, before the caller may reuse its memory
          let img = fromMemory(plane, w * h * bands, w, h, bands, VIPS_FORMAT_UCHAR);
          if (!img) fail('new_from_memory');
          owned.push(img);
          // sharp (rotate() before resize()): a mirror with a turn happens before the resize
          // (vertical, then horizontal, then the turn); a mirror alone happens after it.
          const { turns, mirror: m } = exifSteps(orientation);
          const mirror = m === 'horizontal' ? HORIZONTAL : m === 'vertical' ? VERTICAL : -1;
          if (turns && mirror >= 0) img = step('flip', (o) => flip(img, o, mirror, 'void *', null));
          if (turns) img = step('rot', (o) => rot(img, o, turns, 'void *', null)); // VipsAngle: D90 = 1, D180 = 2, D270 = 3
          const iw = width(img) as number;
          const ih = height(img) as number;
          if (iw !== tw || ih !== th) {
            // sharp passes 1 / (in / target): the same doubles, so the same filter positions
            img = step('resize', (o) => resize(img, o, 1 / (iw / tw), 'const char *', 'vscale', 'double', 1 / (ih / th), 'const char *', 'kernel', 'int', KERNELS[kernel], 'void *', null));
          }
          if (!turns && mirror >= 0) img = step('flip', (o) => flip(img, o, mirror, 'void *', null));
          if (width(img) !== tw || height(img) !== th) throw new Error(`libvips returned ${String(width(img))}x${String(height(img))}, expected ${tw}x${th}`);
          const region = regionNew(img);
          if (!region) fail('region_new');
          owned.push(region);
          // the pixels go straight into `out`: a region on a memory image over it
          const target = fromMemory(out, tw * th * bands, tw, th, bands, VIPS_FORMAT_UCHAR);
          if (!target) fail('new_from_memory');
          owned.push(target);
          const dest = regionNew(target);
          if (!dest) fail('region_new');
          owned.push(dest);
          if (regionImage(dest, { left: 0, top: 0, width: tw, height: th }) !== 0) fail('region_image');
          // a few rows at a time, so that every step's buffers stay small
          for (let top = 0; top < th; top += rows) {
            if (prepareTo(region, dest, { left: 0, top, width: tw, height: Math.min(rows, th - top) }, 0, top) !== 0) fail('region_prepare_to');
          }
        } finally {
          for (const o of owned.reverse()) unref(o);
        }
      },

      save(rgb, w, h, format, quality) {
        const img = fromMemory(rgb, w * h * 3, w, h, 3, VIPS_FORMAT_UCHAR);
        if (!img) fail('new_from_memory');
        const buf: unknown[] = [null];
        const len: unknown[] = [0];
        try {
          // sharp's settings (its pipeline.cc): jpeg Q, 4:2:0, optimised Huffman tables, no
          // trellis, overshoot, scan optimisation or interlace, Annex K tables; webp Q at effort 4
          // (libvips' defaults for the rest); no metadata kept
          const rc =
            format === 'jpeg'
              ? jpegsave(img, buf, len, 'const char *', 'Q', 'int', quality, 'const char *', 'subsample_mode', 'int', SUBSAMPLE_ON, 'const char *', 'optimize_coding', 'int', 1, 'const char *', 'keep', 'int', KEEP_NONE, 'void *', null)
              : webpsave(img, buf, len, 'const char *', 'Q', 'int', quality, 'const char *', 'effort', 'int', 4, 'const char *', 'keep', 'int', KEEP_NONE, 'void *', null);
          if (rc !== 0) fail(`${format}save`);
          return Buffer.from(new Uint8Array(koffi.view(buf[0], Number(len[0])) as ArrayBuffer)); // a copy: freed below
        } finally {
          if (buf[0]) gFree(buf[0]);
          unref(img);
        }
      },
    };
  } catch {
    return null;
  }
}

let loaded: VipsSync | null | undefined;

/**
 * The on-thread libvips, or null where this thread may not block (the engine's own) or the
 * library is not available: then use sharp.
 *
 * @example
 * vipsSync()?.resizeOriented(plane, 1500, 1125, 768, 1024, 6, 'linear', out); // turned: out holds 768x1024
 */
export function vipsSync(): VipsSync | null {
  if (!mayBlock()) return null;
  if (loaded === undefined) loaded = load();
  return loaded;
}
