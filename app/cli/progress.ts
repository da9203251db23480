/**
 * What the terminal's progress line says (pure: state in, text out). The total is the engine's
 * once its scan is over; before that, the pre-count's (a quick walk of the inputs, adjusted for
 * outputs skipped because they exist), never less than what the scan has found; while neither is
 * known the line says "counting…". The bar and percentage never claim more than done / total,
 * and the ETA shows only when both the rate and the total are known.
 */
import type { ProgressSnapshot } from '../../common/events.js';

/** A pre-count of the images to expect: `done` once the walk (or the file list) is complete. */
export interface Precount {
  images: number;
  done: boolean;
}

export interface ProgressView {
  progress: ProgressSnapshot;
  precount?: Precount;
  /** Inputs skipped because their output exists (counted by the pre-count, not by the engine). */
  outputExists: number;
}

/** `1 worker`, `2 workers`. */
export const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Seconds as `42s` or `3m05s`. */
export const fmtSeconds = (s: number) => (s < 60 ? `${Math.round(s)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`);

/**
 * The total to show, or null while it is not known.
 *
 * @example
 * shownTotal({ progress: { ...p, scanning: true, total: 59 }, precount: { images: 200, done: true }, outputExists: 0 }) // 200
 */
export function shownTotal(v: ProgressView): number | null {
  if (!v.progress.scanning) return v.progress.total;
  if (!v.precount?.done) return null;
  return Math.max(v.precount.images - v.outputExists, v.progress.total);
}

/**
 * The progress line, e.g. ` ████████░░░░ 37% | 74/200 | ok 70 failed 4 skipped 0 | 21.3 img/s 98.1 MP/s | ETA 6s | 2 workers`.
 *
 * @param barWidth characters of the bar (default 24)
 */
export function progressLine(v: ProgressView, barWidth = 24): string {
  const p = v.progress;
  const total = shownTotal(v);
  const processed = p.done + p.failed;
  const parts: string[] = [];
  if (total === null) {
    const found = v.precount ? Math.max(v.precount.images - v.outputExists, p.total) : p.total;
    parts.push(` counting… ${processed} done, ${found} found so far`);
  } else {
    const value = Math.min(processed, total);
    // integer arithmetic: 58 / 200 * 100 is 28.999999999999996 in floating point
    const pct = total > 0 ? Math.floor((100 * value) / total) : 100;
    const filled = total > 0 ? Math.floor((barWidth * value) / total) : barWidth;
    parts.push(` ${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)} ${pct}%`, `${value}/${total}`);
  }
  parts.push(`ok ${p.done} failed ${p.failed} skipped ${p.skipped}`, `${p.imagesPerSec.toFixed(1)} img/s ${p.mpPerSec.toFixed(1)} MP/s`);
  if (total !== null && p.imagesPerSec > 0) parts.push(`ETA ${fmtSeconds(Math.max(0, total - processed) / p.imagesPerSec)}`);
  parts.push(plural(p.workers, 'worker'));
  if (p.state === 'paused' || p.state === 'cancelling') parts.push(p.state);
  return parts.join(' | ');
}
