/**
 * Reads what the luma lane needs from a JPEG's markers, in plain JS, without decoding:
 * the frame type, the EXIF orientation and whether an embedded ICC profile describes sRGB.
 */

export interface JpegHeader {
  /** EXIF Orientation 1-8 (1 when absent or unreadable). */
  orientation: number;
  /** True when there is no ICC profile or it describes sRGB (converting to sRGB is then a no-op). */
  srgb: boolean;
  /** A progressive JPEG: its decoder holds every DCT coefficient of every component at once. */
  progressive: boolean;
}

/**
 * The header of an 8-bit baseline, extended or progressive Huffman JPEG with 1 or 3
 * components, or null for anything else (arithmetic, lossless, 12-bit, CMYK, broken markers).
 *
 * @example
 * scanJpeg(readFileSync('photo.jpg')) // { orientation: 6, srgb: true, progressive: false }
 */
export function scanJpeg(b: Uint8Array): JpegHeader | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  let orientation = 1;
  let sof = -1;
  let precision = 0;
  let components = 0;
  const icc: [number, Uint8Array][] = [];
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1]!;
    if (m === 0xff) {
      i++; // fill byte
      continue;
    }
    if (m === 0x01 || (m >= 0xd0 && m <= 0xd7)) {
      i += 2;
      continue;
    }
    const len = view.getUint16(i + 2);
    const s = i + 4;
    const e = i + 2 + len;
    if (len < 2 || e > b.length) return null;
    if (m === 0xda) break; // start of scan: the header is over
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      sof = m;
      precision = b[s]!;
      components = b[s + 5]!;
    } else if (m === 0xe1 && len >= 16 && latin1(b, s, 6) === 'Exif\0\0') {
      orientation = exifOrientation(view, s + 6, e) || 1;
    } else if (m === 0xe2 && len >= 16 && latin1(b, s, 12) === 'ICC_PROFILE\0') {
      icc.push([b[s + 12]!, b.subarray(s + 14, e)]);
    }
    i = e;
  }
  if (![0xc0, 0xc1, 0xc2].includes(sof) || precision !== 8 || (components !== 1 && components !== 3)) return null;
  const profile = icc.sort((x, y) => x[0] - y[0]).map((c) => c[1]);
  return { orientation, srgb: profile.length === 0 || describesSrgb(concat(profile)), progressive: sof === 0xc2 };
}

function latin1(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The Orientation tag (0x0112) of IFD0 in a TIFF block at [t, end), or 0. */
function exifOrientation(v: DataView, t: number, end: number): number {
  if (t + 8 > end) return 0;
  const le = v.getUint8(t) === 0x49; // 'II'
  const ifd = t + v.getUint32(t + 4, le);
  if (ifd + 2 > end) return 0;
  const n = v.getUint16(ifd, le);
  for (let k = 0; k < n; k++) {
    const o = ifd + 2 + 12 * k;
    if (o + 12 > end) return 0;
    if (v.getUint16(o, le) === 0x0112) {
      const value = v.getUint16(o + 8, le);
      return value >= 1 && value <= 8 ? value : 0;
    }
  }
  return 0;
}

/** Whether an ICC profile's description names sRGB (sharp would convert anything else). */
function describesSrgb(p: Uint8Array): boolean {
  if (p.length < 132) return false;
  const v = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const tags = v.getUint32(128);
  for (let k = 0; k < tags && 132 + 12 * k + 12 <= p.length; k++) {
    const o = 132 + 12 * k;
    if (latin1(p, o, 4) !== 'desc') continue;
    const off = v.getUint32(o + 4);
    const size = v.getUint32(o + 8);
    if (off >= p.length) return false;
    return /sRGB/i.test(latin1(p, off, Math.min(size, p.length - off, 512)).replace(/\0/g, ''));
  }
  return false;
}
