/**
 * Target file size: the highest encoder quality whose output fits, found from pixels decoded
 * and resized once (see frozen.ts).
 *
 * The quality is searched over the whole numbers from TARGET_QUALITY_FLOOR (30, below which
 * JPEG and WebP photos turn blocky) to the job's `quality` (the ceiling: a file that fits at
 * the asked quality is not made bigger). The first encode is at the ceiling (often it fits:
 * one encode); the next guesses come from the sizes seen so far, interpolated on log(size),
 * with a bisection step whenever a guess did not halve the bracket. At most 7 encodes.
 * When even the floor is too big, the image is shrunk at the floor quality, aiming just under
 * the target. A file is above its target only when shrinking cannot get there (a warning).
 */
import { TARGET_QUALITY_FLOOR } from '../../common/quality.js';
import type { EncodeFormat } from '../../common/task.js';
import { encoder, HAS_QUALITY } from './encoder.js';
import type { Frozen } from './frozen.js';

/** At most this many encodes search the quality (bisection over 1-100 needs 7). */
export const MAX_QUALITY_ENCODES = 7;
/** Typical k of the size model in guess() (only the first guess uses it). */
const DEFAULT_K = 0.6;
/** Shrinking aims a little under the target, where a result counts as close enough. */
const AIM = 0.95;
const CLOSE_ENOUGH = 0.85;
const MAX_SHRINK_ENCODES = 6;

export interface SizedOutput {
  data: Buffer;
  width: number;
  height: number;
  /** Quality of the output (undefined for PNG). */
  quality?: number;
  /** Encodes it took. */
  encodes: number;
  /** Set when the target could not be reached. */
  warning?: string;
}

type Probe = { q: number; data: Buffer };

/**
 * Encode `f` as `format` at the highest quality up to `ceiling` that fits `target` bytes.
 *
 * @example
 * const out = await encodeToSize(await freeze(img, false, 60), 'jpeg', 90, 300_000);
 * out.data.length <= 300_000 // true unless out.warning
 */
export async function encodeToSize(f: Frozen, format: EncodeFormat, ceiling: number, target: number): Promise<SizedOutput> {
  const enc = (q: number) => encoder(f.make(), format, q).toBuffer();
  if (!HAS_QUALITY.has(format)) {
    const data = await enc(ceiling);
    return data.length <= target ? { data, width: f.width, height: f.height, encodes: 1 } : shrinkToSize(f, format, undefined, target, data.length, 1);
  }
  const floor = Math.min(TARGET_QUALITY_FLOOR, ceiling);
  const sizes = new Map<number, number>();
  let lo = floor - 1; // largest quality known to fit
  let hi = ceiling + 1; // smallest quality known too big
  let best: Probe | undefined;
  let encodes = 0;
  let q = ceiling;
  let lastFit: boolean | undefined;
  let sameSide = 0; // probes in a row on the same side: interpolation stalling, bisect
  for (;;) {
    const data = await enc(q);
    encodes++;
    sizes.set(q, data.length);
    const fits = data.length <= target;
    sameSide = fits === lastFit ? sameSide + 1 : 1;
    lastFit = fits;
    if (fits) [lo, best] = [q, { q, data }];
    else hi = q;
    if (hi - lo <= 1 || encodes >= MAX_QUALITY_ENCODES) break;
    q = encodes === MAX_QUALITY_ENCODES - 1 && !best ? floor : guess(lo, hi, sizes, target, sameSide >= 4 && hi - lo > 8);
  }
  if (best) return { data: best.data, width: f.width, height: f.height, quality: best.q, encodes };
  return shrinkToSize(f, format, floor, target, sizes.get(floor)!, encodes);
}

/**
 * Next quality to try, strictly inside (lo, hi). Model: size ~ (101 - quality)^-k, so
 * ln(size) is close to linear in ln(101 - quality) (k was 0.56-0.69 over the sample photos in
 * JPEG); with two sizes it interpolates, with one it assumes k = 0.6.
 */
function guess(lo: number, hi: number, sizes: Map<number, number>, target: number, bisect: boolean): number {
  const clamp = (q: number) => Math.min(hi - 1, Math.max(lo + 1, Math.floor(q)));
  const x = (q: number) => Math.log(101 - q);
  const sHi = sizes.get(hi);
  const sLo = sizes.get(lo);
  if (bisect || sHi === undefined) return clamp((lo + hi) / 2);
  const k = sLo === undefined ? DEFAULT_K : Math.log(sLo / sHi) / (x(hi) - x(lo));
  return clamp(101 - Math.exp(x(hi) - Math.log(target / sHi) / k));
}

/**
 * Shrink until the output at `quality` fits: the size is modelled as a power of the scale
 * (starting from area, then fitted to the sizes seen), aiming at 95% of the target.
 */
async function shrinkToSize(f: Frozen, format: EncodeFormat, quality: number | undefined, target: number, fullSize: number, encodes: number): Promise<SizedOutput> {
  const at = async (scale: number) => {
    const w = Math.max(1, Math.round(f.width * scale));
    const h = Math.max(1, Math.round(f.height * scale));
    const img = w === f.width && h === f.height ? f.make() : f.make().resize(w, h, { fit: 'fill' });
    return { scale, w, h, data: await encoder(img, format, quality ?? 80).toBuffer() };
  };
  let prev = { scale: 1, size: fullSize };
  let exponent = 2; // size ~ scale^2 (pixels) to begin with
  let best: Awaited<ReturnType<typeof at>> | undefined;
  let smallest: Awaited<ReturnType<typeof at>> | undefined;
  let tooBig = 1; // smallest scale known too big
  let fits = 0; // largest scale known to fit
  for (let i = 0; i < MAX_SHRINK_ENCODES || (!best && prev.scale * Math.max(f.width, f.height) > 1); i++) {
    let scale = prev.scale * Math.pow((AIM * target) / prev.size, 1 / exponent);
    if (!(scale > fits && scale < tooBig)) scale = fits > 0 ? (fits + tooBig) / 2 : tooBig / 2;
    const r = await at(scale);
    encodes++;
    if (!smallest || r.data.length < smallest.data.length) smallest = r;
    if (r.data.length <= target) {
      if (!best || r.scale > best.scale) best = r;
      fits = Math.max(fits, scale);
      if (r.data.length >= CLOSE_ENOUGH * target) break;
    } else tooBig = Math.min(tooBig, scale);
    const e = Math.log(r.data.length / prev.size) / Math.log(scale / prev.scale);
    if (Number.isFinite(e) && e > 0.5 && e < 4) exponent = e;
    prev = { scale, size: r.data.length };
    if (r.w === 1 && r.h === 1) break;
  }
  const pick = best ?? smallest!;
  const warning = best ? undefined : `could not get under the target size: ${pick.data.length} bytes > ${target} even at ${pick.w}x${pick.h}${quality ? ` and quality ${quality}` : ''}`;
  return { data: pick.data, width: pick.w, height: pick.h, quality, encodes, ...(warning && { warning }) };
}
