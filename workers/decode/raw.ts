/**
 * Camera RAWs (DNG, CR2, CR3, NEF, ARW, RAF, ORF, RW2, PEF, ...): PhotoPool does not develop
 * sensor data; it converts the largest embedded full-size JPEG preview, which is the camera's
 * own rendering, and says so on the file. A RAW whose previews are all thumbnails (long side
 * under {@link MIN_PREVIEW}) is `unsupported-format`: no embedded preview.
 *
 * Previews are found by walking the JPEG markers at every JPEG start in the file (which covers
 * the TIFF-based RAWs' IFD/SubIFD previews as well as CR3's boxes and RAF's header pointer)
 * and keeping baseline or progressive 8-bit frames: a DNG's lossless-JPEG raw data (SOF3) is
 * never taken for a preview. The orientation comes from the RAW's TIFF directory when the
 * preview carries no EXIF of its own.
 */
import type { ConvertTask } from '../../common/task.js';
import { checkPixels, unsupportedFormat } from './errors.js';
import type { Source } from './index.js';
import { openTiff, readIfd, tags, TAG, text, u16, values, type Tiff } from './tiff.js';

/** Long side in pixels below which an embedded JPEG is a thumbnail, not a preview. */
export const MIN_PREVIEW = 640;
const RAW_PHOTOMETRIC = new Set([32803, 34892]); // CFA, LinearRaw
const RAW_COMPRESSION = new Set([34713, 32767, 32769, 32770, 65000]); // Nikon, Sony, packed, Kodak

/**
 * Which RAW this is, from its signature and IFD0 (for messages); 'camera RAW' when unknown.
 *
 * @example
 * rawKind(readFileSync('IMG_0001.CR2')) // 'CR2'
 */
export function rawKind(b: Buffer): string {
  const s = (at: number, n: number) => b.toString('latin1', at, at + n);
  if (s(0, 15) === 'FUJIFILMCCD-RAW') return 'RAF';
  if (s(4, 8) === 'ftypcrx ') return 'CR3';
  if (s(0, 4) === 'IIRO' || s(0, 4) === 'IIRS' || s(0, 4) === 'MMOR') return 'ORF';
  if (s(0, 4) === 'IIU\0') return 'RW2';
  const t = openTiff(b);
  if (t && s(8, 2) === 'CR') return 'CR2';
  if (t) {
    const ifd0 = tags(readIfd(t, t.first).entries);
    if (ifd0.has(TAG.dngVersion)) return 'DNG';
    const make = ifd0.get(TAG.make);
    const m = make ? text(t, make).toUpperCase() : '';
    if (m.startsWith('NIKON')) return 'NEF';
    if (m.startsWith('SONY')) return 'ARW';
    if (m.startsWith('PENTAX') || m.startsWith('RICOH')) return 'PEF';
    if (m.startsWith('SAMSUNG')) return 'SRW';
  }
  return 'camera RAW';
}

/** Every directory reachable from IFD0: the chain and SubIFDs, capped against loops. */
function directories(t: Tiff): Map<number, ReturnType<typeof tags>> {
  const seen = new Map<number, ReturnType<typeof tags>>();
  const todo = [t.first];
  while (todo.length && seen.size < 64) {
    const at = todo.shift()!;
    if (!at || seen.has(at) || at >= t.buf.length) continue;
    const { entries, next } = readIfd(t, at);
    const map = tags(entries);
    seen.set(at, map);
    todo.push(next);
    const sub = map.get(TAG.subIfds);
    if (sub) todo.push(...values(t, sub, 16));
  }
  return seen;
}

/**
 * True when a file that starts like a TIFF is a camera RAW (DNG, CR2, NEF, ARW, ...): its
 * first image would often be a small thumbnail, so it must not go to the TIFF loader.
 *
 * @example
 * isRawTiff(readFileSync('DSC_0001.NEF')) // true
 */
export function isRawTiff(b: Buffer): boolean {
  try {
    const t = openTiff(b);
    if (!t) return false;
    if (b.toString('latin1', 8, 10) === 'CR') return true;
    for (const d of directories(t).values()) {
      if (d.has(TAG.dngVersion)) return true;
      const ph = d.get(TAG.photometric);
      const co = d.get(TAG.compression);
      if ((ph && RAW_PHOTOMETRIC.has(values(t, ph)[0]!)) || (co && RAW_COMPRESSION.has(values(t, co)[0]!))) return true;
    }
  } catch {
    // a broken directory: let the TIFF loader report it
  }
  return false;
}

interface Jpeg {
  start: number;
  end: number;
  width: number;
  height: number;
  exif: boolean;
}

/** Walk the markers of a JPEG starting at `at`: its frame size and end, or null. */
function jpegAt(b: Buffer, at: number): Jpeg | null {
  let i = at + 2;
  let width = 0;
  let height = 0;
  let exif = false;
  while (i + 4 <= b.length && i < at + 1_048_576) {
    if (b[i] !== 0xff) return null;
    const m = b[i + 1]!;
    if (m === 0xff) {
      i++;
      continue;
    }
    const len = b.readUInt16BE(i + 2);
    if (len < 2) return null;
    if (m === 0xe1 && b.toString('latin1', i + 4, i + 8) === 'Exif') exif = true;
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc) {
      if (m > 0xc2 || b[i + 4] !== 8) return null; // lossless, arithmetic or 12-bit: raw data
      height = b.readUInt16BE(i + 5);
      width = b.readUInt16BE(i + 7);
    }
    if (m === 0xda) {
      if (!width || !height) return null;
      const end = b.indexOf(Buffer.from([0xff, 0xd9]), i + 2 + len);
      return end < 0 ? null : { start: at, end: end + 2, width, height, exif };
    }
    i += 2 + len;
  }
  return null;
}

/** The largest embedded baseline/progressive JPEG in the file, or null. */
function largestJpeg(b: Buffer): Jpeg | null {
  const soi = Buffer.from([0xff, 0xd8, 0xff]);
  let best: Jpeg | null = null;
  for (let at = b.indexOf(soi); at >= 0; at = b.indexOf(soi, at + 2)) {
    const j = jpegAt(b, at);
    if (j && (!best || j.width * j.height > best.width * best.height)) best = j;
  }
  return best;
}

/** The RAW's own orientation (TIFF IFD0), 1 when none. */
function tiffOrientation(b: Buffer): number {
  try {
    const t = openTiff(b);
    const e = t && tags(readIfd(t, t.first).entries).get(TAG.orientation);
    const v = e ? u16(t!, e.at) : 1;
    return v >= 1 && v <= 8 ? v : 1;
  } catch {
    return 1;
  }
}

/** An APP1 EXIF segment holding only an Orientation, inserted after the SOI. */
function withOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 1, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 8 + tiff.length]), Buffer.from('Exif\0\0', 'latin1'), tiff]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/**
 * The camera's embedded full-size JPEG preview, for sharp.
 *
 * @example
 * const src = await decodeRaw(readFileSync('IMG_0001.CR2'), task);
 * src.note // "camera RAW (CR2): converted from the camera's own rendering, its embedded 5472x3648 JPEG preview"
 */
export async function decodeRaw(input: Buffer, task: ConvertTask): Promise<Source> {
  const kind = rawKind(input);
  const name = kind === 'camera RAW' ? kind : `camera RAW (${kind})`;
  const jpeg = largestJpeg(input);
  if (!jpeg || Math.max(jpeg.width, jpeg.height) < MIN_PREVIEW) {
    const found = jpeg ? `only a ${jpeg.width}x${jpeg.height} thumbnail` : 'no JPEG preview';
    throw unsupportedFormat(`${name} with no embedded preview (${found})`, 'a RAW developer (darktable, RawTherapee, Adobe Camera Raw)');
  }
  checkPixels(jpeg.width, jpeg.height, task.limits.maxPixels, name);
  let data = input.subarray(jpeg.start, jpeg.end);
  const orientation = jpeg.exif ? 1 : tiffOrientation(input);
  if (orientation > 1) data = withOrientation(data, orientation);
  const note = `${name}: converted from the camera's own rendering, its embedded ${jpeg.width}x${jpeg.height} JPEG preview (the sensor data is not developed)`;
  return { data, note };
}
