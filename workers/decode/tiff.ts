/**
 * Just enough TIFF structure to find a camera RAW's embedded images and to read or reset an
 * EXIF orientation: directories (IFDs), their entries, and the values of integer tags.
 * Every offset is bounds-checked and directory walks are capped, so a hostile file ends in
 * an exception, never in a loop or a read outside the buffer.
 */

/** One directory entry. `at` is the position of its 4-byte value/offset field. */
export interface Entry {
  tag: number;
  type: number;
  count: number;
  at: number;
}

export interface Tiff {
  buf: Uint8Array;
  le: boolean;
  /** Offset of the first directory. */
  first: number;
}

const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

/**
 * Parse a classic TIFF header at `base` of `buf` (an EXIF block starts with one), or null.
 *
 * @example
 * openTiff(readFileSync('a.dng'))?.first // 8
 */
export function openTiff(buf: Uint8Array, base = 0): Tiff | null {
  if (buf.length < base + 8) return null;
  const le = buf[base] === 0x49 && buf[base + 1] === 0x49;
  if (!le && !(buf[base] === 0x4d && buf[base + 1] === 0x4d)) return null;
  const t: Tiff = { buf: base ? buf.subarray(base) : buf, le, first: 0 };
  if (u16(t, 2) !== 42) return null;
  t.first = u32(t, 4);
  return t;
}

/**
 * The 16-bit value at `at`, in the file's byte order; throws past the end.
 *
 * @example
 * u16(openTiff(buf)!, 2) // 42
 */
export function u16(t: Tiff, at: number): number {
  if (at + 2 > t.buf.length) throw new RangeError(`TIFF offset ${at} is past the end`);
  return t.le ? t.buf[at]! | (t.buf[at + 1]! << 8) : (t.buf[at]! << 8) | t.buf[at + 1]!;
}

/**
 * The 32-bit value at `at`, in the file's byte order; throws past the end.
 *
 * @example
 * u32(openTiff(buf)!, 4) // offset of the first directory
 */
export function u32(t: Tiff, at: number): number {
  if (at + 4 > t.buf.length) throw new RangeError(`TIFF offset ${at} is past the end`);
  const b = t.buf;
  return (t.le ? b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24) : (b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
}

/**
 * The entries of the directory at `offset`, and the offset of the next one (0: none).
 *
 * @example
 * const { entries, next } = readIfd(t, t.first);
 */
export function readIfd(t: Tiff, offset: number): { entries: Entry[]; next: number } {
  const n = u16(t, offset);
  if (offset + 2 + n * 12 + 4 > t.buf.length) throw new RangeError(`TIFF directory at ${offset} with ${n} entries runs past the end`);
  const entries: Entry[] = [];
  for (let i = 0; i < n; i++) {
    const at = offset + 2 + i * 12;
    entries.push({ tag: u16(t, at), type: u16(t, at + 2), count: u32(t, at + 4), at: at + 8 });
  }
  return { entries, next: u32(t, offset + 2 + n * 12) };
}

/**
 * The integer values of an entry (SHORT or LONG, inline or at its offset), at most `max`
 * (default 64); [] for other types.
 *
 * @example
 * values(t, tags(entries).get(TAG.subIfds)!) // [1234, 5678]
 */
export function values(t: Tiff, e: Entry, max = 64): number[] {
  const size = SIZES[e.type] ?? 0;
  if ((e.type !== 3 && e.type !== 4 && e.type !== 13) || e.count === 0) return [];
  const n = Math.min(e.count, max);
  const base = size * e.count <= 4 ? e.at : u32(t, e.at);
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(e.type === 3 ? u16(t, base + i * 2) : u32(t, base + i * 4));
  return out;
}

/**
 * The ASCII value of an entry (e.g. Make), trimmed, at most 256 characters.
 *
 * @example
 * text(t, tags(entries).get(TAG.make)!) // 'NIKON CORPORATION'
 */
export function text(t: Tiff, e: Entry): string {
  if (e.type !== 2) return '';
  const base = e.count <= 4 ? e.at : u32(t, e.at);
  const end = Math.min(base + Math.min(e.count, 256), t.buf.length);
  return String.fromCharCode(...t.buf.subarray(base, end)).replace(/\0.*$/s, '').trim();
}

/**
 * A directory's entries as a map tag -> entry.
 *
 * @example
 * tags(readIfd(t, t.first).entries).has(TAG.dngVersion) // true for a DNG
 */
export function tags(entries: Entry[]): Map<number, Entry> {
  return new Map(entries.map((e) => [e.tag, e]));
}

export const TAG = {
  subfileType: 254, width: 256, height: 257, compression: 259, photometric: 262, make: 271, stripOffsets: 273,
  orientation: 274, stripByteCounts: 279, subIfds: 330, jpegOffset: 513, jpegLength: 514, exifIfd: 34665, dngVersion: 50706,
} as const;

/**
 * Read the Orientation of an EXIF block (a TIFF stream, no "Exif\0\0" prefix), and set it
 * to `set` in place when given. Returns the value found (1 when absent or unreadable).
 *
 * @example
 * exifOrientation(exif, 1) // 6: it was 6, it is now 1
 */
export function exifOrientation(exif: Uint8Array, set?: number): number {
  try {
    const t = openTiff(exif);
    if (!t) return 1;
    const e = tags(readIfd(t, t.first).entries).get(TAG.orientation);
    if (!e || e.type !== 3) return 1;
    const v = u16(t, e.at);
    if (set !== undefined) {
      t.buf[e.at] = t.le ? set & 0xff : set >> 8;
      t.buf[e.at + 1] = t.le ? set >> 8 : set & 0xff;
    }
    return v >= 1 && v <= 8 ? v : 1;
  } catch {
    return 1;
  }
}
