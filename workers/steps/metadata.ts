/**
 * Metadata of the outputs: strip all (default), keep all, or keep all but the location.
 *
 * "Keep all" is sharp's keepMetadata (EXIF, XMP, IPTC and the ICC profile, the pixels left in
 * the input's colour space). "All but the location" first cleans the input's own metadata
 * bytes (location-scrub.ts), then keeps all of it. sharp can add EXIF tags (withExif) but not
 * remove a tag or an IFD, and piexif-style libraries rewrite JPEG only; editing the bytes in
 * place works for every container whose metadata sits in the file as-is (JPEG, PNG, WebP, TIFF,
 * AVIF). A block that cannot be found as-is (PNG's compressed XMP, a decoder's own container) is
 * left out, the rest kept, and the file gets a warning: a location never leaks.
 */
import { crc32 } from 'node:zlib';
import sharp, { type Sharp } from 'sharp';
import type { ConvertTask } from '../../common/task.js';
import { scrubExifGps, scrubIptcLocation, scrubXmpLocation } from './location-scrub.js';

/** What sharp is given: the bytes, a note for the person, and the task it runs with. */
export interface LocationFree {
  data: Buffer;
  note?: string;
  task: ConvertTask;
}

const mode = (task: ConvertTask) => task.ops.metadata ?? 'strip';

/**
 * Keep the input's metadata in the output when the recipe says so.
 *
 * @example
 * keepMetadata(sharp(buf), task) // task.ops.metadata 'keep' -> img.keepMetadata()
 */
export function keepMetadata(img: Sharp, task: ConvertTask): Sharp {
  return mode(task) === 'strip' ? img : img.keepMetadata();
}

/**
 * For `keep-no-gps`: a copy of `data` with the location removed from its EXIF, XMP and IPTC.
 * Other modes get `data` back untouched.
 *
 * @example
 * const { data, task: t } = await withoutLocation(photo, task);
 */
export async function withoutLocation(data: Buffer, task: ConvertTask, note?: string): Promise<LocationFree> {
  if (mode(task) !== 'keep-no-gps') return { data, task, note };
  const meta = await sharp(data).metadata();
  const out = Buffer.from(data);
  const touched: number[] = [];
  const locate = (block: Buffer | undefined, skip = 0): [number, number] | null => {
    if (!block || block.length <= skip) return null;
    const at = out.indexOf(block.subarray(skip));
    return at < 0 ? null : [at, at + block.length - skip];
  };
  // Each block is found in the file as sharp reported it; sharp reports EXIF as "Exif\0\0" +
  // TIFF, and a TIFF file is its own EXIF (its IFD0 at the start).
  const scrubs: Array<[string, Buffer | undefined, number, (at: [number, number]) => boolean]> = [
    ['EXIF', meta.exif, meta.exif?.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? 6 : 0, ([s]) => scrubExifGps(out, s)],
    ['XMP', meta.xmp, 0, ([s, e]) => {
      scrubXmpLocation(out, s, e);
      return true;
    }],
    ['IPTC', meta.iptc, 0, ([s, e]) => {
      scrubIptcLocation(out, s, e);
      return true;
    }],
  ];
  const failed: string[] = [];
  const exifOk = meta.format !== 'tiff' || scrubExifGps(out, 0);
  if (!exifOk) failed.push('EXIF');
  for (const [name, block, skip, scrub] of scrubs) {
    if (!block || (meta.format === 'tiff' && name === 'EXIF')) continue;
    const at = locate(block, skip);
    if (at) touched.push(at[0]);
    if (!at || !scrub(at)) failed.push(name);
  }
  if (meta.format === 'png') fixPngCrcs(out, touched);
  if (!failed.length) return { data: out, task, note };
  // Not found as-is (e.g. PNG's compressed XMP): that metadata is left out, the rest is kept.
  const said = `the location could not be removed from this file's ${failed.join(' and ')} in place, so ${failed.length > 1 ? 'they were' : 'it was'} left out`;
  const keepExif = !failed.includes('EXIF') && !!meta.exif;
  return { data: out, task: { ...task, ops: { ...task.ops, metadata: 'strip' }, keepExif, keepIcc: true }, note: note ? `${note}; ${said}` : said };
}

/**
 * `jpeg` with `iptc` (the payload of an APP13 segment, "Photoshop 3.0" + 8BIM resources, as
 * sharp's `metadata().iptc` gives it) inserted after its SOI and APP0/APP1 segments (JFIF,
 * EXIF, XMP). A payload too long for one segment is left out.
 *
 * @example
 * insertIptc(encodedJpeg, (await sharp(input).metadata()).iptc!)
 */
export function insertIptc(jpeg: Buffer, iptc: Buffer): Buffer {
  if (iptc.length + 2 > 0xffff || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return jpeg;
  let at = 2;
  while (at + 4 <= jpeg.length && jpeg[at] === 0xff && (jpeg[at + 1] === 0xe0 || jpeg[at + 1] === 0xe1)) at += 2 + jpeg.readUInt16BE(at + 2);
  const head = Buffer.from([0xff, 0xed, 0, 0]);
  head.writeUInt16BE(iptc.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, at), head, iptc, jpeg.subarray(at)]);
}

/** PNG chunks carry a CRC: recompute it for the chunks that were edited. */
function fixPngCrcs(png: Buffer, offsets: number[]): void {
  let o = 8;
  while (o + 12 <= png.length) {
    const len = png.readUInt32BE(o);
    const end = o + 8 + len;
    if (end + 4 > png.length) return;
    if (offsets.some((x) => x >= o + 8 && x < end)) png.writeUInt32BE(crc32(png.subarray(o + 4, end)), end);
    o = end + 4;
  }
}
