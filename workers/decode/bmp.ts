/**
 * Windows BMP (sharp has no BMP loader): 1/4/8-bit palette (uncompressed or RLE8/RLE4),
 * 16-bit (5-5-5 or bit fields), 24-bit, 32-bit (BGRX, or with an alpha mask in a V4/V5
 * header), bottom-up or top-down, OS/2 core headers, and the JPEG or PNG a BMP may embed.
 * An ICC profile embedded in a V5 header is kept. About 150 lines did not justify a
 * dependency: the npm BMP decoders are unmaintained or lack RLE and bit fields.
 */
import type { ConvertTask } from '../../common/task.js';
import { toContainer } from './container.js';
import { checkPixels, corruptData, DecodeFailure, unsupportedFormat } from './errors.js';
import type { Source } from './index.js';

interface Header {
  width: number;
  height: number;
  topDown: boolean;
  bpp: number;
  compression: number;
  dataAt: number;
  palette: number[][];
  masks: [number, number, number, number];
  icc?: Uint8Array;
}

function header(b: Buffer, alpha32 = false): Header {
  if (b.length < 26 || b.toString('latin1', 0, 2) !== 'BM') throw corruptData('BMP', 'no BMP file header');
  const size = b.readUInt32LE(14);
  const core = size === 12;
  if (!core && (size < 40 || 14 + size > b.length)) throw corruptData('BMP', `unknown info header size ${size}`);
  const width = core ? b.readUInt16LE(18) : b.readInt32LE(18);
  const rawHeight = core ? b.readInt16LE(20) : b.readInt32LE(22);
  const bpp = core ? b.readUInt16LE(24) : b.readUInt16LE(28);
  const compression = core ? 0 : b.readUInt32LE(30);
  let masks: Header['masks'] = bpp === 16 ? [0x7c00, 0x3e0, 0x1f, 0] : [0xff0000, 0xff00, 0xff, 0];
  let paletteAt = 14 + size;
  if (compression === 3 || compression === 6) {
    // masks inside a V2+ header, or just after a 40-byte one
    const at = 14 + 40;
    const n = compression === 6 || size >= 56 ? 4 : 3;
    if (at + n * 4 > b.length) throw corruptData('BMP', 'bit field masks missing');
    masks = [b.readUInt32LE(at), b.readUInt32LE(at + 4), b.readUInt32LE(at + 8), n === 4 ? b.readUInt32LE(at + 12) : 0];
    if (size === 40) paletteAt += n * 4;
  }
  if (alpha32 && bpp === 32 && compression === 0) masks[3] = 0xff000000 >>> 0;
  const entry = core ? 3 : 4;
  const colours = bpp <= 8 ? (core ? 0 : b.readUInt32LE(46)) || 1 << bpp : 0;
  const palette: number[][] = [];
  for (let i = 0; i < Math.min(colours, 256); i++) {
    const at = paletteAt + i * entry;
    palette.push(at + 3 <= b.length ? [b[at + 2]!, b[at + 1]!, b[at]!] : [0, 0, 0]);
  }
  let icc: Uint8Array | undefined;
  if (size >= 124 && b.toString('latin1', 14 + 56, 14 + 60) === 'DEBM') {
    // CSType 'MBED' (stored little-endian as "DEBM"): profile offset from the info header
    const at = 14 + b.readUInt32LE(14 + 112);
    const len = b.readUInt32LE(14 + 116);
    if (at + len <= b.length) icc = b.subarray(at, at + len);
  }
  return { width, height: Math.abs(rawHeight), topDown: rawHeight < 0, bpp, compression, dataAt: b.readUInt32LE(10), palette, masks, icc };
}

/** Bit position and width of a mask, to scale its field to 0..255. */
function field(mask: number): [shift: number, max: number] {
  if (!mask) return [0, 0];
  let shift = 0;
  while (!((mask >>> shift) & 1)) shift++;
  return [shift, mask >>> shift];
}

/** RLE8/RLE4 into one palette index per pixel (bottom-up rows, as stored). */
function unRle(b: Buffer, h: Header): Uint8Array {
  const idx = new Uint8Array(h.width * h.height);
  let x = 0;
  let y = 0;
  let p = h.dataAt;
  const put = (v: number) => {
    if (x < h.width && y < h.height) idx[y * h.width + x] = v;
    x++;
  };
  while (p + 1 < b.length && y < h.height) {
    const n = b[p++]!;
    const v = b[p++]!;
    if (n > 0) {
      for (let i = 0; i < n; i++) put(h.compression === 1 ? v : i & 1 ? v & 15 : v >> 4);
    } else if (v === 0) {
      x = 0;
      y++;
    } else if (v === 1) {
      return idx;
    } else if (v === 2) {
      x += b[p++] ?? 0;
      y += b[p++] ?? 0;
    } else {
      const bytes = h.compression === 1 ? v : (v + 1) >> 1;
      for (let i = 0; i < v; i++) put(h.compression === 1 ? b[p + i]! : i & 1 ? b[p + (i >> 1)]! & 15 : b[p + (i >> 1)]! >> 4);
      p += bytes + (bytes & 1);
    }
  }
  if (y < h.height) throw new DecodeFailure('truncated', 'BMP: the run-length data ends before the last row');
  return idx;
}

/**
 * Decode a BMP into something sharp reads.
 *
 * @example
 * const src = await decodeBmp(readFileSync('scan.bmp'), task); // src.data: a TIFF
 * // opts.alpha32: a 32-bit uncompressed image keeps its 4th byte as alpha (icons do)
 */
export async function decodeBmp(input: Buffer, task: ConvertTask, opts: { alpha32?: boolean } = {}): Promise<Source> {
  const h = header(input, opts.alpha32);
  if (h.compression === 4 || h.compression === 5) return { data: input.subarray(h.dataAt) }; // embedded JPEG / PNG
  checkPixels(h.width, h.height, task.limits.maxPixels, 'BMP');
  const rle = h.compression === 1 || h.compression === 2;
  if (!rle && ![0, 3, 6].includes(h.compression)) throw unsupportedFormat(`BMP with compression ${h.compression}`, 'GIMP or ImageMagick');
  if (![1, 2, 4, 8, 16, 24, 32].includes(h.bpp)) throw corruptData('BMP', `${h.bpp} bits per pixel`);
  const stride = Math.ceil((h.width * h.bpp) / 32) * 4;
  if (!rle && h.dataAt + stride * h.height > input.length) {
    throw new DecodeFailure('truncated', `BMP: pixel data needs ${stride * h.height} bytes from byte ${h.dataAt}, the file has ${input.length}`);
  }
  const alpha = h.bpp === 32 && h.masks[3] !== 0;
  const channels = alpha ? 4 : 3;
  const out = new Uint8Array(h.width * h.height * channels);
  const idx = rle ? unRle(input, h) : undefined;
  const fields = h.masks.map(field);
  for (let row = 0; row < h.height; row++) {
    const y = h.topDown ? row : h.height - 1 - row; // output row of stored row `row`
    const src = h.dataAt + row * stride;
    let o = y * h.width * channels;
    for (let x = 0; x < h.width; x++, o += channels) {
      if (h.bpp <= 8) {
        const i = idx ? idx[row * h.width + x]! : (input[src + ((x * h.bpp) >> 3)]! >> (8 - h.bpp - ((x * h.bpp) & 7))) & ((1 << h.bpp) - 1);
        const c = h.palette[i] ?? [0, 0, 0];
        out[o] = c[0]!;
        out[o + 1] = c[1]!;
        out[o + 2] = c[2]!;
      } else if (h.bpp === 24) {
        out[o] = input[src + x * 3 + 2]!;
        out[o + 1] = input[src + x * 3 + 1]!;
        out[o + 2] = input[src + x * 3]!;
      } else {
        const v = h.bpp === 16 ? input.readUInt16LE(src + x * 2) : input.readUInt32LE(src + x * 4);
        for (let c = 0; c < channels; c++) {
          const [shift, max] = fields[c]!;
          out[o + c] = max ? Math.round((((v >>> shift) & max) * 255) / max) : 255;
        }
      }
    }
  }
  return { data: toContainer({ data: out, width: h.width, height: h.height, channels, icc: h.icc }, false) };
}
