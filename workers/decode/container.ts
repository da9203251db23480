/**
 * Decoded pixels handed to sharp in a format it reads, carrying their ICC profile (and
 * their EXIF when the recipe keeps it), so colour management and metadata work as for any
 * other input. An uncompressed TIFF (one copy of the pixels, nothing computed), or, when
 * EXIF must be kept (libvips reads no EXIF from TIFF), a PNG with stored (level 0) zlib data.
 */
import { crc32, deflateSync } from 'node:zlib';

export interface Pixels {
  /** Interleaved samples, rows top to bottom; 16-bit samples in the machine's order. */
  data: Uint8Array | Uint16Array;
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

const bytesOf = (a: Uint8Array | Uint16Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

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
  const bits = px.data instanceof Uint16Array ? 16 : 8;
  const n = px.channels;
  const pixelBytes = px.width * px.height * n * (bits / 8);
  const icc = px.icc ?? new Uint8Array(0);
  const entries: Array<[tag: number, type: number, count: number, value: number]> = [];
  const rotate = px.orientation && px.orientation > 1 ? 1 : 0;
  const count = 10 + rotate + (n === 2 || n === 4 ? 1 : 0) + (icc.length ? 1 : 0);
  const ifdEnd = 8 + 2 + count * 12 + 4;
  const bpsAt = ifdEnd; // n SHORTs when they do not fit in the entry
  const iccAt = bpsAt + n * 2;
  const dataAt = iccAt + icc.length + (icc.length & 1);
  entries.push([256, 4, 1, px.width], [257, 4, 1, px.height]);
  entries.push([258, 3, n, n <= 2 ? bits | (n === 2 ? bits << 16 : 0) : bpsAt]);
  entries.push([259, 3, 1, 1], [262, 3, 1, n <= 2 ? 1 : 2], [273, 4, 1, dataAt], [277, 3, 1, n]);
  if (rotate) entries.push([274, 3, 1, px.orientation!]);
  entries.push([278, 4, 1, px.height], [279, 4, 1, pixelBytes], [284, 3, 1, 1]);
  if (n === 2 || n === 4) entries.push([338, 3, 1, 2]); // unassociated alpha
  if (icc.length) entries.push([34675, 7, icc.length, iccAt]);
  entries.sort((a, b) => a[0] - b[0]);
  const head = Buffer.alloc(dataAt);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(8, 4);
  head.writeUInt16LE(count, 8);
  entries.forEach(([tag, type, cnt, value], i) => {
    const at = 10 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(cnt, at + 4);
    if (type === 3 && cnt === 1) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value >>> 0, at + 8);
  });
  for (let i = 0; i < n; i++) head.writeUInt16LE(bits, bpsAt + i * 2);
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
