/**
 * One image: the luma lane when it applies (gray JPEG from JPEG, see luma-lane.ts), the colour
 * lane (colour JPEG to JPEG or WebP, colour-lane.ts), else the sharp pipeline: EXIF rotate,
 * resize (shrink-on-load friendly), gray after the resize (one channel), encode.
 *
 * Gray is Rec.601 luma of the sRGB values, Y = 0.299 R + 0.587 G + 0.114 B: what a JPEG's
 * Y plane holds, and what OpenCV, Pillow and ImageMagick's Rec601Luma give. Both lanes
 * produce it, so a file's output does not depend on which lane ran. (libvips' own `b-w` is
 * luminance in linear light: visibly lighter reds and darker blues.)
 */
import sharp, { type Matrix3x3, type Sharp } from 'sharp';
import type { ConvertLane, ConvertTask } from '../common/task.js';
import { decodeInput, inputOptions } from './decode/index.js';
import { scanJpeg } from './jpeg-header.js';
import { colourLane } from './colour-lane.js';
import { lumaLane } from './luma-lane.js';
import { laneKernel } from './kernel.js';
import { encoder } from './steps/encoder.js';
import { fitOptions } from './steps/fit.js';
import { keepMetadata, withoutLocation } from './steps/metadata.js';
import { sharpen } from './steps/sharpen.js';
import { needsSecondPass, secondPass } from './steps/second-pass.js';
import { causes, onlyMetadata, ownWarnings } from './warnings.js';
import { ownLines } from '../common/classify.js';

// Process-wide libvips settings (they apply to every worker thread of the engine process).
// The operation cache only helps when the same image is processed twice; it costs ~70 MB.
sharp.cache(false);
// One libvips thread per image: parallelism comes from the pool, so N workers use N cores.
// (sharp's default is 1 on glibc, but the number of cores once MALLOC_ARENA_MAX is set.)
sharp.concurrency(1);

export interface Encoded {
  data: Buffer;
  width: number;
  height: number;
  outWidth: number;
  outHeight: number;
  /** Which lane converted it: `luma` (libjpeg-turbo), `colour` (libjpeg-turbo and libvips on the thread) or `sharp`. */
  lane: ConvertLane;
  /** Decoder warnings about metadata only (see warnings.ts), and a decoder's note such as "converted from the RAW's embedded preview"; absent when none. */
  warnings?: string[];
  /** Encoder quality a target file size chose. */
  quality?: number;
  /** Encodes a target file size took. */
  encodes?: number;
}

/** Rec.601 luma weights, one row per output band (sharp's recomb keeps an alpha band). */
const REC601: Matrix3x3 = [
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
  [0.299, 0.587, 0.114],
];

/**
 * Decode `input`, apply the task's operations and encode it: through the luma or the colour
 * lane when one takes the file, else through sharp.
 *
 * @example
 * const out = await encode(buffer, { format: 'jpeg', quality: 80, ops: { grayscale: true, autoRotate: true }, ... });
 * out.lane // 'luma'
 */
export async function encode(input: Buffer, task: ConvertTask): Promise<Encoded> {
  const luma = await lumaLane(input, task);
  if (luma) return { ...luma, lane: 'luma' };
  const colour = await colourLane(input, task);
  return colour ? { ...colour, lane: 'colour' } : encodeWithSharp(input, task);
}

/**
 * The sharp pipeline alone. Pixel limits are checked by libvips from the header, before any
 * pixel is decoded.
 *
 * Warnings: the first decode stops at any warning (`failOn: 'warning'`), so damaged pixel data
 * never becomes an output. When what stopped it is only metadata warnings (workers/warnings.ts),
 * the file is decoded again with warnings allowed; it converts if that decode, too, warns about
 * metadata only, and the warnings are returned with it. Any other warning fails the file with the
 * first decode's error, as before.
 *
 * @example
 * const out = await encodeWithSharp(buffer, task); // out.lane === 'sharp', out.warnings?: string[]
 */
export async function encodeWithSharp(file: Buffer, asked: ConvertTask): Promise<Encoded> {
  // HEIC, JPEG XL, BMP and RAW go through a decoder of workers/decode/ first.
  const decoded = await decodeInput(file, asked);
  // Metadata kept but for the location: cleaned in the input's own bytes (steps/metadata.ts).
  const { data: input, note, task } = await withoutLocation(decoded.data, asked, decoded.note);
  // A decoder's note (a RAW converted from its preview) is listed with the file's warnings,
  // then the recipe steps' (a target size out of reach).
  const done = (out: Encoded, found: string[]): Encoded => {
    const warnings = [...(note ? [note] : []), ...found, ...(out.warnings ?? [])];
    return { ...out, ...(warnings.length && { warnings }) };
  };
  // Warnings of other files converting at the same moment may reach this one (see ownWarnings).
  const own = (texts: string[]) => ownWarnings(causes(texts), loaderOf(input, task));
  const first = await attempt(input, task, 'warning');
  if (first.ok) return done(first.out, own(first.warnings));
  const why = own([first.error.message, ...first.warnings]);
  if (onlyMetadata(why)) {
    const second = await attempt(input, task, 'error');
    const also = second.ok ? own(second.warnings) : [];
    if (second.ok && (also.length === 0 || onlyMetadata(also))) return done(second.out, causes([...why, ...also]));
  }
  // libvips reports the cause of some failures only as a warning: keep them for the error.
  // Its error buffer is process-wide: only this loader's lines are this file's (common/classify.ts).
  const loader = loaderOf(input, task);
  first.error.message = ownLines(first.error.message, loader);
  const told = ownWarnings(first.warnings, loader);
  if (told.length) first.error.message += '\n' + told.join('\n');
  throw first.error;
}

/** The libvips loader that reads `input`: the task's format, or JPEG for a RAW's embedded preview. */
function loaderOf(input: Buffer, task: ConvertTask): string {
  if (input[0] === 0xff && input[1] === 0xd8) return 'jpeg';
  return task.inputFormat;
}

/**
 * A JPEG whose embedded ICC profile describes sRGB already holds the output's numbers: sharp's
 * transform through it changes no pixel (byte-identical outputs on the corpus's 7 such photos)
 * yet, unbundled, costs about as much as the rest of the pipeline (2560x1600 to fit 1600: 110 ->
 * 45 ms of CPU without it; the bundled workers pay far less, see BENCHMARKS.md); vipsthumbnail
 * does not transform either. Such files skip it unless the
 * profile is kept. Any other profile (Display P3, Adobe RGB, CMYK) is still applied.
 */
function srgbAlready(input: Buffer, task: ConvertTask): boolean {
  return !task.keepIcc && loaderOf(input, task) === 'jpeg' && scanJpeg(input)?.srgb === true;
}

type Attempt = { ok: true; out: Encoded; warnings: string[] } | { ok: false; error: Error; warnings: string[] };

async function attempt(input: Buffer, task: ConvertTask, failOn: 'warning' | 'error'): Promise<Attempt> {
  const { limits } = task;
  const ignoreIcc = srgbAlready(input, task);
  const img = sharp(input, { ...inputOptions(task), limitInputPixels: limits.maxPixels, failOn, sequentialRead: true, ignoreIcc }).timeout({ seconds: limits.timeoutSeconds });
  const warnings: string[] = [];
  img.on('warning', (w: string) => warnings.push(w));
  try {
    return { ok: true, out: await run(img, task), warnings };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err : new Error(String(err)), warnings };
  }
}

async function run(img: Sharp, task: ConvertTask): Promise<Encoded> {
  const { ops } = task;
  const meta = await img.metadata();
  // CMYK: import through its profile (embedded, else libvips' default CMYK) before anything
  // else; sharp's default path lands far from the profile's sRGB (blue 23 instead of 51, test/colour).
  if (meta.space === 'cmyk' && !task.keepIcc) img.pipelineColourspace('srgb');
  if (ops.autoRotate) img.autoOrient();
  if (ops.resize) {
    const r = ops.resize;
    img.resize({
      width: r.width,
      height: r.height,
      fit: r.fit,
      withoutEnlargement: r.withoutEnlargement,
      kernel: laneKernel(r.kernel, 'sharp'),
      ...fitOptions(r),
    });
  }
  sharpen(img, ops);
  if (ops.grayscale) {
    img.recomb(REC601);
    // One band; with alpha, gray + alpha through b-w (exact on R = G = B but for rounding).
    if (meta.hasAlpha) img.toColourspace('b-w');
    else img.extractChannel(0);
  }
  if (task.keepExif) img.keepExif();
  if (task.keepIcc) img.keepIccProfile();
  keepMetadata(img, task);
  if (needsSecondPass(task)) {
    const { warning, ...out } = await secondPass(img, task, meta.iptc);
    return { ...out, outWidth: out.width, outHeight: out.height, width: meta.width ?? 0, height: meta.height ?? 0, lane: 'sharp', ...(warning && { warnings: [warning] }) };
  }
  encoder(img, task.format, task.quality);
  const { data, info } = await img.toBuffer({ resolveWithObject: true });
  return { data, width: meta.width ?? 0, height: meta.height ?? 0, outWidth: info.width, outHeight: info.height, lane: 'sharp' };
}
