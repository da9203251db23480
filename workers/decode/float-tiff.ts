/**
 * 64-bit floating point TIFFs, which libvips refuses ("samples out of range"): strips or
 * tiles, uncompressed or Deflate, no predictor, chunky samples, either byte order. Converted
 * to 32-bit float and handed to libvips, which reads float RGB as linear light (scRGB, the
 * convention of Photoshop's and GIMP's 32-bit modes) and converts it to 8-bit sRGB: a float
 * image in 0..1 comes out with its tones, not black or "damaged".
 */
import { inflateSync } from 'node:zlib';
import type { ConvertTask } from '../../common/task.js';
import { toContainer } from './container.js';
import { checkPixels, corruptData, DecodeFailure, unsupportedFormat } from './errors.js';
import type { Source } from './index.js';
import { openTiff, readIfd, tags, values, type Tiff } from './tiff.js';

const T = { bits: 258, compression: 259, spp: 277, rows: 278, offsets: 273, counts: 279, planar: 284, predictor: 317, tileW: 322, tileH: 323, tileOffsets: 324, tileCounts: 325, format: 339 } as const;

function ifd0(b: Buffer): { t: Tiff; d: ReturnType<typeof tags> } | null {
  const t = openTiff(b);
  if (!t) return null;
  return { t, d: tags(readIfd(t, t.first).entries) };
}

/**
 * True for a TIFF whose first image has 64-bit floating point samples.
 *
 * @example
 * isFloat64Tiff(readFileSync('depth.tif')) // true
 */
export function isFloat64Tiff(b: Buffer): boolean {
  try {
    const f = ifd0(b);
    const fmt = f?.d.get(T.format);
    const bits = f?.d.get(T.bits);
    return !!(f && fmt && bits && values(f.t, fmt)[0] === 3 && values(f.t, bits)[0] === 64);
  } catch {
    return false;
  }
}

/**
 * Decode a 64-bit float TIFF into a 32-bit float one sharp reads.
 *
 * @example
 * const src = await decodeFloat64Tiff(readFileSync('render.tif'), task);
 */
export async function decodeFloat64Tiff(b: Buffer, task: ConvertTask): Promise<Source> {
  const { t, d } = ifd0(b)!;
  const one = (tag: number, dflt = 0) => (d.get(tag) ? values(t, d.get(tag)!)[0]! : dflt);
  const width = one(256);
  const height = one(257);
  const spp = one(T.spp, 1);
  checkPixels(width, height, task.limits.maxPixels, 'TIFF');
  const compression = one(T.compression, 1);
  if (![1, 8, 32946].includes(compression) || one(T.predictor, 1) !== 1 || one(T.planar, 1) !== 1 || spp < 1 || spp > 4) {
    throw unsupportedFormat(`64-bit float TIFF (compression ${compression}, predictor ${one(T.predictor, 1)})`, 'tifffile (Python) or GIMP, saving as 32-bit float');
  }
  const tiled = d.has(T.tileOffsets);
  const cw = tiled ? one(T.tileW) : width;
  const ch = tiled ? one(T.tileH) : Math.min(one(T.rows, height), height);
  const offsets = values(t, d.get(tiled ? T.tileOffsets : T.offsets)!, 1 << 20);
  const counts = values(t, d.get(tiled ? T.tileCounts : T.counts)!, 1 << 20);
  const across = tiled ? Math.ceil(width / cw) : 1;
  const out = new Float32Array(width * height * spp);
  offsets.forEach((off, i) => {
    if (off + counts[i]! > b.length) throw new DecodeFailure('truncated', `TIFF: chunk ${i} ends past the end of the file`);
    let raw = b.subarray(off, off + counts[i]!);
    if (compression !== 1) raw = inflateSync(raw);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const x0 = (i % across) * cw;
    const y0 = Math.floor(i / across) * ch;
    for (let y = 0; y < ch && y0 + y < height; y++) {
      for (let x = 0; x < cw && x0 + x < width; x++) {
        for (let s = 0; s < spp; s++) {
          const at = ((y * cw + x) * spp + s) * 8;
          if (at + 8 > raw.length) throw corruptData('TIFF', `chunk ${i} holds fewer samples than its size says`);
          out[((y0 + y) * width + x0 + x) * spp + s] = view.getFloat64(at, t.le);
        }
      }
    }
  });
  return { data: toContainer({ data: out, width, height, channels: spp as 1 | 2 | 3 | 4 }, false) };
}
