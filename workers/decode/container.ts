/**
 * Decoded pixels handed to sharp in a format it reads, carrying their ICC profile (and
 * their EXIF when the recipe keeps it), so colour management and metadata work as for any
 * other input. An uncompressed TIFF (one copy of the pixels, nothing computed), or, when
 * EXIF must be kept (libvips reads no EXIF from TIFF), a PNG with stored (level 0) zlib data.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface Pixels {
  /** Interleaved samples, rows top to bottom; 16-bit and float samples in the machine's order. */
  data: Uint8Array | Uint16Array | Float32Array;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  /** Embedded ICC profile, if any. */
  icc?: Uint8Array;
  /** EXIF block (a TIFF stream, no "Exif\0\0" prefix), if any. */
  exif?: Uint8Array;
  /** EXIF orientation (1-8) still to apply; written as the TIFF Orientation tag. Default 1. */
  orientation?: number;
}

const bytesOf = (a: Uint8Array | Uint16Array | Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/**
 * Wrap `px` for sharp: a TIFF, or a PNG when `keepExif` and the image has EXIF.
 *
 * @example
 * sharp(toContainer({ data: rgba, width: 4032, height: 3024, channels: 4, icc }, false))
 */
export function toContainer(px: Pixels, keepExif: boolean): Buffer {
  return keepExif && px.exif?.length ? png(px) : tiff(px);
}

function tiff(px: Pixels): Buffer {
  const float = px.data instanceof Float32Array;
  const bits = px.data instanceof Uint16Array ? 16 : float ? 32 : 8;
  const n = px.channels;
  const pixelBytes = px.width * px.height * n * (bits / 8);
  const icc = px.icc ?? new Uint8Array(0);
  // [tag, type, count, value or offset]; per-sample SHORT arrays longer than 2 go after the IFD
  const perSample = (v: number): number => (n <= 2 ? v | (n === 2 ? v << 16 : 0) : -v);
  const entries: Array<[number, number, number, number]> = [[256, 4, 1, px.width], [257, 4, 1, px.height]];
  entries.push([258, 3, n, perSample(bits)], [259, 3, 1, 1], [262, 3, 1, n <= 2 ? 1 : 2], [273, 4, 1, 0], [277, 3, 1, n]);
  entries.push([278, 4, 1, px.height], [279, 4, 1, pixelBytes], [284, 3, 1, 1]);
  if (px.orientation && px.orientation > 1) entries.push([274, 3, 1, px.orientation]);
  if (n === 2 || n === 4) entries.push([338, 3, 1, 2]); // unassociated alpha
  if (float) entries.push([339, 3, n, perSample(3)]); // IEEE floating point samples
  if (icc.length) entries.push([34675, 7, icc.length, 0]);
  entries.sort((a, b) => a[0] - b[0]);
  // layout: header, IFD, per-sample arrays, ICC, pixels
  let at = 8 + 2 + entries.length * 12 + 4;
  const arrays: Array<[number, number]> = [];
  for (const e of entries) {
    if (e[1] === 3 && e[3] < 0) {
      arrays.push([at, -e[3]]);
      e[3] = at;
      at += n * 2;
    }
  }
  const iccAt = at;
  const dataAt = iccAt + icc.length + (icc.length & 1);
  for (const e of entries) {
    if (e[0] === 34675) e[3] = iccAt;
    if (e[0] === 273) e[3] = dataAt;
  }
  const head = Buffer.alloc(dataAt);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(entries.length, 8);
  entries.forEach(([tag, type, cnt, value], i) => {
    const o = 10 + i * 12;
    head.writeUInt16LE(tag, o);
    head.writeUInt16LE(type, o + 2);
    head.writeUInt32LE(cnt, o + 4);
    if (type === 3 && cnt === 1) head.writeUInt16LE(value, o + 8);
    else head.writeUInt32LE(value >>> 0, o + 8);
  });
  for (const [o, v] of arrays) for (let i = 0; i < n; i++) head.writeUInt16LE(v, o + i * 2);
  head.set(icc, iccAt);
  return Buffer.concat([head, bytesOf(px.data)], dataAt + pixelBytes);
}

function chunk(type: string, body: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  out.set(body, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + body.length)), 8 + body.length);
  return out;
}

function png(px: Pixels): Buffer {
  const bits = px.data instanceof Uint16Array ? 16 : 8;
  const rowBytes = px.width * px.channels * (bits / 8);
  const src = bytesOf(px.data);
  const rows = Buffer.alloc((rowBytes + 1) * px.height); // filter byte 0 per row
  for (let y = 0; y < px.height; y++) {
    const row = rows.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
    src.copy(row, 0, y * rowBytes, (y + 1) * rowBytes);
    if (bits === 16) row.swap16(); // PNG is big-endian
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(px.width, 0);
  ihdr.writeUInt32BE(px.height, 4);
  ihdr[8] = bits;
  ihdr[9] = [0, 0, 4, 2, 6][px.channels]!;
  const parts = [Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), chunk('IHDR', ihdr)];
  if (px.icc?.length) parts.push(chunk('iCCP', Buffer.concat([Buffer.from('icc\0\0', 'latin1'), deflateSync(px.icc)])));
  if (px.exif?.length) parts.push(chunk('eXIf', px.exif));
  parts.push(chunk('IDAT', deflateSync(rows, { level: 0 })), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}
