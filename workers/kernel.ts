/**
 * The resize kernel a lane uses. `auto` (the default) is chosen by measurement
 * (scripts/kernel-study.mjs, BENCHMARKS.md "Resize kernel"): where libjpeg-turbo's DCT scaling has
 * already brought the image within 2x of its target (the luma lane), the kernel barely changes the
 * result (mean abs difference to a float lanczos3 reference 1.00 gray levels with linear, 0.65
 * with lanczos3, SSIM 0.991 vs 0.995) and linear costs 8% less CPU there; everywhere else (the
 * sharp lane, which may reduce by far more than 2x) it is lanczos3, the sharpest.
 */
import type { Kernel } from '../common/job.js';

/**
 * @example
 * laneKernel('auto', 'luma') // 'linear'
 * laneKernel('auto', 'sharp') // 'lanczos3'
 * laneKernel('mitchell', 'luma') // 'mitchell'
 */
export function laneKernel(kernel: Kernel | undefined, lane: 'luma' | 'sharp'): Exclude<Kernel, 'auto'> {
  if (kernel && kernel !== 'auto') return kernel;
  return lane === 'luma' ? 'linear' : 'lanczos3';
}
