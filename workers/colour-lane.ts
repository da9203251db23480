/**
 * The colour lane: a colour JPEG to a colour JPEG or WebP, fitted inside a box, the web export
 * of a photographer's week. libjpeg-turbo decodes it to RGB at the smallest of the DCT scales
 * 1/8, 1/4, 1/2 and 1 that still covers the target (vipsthumbnail's rule; sharp shrinks on load
 * only where at least 2x of the shrink remains, so it decodes up to 4x the pixels); libvips
 * shrinks, orients and encodes it with sharp's settings, all on the worker's own thread
 * (vips-sync.ts), where sharp hands each file to two other threads; a WebP is encoded by the
 * system's libwebp where there is one (libwebp.ts: the same bytes in less time). Decoding and
 * resizing cost a quarter less CPU than sharp's, at a mean abs difference of 0.2-0.5 levels from
 * a full decode (sharp's: 0.03-0.2; BENCHMARKS.md "Session 9").
 *
 * It takes what it does as the sharp pipeline would, with the same kernel (lanczos3 unless the
 * recipe names one): a YCbCr JPEG with an sRGB (or no) profile, no gray, no crop or pad, no
 * kept EXIF or ICC, no recipe step, at most {@link MAX_DECODED_BYTES} decoded. Anything else
 * returns null, and so does any file libjpeg-turbo complains about (it stops on warnings), or
 * where this thread may not block: the caller then runs sharp, which words the error or applies
 * the warning rule (warnings.ts).
 */
import type { ConvertTask } from '../common/task.js';
import { borrow, release } from './buffers.js';
import { laneKernel } from './kernel.js';
import { encodeWebpRgb } from './libwebp.js';
import { planLane, type LaneResult } from './luma-lane.js';
import { recipeFitsLanes } from './steps/luma-fit.js';
import { colourInfo, decodeRgb } from './turbojpeg.js';
import { vipsSync } from './vips-sync.js';

/** PHOTOPOOL_COLOUR_LANE=off leaves colour JPEGs to sharp (to measure the difference). */
const ON = process.env.PHOTOPOOL_COLOUR_LANE !== 'off';

/**
 * The largest decoded RGB the lane holds (64 MiB: 22 MP, a 24 MP photo kept at full size is
 * not taken): the lane holds the whole decoded image, where sharp streams a JPEG output in
 * strips; a web export decodes at 1/2 or less and stays far below.
 */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

/** Whether the task's recipe is one the colour lane can do; the file itself is checked later. */
export function colourLaneFits(task: ConvertTask): boolean {
  return ON && (task.format === 'jpeg' || task.format === 'webp') && !task.ops.grayscale && recipeFitsLanes(task);
}

/**
 * Convert a colour JPEG through the colour lane, or return null when it does not apply.
 *
 * @example
 * const out = colourLane(buffer, task) ?? await encodeWithSharp(buffer, task);
 */
export async function colourLane(input: Buffer, task: ConvertTask): Promise<LaneResult | null> {
  if (!colourLaneFits(task)) return null;
  const vips = vipsSync();
  if (!vips) return null;
  const plan = planLane(input, task, colourInfo, true);
  if (!plan || plan.sw * plan.sh * 3 > MAX_DECODED_BYTES) return null;
  const { W, H, orientation, tw, th, n, sw, sh } = plan;

  const rgb = borrow(sw * sh * 3);
  try {
    try {
      await decodeRgb(input, n, sw, sh, rgb);
    } catch {
      return null; // corrupt, truncated, odd: sharp will say what is wrong
    }
    let pixels = rgb;
    let shrunk: Buffer | null = null;
    if (orientation !== 1 || sw !== tw || sh !== th) {
      pixels = shrunk = borrow(tw * th * 3);
      vips.resizeOriented(rgb, sw, sh, tw, th, orientation, laneKernel(task.ops.resize?.kernel, 'sharp'), shrunk, 3);
    }
    try {
      const data = (task.format === 'webp' && encodeWebpRgb(pixels, tw, th, task.quality)) || vips.save(pixels, tw, th, task.format as 'jpeg' | 'webp', task.quality);
      return { data, width: W, height: H, outWidth: tw, outHeight: th };
    } finally {
      if (shrunk) release(shrunk);
    }
  } finally {
    release(rgb);
  }
}
