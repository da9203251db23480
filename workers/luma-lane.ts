/**
 * The luma lane: grayscale JPEG to grayscale JPEG without ever decoding colour. libjpeg-turbo
 * decodes only the Y plane (which is Rec.601 luma, PhotoPool's definition of gray), at the
 * smallest DCT scale n/8 that still covers the target box, so the resize only ever shrinks a
 * little; libvips resizes and orients that one channel (on this thread, vips-sync.ts, or through
 * sharp); libjpeg-turbo encodes it.
 * On the 200-file corpus PhotoPool went from 1.82x the time of OpenCV to 1.23x (1.11x with a
 * linear kernel), most of it from this lane, and to 0.88-0.97x once each worker did the whole
 * file on its own thread (BENCHMARKS.md, "Session 8").
 *
 * It takes only what it does exactly as the sharp pipeline would: JPEG in and out, gray,
 * no resize or `inside` without enlargement, no kept EXIF or ICC, an sRGB (or no) profile.
 * Everything else, and any file libjpeg-turbo complains about (even a warning: it stops on
 * warnings), returns null: the caller then runs sharp, which gives the error its full diagnosis
 * and applies the warning rule of warnings.ts, so a file gets the same outcome in either lane.
 * One exception: a progressive file's chroma scans are dropped before decoding (luma-strip.ts),
 * so damage confined to them no longer stops a gray conversion (none of those pixels is output).
 */
import sharp from 'sharp';
import type { ConvertTask } from '../common/task.js';
import { borrow, release } from './buffers.js';
import { trimAfter } from './heap-trim.js';
import { scanJpeg } from './jpeg-header.js';
import { stripChroma } from './luma-strip.js';
import { laneKernel } from './kernel.js';
import { exifSteps } from './orientation.js';
import { recipeFitsLanes } from './steps/luma-fit.js';
import { decodeLuma, encodeLuma, lumaInfo, type JpegInfo } from './turbojpeg.js';
import { vipsSync } from './vips-sync.js';

/** PHOTOPOOL_LUMA_STRIP=off decodes progressive files with their chroma (to measure the difference). */
const STRIP = process.env.PHOTOPOOL_LUMA_STRIP !== 'off';

/** What a fast lane (this one, colour-lane.ts) returns: the encoded file and the sizes in and out. */
export interface LaneResult {
  data: Buffer;
  width: number;
  height: number;
  outWidth: number;
  outHeight: number;
}

/** Whether the task's recipe is one the lane can do; the file itself is checked later. */
export function lumaLaneFits(task: ConvertTask): boolean {
  return task.format === 'jpeg' && task.ops.grayscale && recipeFitsLanes(task);
}

/**
 * Size of an image fitted inside a box, never enlarged, as sharp computes it.
 *
 * @example
 * fitInside(4000, 3000, 1024, 1024) // [1024, 768]
 */
export function fitInside(w: number, h: number, bw = Infinity, bh = Infinity): [number, number] {
  if (w <= bw && h <= bh) return [w, h];
  if (bw / w <= bh / h) return [bw, Math.max(1, Math.round((h * bw) / w))];
  return [Math.max(1, Math.round((w * bh) / h)), bh];
}

/**
 * The DCT scale n (decode at n/8) for a W x H JPEG whose output is cw x ch (in stored
 * orientation): the smallest that still covers it, so the resize only ever shrinks; with
 * `powersOfTwo`, the smallest of 1, 2, 4 and 8 (libvips' own shrink-on-load rule), as the colour
 * lane decodes: libjpeg-turbo's 3/8, 5/8, 6/8 and 7/8 IDCTs have no SIMD, so they cost as much as
 * the next power of two while they stray further from a full decode (BENCHMARKS.md "Session 9").
 *
 * @example
 * dctScale(4000, 3000, 1024, 768) // 3: decoded at 1500x1125
 * dctScale(4000, 3000, 1024, 768, true) // 4: decoded at 2000x1500
 */
export function dctScale(W: number, H: number, cw: number, ch: number, powersOfTwo = false): number {
  const covers = (n: number) => Math.ceil((W * n) / 8) >= cw && Math.ceil((H * n) / 8) >= ch;
  let n = 1;
  while (n < 8 && !covers(n)) n = powersOfTwo ? n * 2 : n + 1;
  return n;
}

/** What a fast lane decodes and writes for one JPEG (see {@link planLane}). */
export interface LanePlan {
  /** The JPEG's stored size. */
  W: number;
  H: number;
  /** EXIF orientation to apply (1 when the recipe does not auto-rotate). */
  orientation: number;
  progressive: boolean;
  /** The output size, upright. */
  tw: number;
  th: number;
  /** The DCT scale n/8 (see {@link dctScale}) and the decoded size, as stored. */
  n: number;
  sw: number;
  sh: number;
}

/**
 * What a fast lane decodes and writes for `input`, or null when the file is not one it takes: a
 * JPEG with an sRGB profile or none, that `info` (the lane's TurboJPEG header check) accepts,
 * within the task's pixel limit (sharp words the refusal).
 *
 * @param powersOfTwo decode at 1/8, 1/4, 1/2 or 1 only (see {@link dctScale})
 * @example
 * planLane(jpeg4000x3000exif6, task, lumaInfo) // { W: 4000, H: 3000, orientation: 6, tw: 768, th: 1024, n: 3, sw: 1500, sh: 1125, ... }
 */
export function planLane(input: Buffer, task: ConvertTask, info: (jpeg: Uint8Array) => JpegInfo | null, powersOfTwo = false): LanePlan | null {
  const hdr = scanJpeg(input);
  if (!hdr?.srgb) return null;
  const size = info(input);
  if (!size) return null;
  const { width: W, height: H } = size;
  if (!(W > 0 && H > 0) || W * H > task.limits.maxPixels) return null;
  const orientation = task.ops.autoRotate ? hdr.orientation : 1;
  const swap = orientation >= 5; // 5-8 turn the image a quarter
  const [dw, dh] = swap ? [H, W] : [W, H];
  const box = task.ops.resize;
  const [tw, th] = box ? fitInside(dw, dh, box.width, box.height) : [dw, dh];
  const [cw, ch] = swap ? [th, tw] : [tw, th]; // the target in stored orientation
  const n = dctScale(W, H, cw, ch, powersOfTwo);
  return { W, H, orientation, progressive: hdr.progressive, tw, th, n, sw: Math.ceil((W * n) / 8), sh: Math.ceil((H * n) / 8) };
}

/**
 * Convert a JPEG through the luma lane, or return null when it does not apply.
 *
 * @example
 * const out = await lumaLane(buffer, task) ?? await sharpPipeline(buffer, task);
 */
export async function lumaLane(input: Buffer, task: ConvertTask): Promise<LaneResult | null> {
  if (!lumaLaneFits(task)) return null;
  const plan = planLane(input, task, lumaInfo);
  if (!plan) return null;
  const { W, H, orientation, progressive, tw, th, n, sw, sh } = plan;

  const luma = borrow(sw * sh);
  try {
    // a progressive file's chroma scans dropped first: half the decoder's memory, less work
    const gray = progressive && STRIP ? stripSafely(input) : null;
    try {
      await decodeLuma(gray ?? input, n, sw, sh, luma);
    } catch {
      return null; // corrupt, truncated, odd: sharp will say what is wrong
    } finally {
      if (gray) release(gray);
      if (progressive) trimAfter(W * H); // its coefficient arrays are freed now
    }
    let pixels = luma;
    let shrunk: Buffer | null = null;
    if (orientation !== 1 || sw !== tw || sh !== th) {
      const vips = vipsSync();
      if (vips) {
        pixels = shrunk = borrow(tw * th);
        vips.resizeOriented(luma, sw, sh, tw, th, orientation, laneKernel(task.ops.resize?.kernel, 'luma'), shrunk);
      } else {
        pixels = await resizeWithSharp(luma, sw, sh, tw, th, orientation, task);
      }
    }
    let data: Buffer;
    try {
      data = await encodeLuma(pixels, tw, th, task.quality);
    } finally {
      if (shrunk) release(shrunk);
    }
    return { data, width: W, height: H, outWidth: tw, outHeight: th };
  } finally {
    release(luma);
  }
}

/** {@link stripChroma}, or null should its parser meet a stream it did not foresee: the file is then decoded as it is. */
function stripSafely(input: Buffer): Buffer | null {
  try {
    return stripChroma(input);
  } catch {
    return null;
  }
}

/** Shrink the decoded plane to the target and apply the EXIF orientation with sharp (where this thread may not block; vips-sync.ts gives the same bytes). */
async function resizeWithSharp(luma: Buffer, sw: number, sh: number, tw: number, th: number, orientation: number, task: ConvertTask): Promise<Buffer> {
  let img = sharp(luma, { raw: { width: sw, height: sh, channels: 1 } }).timeout({ seconds: task.limits.timeoutSeconds });
  const { turns, mirror } = exifSteps(orientation); // sharp mirrors before it rotates
  if (turns) img = img.rotate(90 * turns);
  if (mirror === 'horizontal') img = img.flop();
  else if (mirror === 'vertical') img = img.flip();
  img = img.resize(tw, th, { fit: 'fill', kernel: laneKernel(task.ops.resize?.kernel, 'luma') });
  const { data, info } = await img.toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 1 || info.width !== tw || info.height !== th) {
    throw new Error(`luma lane: sharp returned ${info.width}x${info.height}x${info.channels}, expected ${tw}x${th}x1`);
  }
  return data;
}
