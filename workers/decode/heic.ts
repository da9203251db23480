/**
 * HEIC/HEIF with HEVC inside (iPhones, Sony and Canon `.hif`): the primary image through
 * libheif (heic-backend.ts picks the system library or the WebAssembly build), with its
 * transformations (irot/imir/clap) applied by libheif, its ICC profile (or Display P3 for
 * nclx primaries 12) and its EXIF. Orientation: a file with irot/imir is final once libheif
 * has applied them (its EXIF orientation is reset to 1, or it would be applied twice); a
 * file without them (older encoders, heif-enc before 1.17) gets its EXIF orientation.
 * On the engine's own thread (the `async` model) the decode runs in a helper thread (off-thread.ts).
 * AV1 HEIF (AVIF) goes to sharp instead.
 */
import sharp from 'sharp';
import type { ConvertTask } from '../../common/task.js';
import { toContainer } from './container.js';
import { decodePixels } from './heic-backend.js';
import type { HeifPixels } from './heic-types.js';
import type { Source } from './index.js';
import { mayBlock } from '../blocking.js';
import { offThread } from './off-thread.js';
import { exifOrientation } from './tiff.js';

/** Where a fourcc appears in the file's first 256 KiB (the meta box), or -1. */
const find = (b: Buffer, s: string) => b.subarray(0, 256 * 1024).indexOf(s, 0, 'latin1');

/**
 * True unless the file is AV1 (then sharp's own libheif decodes it).
 *
 * @example
 * isHevc(readFileSync('IMG_0001.HEIC')) // true
 */
export function isHevc(input: Buffer): boolean {
  return !(find(input, 'av1C') >= 0 && find(input, 'hvcC') < 0);
}

let p3: Promise<Uint8Array | undefined> | undefined;
/** libvips' Display P3 profile, for images whose nclx says P3 primaries. */
function displayP3(): Promise<Uint8Array | undefined> {
  p3 ??= sharp({ create: { width: 1, height: 1, channels: 3, background: 'black' } })
    .withIccProfile('p3')
    .png()
    .toBuffer()
    .then((b) => sharp(b).metadata())
    .then((m) => m.icc);
  return p3;
}

/** libheif hands EXIF with a 4-byte offset to its TIFF header in front. */
function exifTiff(block: Uint8Array): Uint8Array | undefined {
  if (block.length < 12) return undefined;
  const skip = 4 + ((block[0]! << 24) | (block[1]! << 16) | (block[2]! << 8) | block[3]!);
  return skip < block.length - 8 ? block.slice(skip) : undefined;
}

/**
 * Decode an HEVC HEIF into something sharp reads.
 *
 * @example
 * const src = await decodeHeic(readFileSync('IMG_0001.HEIC'), task); // src.data: a TIFF (a PNG with --keep-exif)
 */
export async function decodeHeic(input: Buffer, task: ConvertTask): Promise<Source> {
  const max = task.limits.maxPixels;
  const px = mayBlock() ? decodePixels(input, max) : ((await offThread('heic', input, max, task.limits.timeoutSeconds)) as HeifPixels);
  const exif = px.exif && exifTiff(px.exif);
  let orientation = 1;
  if (exif) {
    if (find(input, 'irot') >= 0 || find(input, 'imir') >= 0) exifOrientation(exif, 1);
    else orientation = exifOrientation(exif);
  }
  const icc = px.icc ?? (px.primaries === 12 ? await displayP3() : undefined);
  return { data: toContainer({ ...px, exif, icc, orientation }, task.keepExif) };
}
