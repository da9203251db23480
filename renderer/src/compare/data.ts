/**
 * What the Compare view draws and exports, from the bench rows and the current batch: lines by
 * worker count, the batch's measured points, the CSV (same columns as `photopool bench --csv`).
 */
import type { BenchRow } from '../../../common/bench.js';
import type { BatchView } from '../../../common/contract.js';
import { MODELS } from '../../../common/job.js';

/** One chart: x = worker counts, one line per model (null where a model has no row). */
export interface Lines {
  xs: number[];
  lines: { label: string; values: (number | null)[] }[];
}

/** A throughput the batch reached at a pool size (mean of its progress samples there). */
export interface BatchPoint {
  workers: number;
  imagesPerSec: number;
  /** The pool size the batch has now (or ended with). */
  current: boolean;
}

/** Line colours by model, then the batch reference. */
export const COLORS: Record<string, string> = { threads: '#2f7de1', processes: '#e18a2f', async: '#2a9d5c', batch: '#c0392b' };

/** Lines of `value` per model by worker count; `extraXs` adds x values (the batch's pool sizes). */
export function linesOf(rows: BenchRow[], value: (r: BenchRow) => number, extraXs: number[] = []): Lines {
  const xs = [...new Set([...rows.map((r) => r.workers), ...extraXs])].sort((a, b) => a - b);
  const models = [...new Set(rows.map((r) => r.model))].sort((a, b) => rank(a) - rank(b));
  return {
    xs,
    lines: models.map((m) => ({ label: m, values: xs.map((x) => { const r = rows.find((row) => row.model === m && row.workers === x); return r ? value(r) : null; }) })),
  };
}

const rank = (m: string) => { const i = (MODELS as readonly string[]).indexOf(m); return i < 0 ? MODELS.length : i; };

/**
 * The batch's throughput per pool size: progress samples grouped by the pool size in force
 * (from its pool-size changes); the live pool size uses the current rate while running.
 */
export function batchPoints(b: BatchView | null): BatchPoint[] {
  if (!b) return [];
  const changes = [...b.poolChanges].sort((x, y) => x.t - y.t);
  const initial = changes[0]?.previous ?? b.workers;
  const sums = new Map<number, { sum: number; n: number }>();
  b.series.t.forEach((t, i) => {
    const rate = b.series.imagesPerSec[i] ?? 0;
    if (rate <= 0) return;
    const w = changes.filter((c) => c.t <= t).at(-1)?.workers ?? initial;
    const acc = sums.get(w) ?? { sum: 0, n: 0 };
    sums.set(w, { sum: acc.sum + rate, n: acc.n + 1 });
  });
  const points = [...sums].map(([workers, a]) => ({ workers, imagesPerSec: a.sum / a.n, current: false }));
  const live = b.finished ? (changes.length ? undefined : b.finished.totals.imagesPerSec) : b.progress?.imagesPerSec;
  const now = points.find((p) => p.workers === b.workers);
  if (live !== undefined && live > 0) {
    if (now) now.imagesPerSec = live;
    else points.push({ workers: b.workers, imagesPerSec: live, current: true });
  }
  for (const p of points) p.current = p.workers === b.workers;
  return points.sort((x, y) => x.workers - y.workers);
}

/** The label of the batch reference, e.g. `current batch: 2 workers, 14.3 images/s`. */
export function batchLabel(b: BatchView | null, points: BatchPoint[]): string | null {
  const p = points.find((x) => x.current);
  if (!b || !p) return null;
  return `${b.finished ? 'last batch' : 'current batch'}: ${p.workers} worker${p.workers === 1 ? '' : 's'}, ${p.imagesPerSec.toFixed(1)} images/s`;
}

/** Save a URL (data: or blob:) as a file. */
export function downloadUrl(name: string, url: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
}

/** Save text as a file. */
export function downloadText(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  downloadUrl(name, url);
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
