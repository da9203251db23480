/**
 * A minimal little-endian baseline TIFF writer for tests: uncompressed 8-bit RGB in one strip,
 * plus any extra tags given as raw bytes. Lets a test make the small header faults that real
 * files carry (an ASCII tag without its final NUL, a private tag libtiff does not know), which
 * no encoder writes on purpose.
 */

/** One extra IFD entry: TIFF field type (2 ASCII, 3 SHORT, 4 LONG, 12 DOUBLE...), count and raw value bytes. */
export interface TiffTag {
  tag: number;
  type: number;
  count: number;
  data: Buffer;
}

/** An ASCII tag; `nul: false` leaves out the final NUL byte the TIFF spec requires. */
export const asciiTag = (tag: number, text: string, nul = true): TiffTag => {
  const data = Buffer.from(nul ? text + '\0' : text, 'latin1');
  return { tag, type: 2, count: data.length, data };
};

const u16 = (...v: number[]) => Buffer.from(new Uint16Array(v).buffer);
const u32 = (...v: number[]) => Buffer.from(new Uint32Array(v).buffer);

/**
 * A `width` x `height` RGB TIFF with a gradient and the `extra` tags.
 *
 * @example
 * writeFileSync('geo.tif', makeTiff(64, 48, [asciiTag(34737, 'WGS 84|', false)]));
 */
export function makeTiff(width: number, height: number, extra: TiffTag[] = []): Buffer {
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) & 255;
  const tags: TiffTag[] = [
    { tag: 256, type: 4, count: 1, data: u32(width) },
    { tag: 257, type: 4, count: 1, data: u32(height) },
    { tag: 258, type: 3, count: 3, data: u16(8, 8, 8) },
    { tag: 259, type: 3, count: 1, data: u16(1, 0) },
    { tag: 262, type: 3, count: 1, data: u16(2, 0) },
    { tag: 273, type: 4, count: 1, data: Buffer.alloc(4) }, // strip offset, set below
    { tag: 277, type: 3, count: 1, data: u16(3, 0) },
    { tag: 278, type: 4, count: 1, data: u32(height) },
    { tag: 279, type: 4, count: 1, data: u32(pixels.length) },
    ...extra,
  ].sort((a, b) => a.tag - b.tag);
  const ifdSize = 2 + tags.length * 12 + 4;
  let at = 8 + ifdSize;
  const blobs: Buffer[] = [];
  const ifd = Buffer.alloc(ifdSize);
  ifd.writeUInt16LE(tags.length, 0);
  const stripEntry = tags.findIndex((t) => t.tag === 273);
  tags.forEach((t, i) => {
    const e = 2 + i * 12;
    ifd.writeUInt16LE(t.tag, e);
    ifd.writeUInt16LE(t.type, e + 2);
    ifd.writeUInt32LE(t.count, e + 4);
    if (t.data.length <= 4) t.data.copy(ifd, e + 8);
    else {
      ifd.writeUInt32LE(at, e + 8);
      const padded = t.data.length % 2 ? Buffer.concat([t.data, Buffer.alloc(1)]) : t.data;
      blobs.push(padded);
      at += padded.length;
    }
  });
  ifd.writeUInt32LE(at, 2 + stripEntry * 12 + 8);
  const header = Buffer.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]);
  return Buffer.concat([header, ifd, ...blobs, pixels]);
}
