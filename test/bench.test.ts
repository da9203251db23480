/** The benchmark: its arithmetic on made-up timings, identical outputs across models, the command. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchEvent } from '../common/bench.js';
import { addSpeedups, median, toRow } from '../app/bench/stats.js';
import { hashTree, listFiles, runCli, SAMPLES, tempDir } from './helpers.js';

describe('bench arithmetic (fake clock)', () => {
  const run = (seconds: number, cpuSeconds = seconds * 1.9, other = 0) => ({ seconds, cpuSeconds, peakRssBytes: 200 * 1048576, otherCpuSeconds: other });

  it('medians, spread, rates, CPU share, speed-up and efficiency', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
    const one = toRow('threads', 1, 200, 956, [run(8.2, 8), run(8.0, 8), run(8.4, 8)], 2);
    const two = toRow('threads', 2, 200, 956, [run(4.4), run(4.0), run(4.2)], 2);
    const procs = toRow('processes', 2, 200, 956, [run(4.1)], 2);
    addSpeedups([one, two, procs]);
    expect(one).toMatchObject({ medianS: 8.2, minS: 8.0, maxS: 8.4, speedup: 1, efficiency: 1, disturbed: false });
    expect(one.imagesPerSec).toBeCloseTo(200 / 8.2, 10);
    expect(one.mpPerSec).toBeCloseTo(956 / 8.2, 10);
    expect(one.cpuPercent).toBeCloseTo((100 * 24) / 24.6 / 2, 10);
    expect(two.speedup).toBeCloseTo(8.2 / 4.2, 10);
    expect(two.efficiency).toBeCloseTo(8.2 / 4.2 / 2, 10);
    expect(two.peakRssMiB).toBe(200);
    expect(procs.speedup).toBeNull(); // no 1-worker processes row to compare with
  });

  it('flags a run that shared the machine with other load', () => {
    expect(toRow('async', 2, 10, 10, [run(2, 3.8, 0.2)], 2).disturbed).toBe(false);
    expect(toRow('async', 2, 10, 10, [run(2, 3.8, 0.5)], 2).disturbed).toBe(true);
  });
});

describe('concurrency models', () => {
  it('threads, processes and async write byte-identical outputs', async () => {
    const hashes: Record<string, Record<string, string>> = {};
    for (const model of ['threads', 'processes', 'async']) {
      const out = tempDir(`model-${model}`);
      const r = await runCli(['convert', SAMPLES, '-o', out, '--gray', '--resize', '400x400', '--format', 'jpeg', '--model', model, '--json']);
      expect(r.code, r.stderr).toBe(0);
      expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(6);
      hashes[model] = Object.fromEntries(Object.entries(hashTree(out)).filter(([f]) => f.endsWith('.jpg')).map(([f, h]) => [f, h.split(':')[0]!]));
    }
    expect(hashes.processes).toEqual(hashes.threads);
    expect(hashes.async).toEqual(hashes.threads);
  });
});

describe('photopool bench', () => {
  it('prints one row per model x workers, with speed-ups over 1 worker, and writes CSV', async () => {
    const csv = join(tempDir('csv'), 'bench.csv');
    const r = await runCli(['bench', join(SAMPLES, 'chelsea.jpg'), join(SAMPLES, 'coffee.jpg'), '--workers', '1,2', '--models', 'threads,async', '--repeat', '1', '--json', '--csv', csv]);
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as BenchEvent);
    const done = events.at(-1);
    expect(done?.type).toBe('bench-done');
    if (done?.type !== 'bench-done') return;
    expect(done.machine.cores).toBeGreaterThan(0);
    expect(done.rows.map((row) => `${row.model}x${row.workers}`)).toEqual(['threadsx1', 'threadsx2', 'asyncx1', 'asyncx2']);
    for (const row of done.rows) {
      expect(row.images).toBe(2);
      expect(row.runs).toHaveLength(1);
      expect(row.peakRssMiB).toBeGreaterThan(20);
      expect(row.imagesPerSec).toBeCloseTo(2 / row.medianS, 6);
    }
    expect(done.rows.filter((row) => row.workers === 1).map((row) => row.speedup)).toEqual([1, 1]);
    expect(events.filter((e) => e.type === 'bench-run')).toHaveLength(8); // (1 warm-up + 1) x 4 cells
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    expect(lines[1]).toMatch(/^model,workers,images,/);
    expect(lines.slice(2)).toHaveLength(4);
  });
});
