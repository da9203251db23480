/**
 * Benchmark arithmetic, pure: medians, spread, rates, speed-up and efficiency.
 */
import type { BenchRow } from '../../common/bench.js';

export function median(xs: number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** What one timed run measured. */
export interface RunSample {
  seconds: number;
  /** CPU seconds of the engine's process tree during the run. */
  cpuSeconds: number;
  peakRssBytes: number;
  /** CPU seconds used by everything else on the machine during the run. */
  otherCpuSeconds: number;
}

/**
 * One table row from the timed runs of a cell.
 *
 * @example
 * toRow('threads', 2, 200, 956, [{ seconds: 4, cpuSeconds: 7.6, peakRssBytes: 2.5e8, otherCpuSeconds: 0.1 }], 2)
 */
export function toRow(model: string, workers: number, images: number, megapixels: number, runs: RunSample[], cores: number): BenchRow {
  const secs = runs.map((r) => r.seconds);
  const med = median(secs);
  const wall = secs.reduce((a, b) => a + b, 0);
  const cpu = runs.reduce((a, r) => a + r.cpuSeconds, 0);
  return {
    model,
    workers,
    images,
    megapixels,
    runs: secs,
    medianS: med,
    minS: Math.min(...secs),
    maxS: Math.max(...secs),
    imagesPerSec: images / med,
    mpPerSec: megapixels / med,
    speedup: null,
    efficiency: null,
    cpuPercent: wall > 0 ? (100 * cpu) / wall / cores : 0,
    peakRssMiB: Math.max(...runs.map((r) => r.peakRssBytes)) / 1048576,
    disturbed: runs.some((r) => r.otherCpuSeconds > 0.15 * r.seconds),
  };
}

/** Fill speed-up (over 1 worker of the same model) and parallel efficiency in place. */
export function addSpeedups(rows: BenchRow[]): BenchRow[] {
  for (const row of rows) {
    const base = rows.find((r) => r.model === row.model && r.workers === 1);
    if (!base) continue;
    row.speedup = base.medianS / row.medianS;
    row.efficiency = row.speedup / row.workers;
  }
  return rows;
}
