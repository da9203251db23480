/**
 * The snapshot reducer (common/snapshot.ts): what a UI shows, folded from engine events. Pure:
 * no engine, just events in and the state out.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, ProgressSnapshot } from '../common/events.js';
import { JobSpecSchema } from '../common/job.js';
import { applyEngineEvent, emptySnapshot, RECENT_LIMIT, SERIES_LIMIT, SKIPPED_LIMIT } from '../common/snapshot.js';
import type { BenchRow, MachineInfo } from '../common/bench.js';

const spec = JobSpecSchema.parse({ inputs: ['/in'], output: '/out' });
const start: EngineEvent = { type: 'batch-start', batchId: 'b1', spec, workers: 2, cores: 2, resumed: false };
const done = (input: string, worker: number, lane: 'luma' | 'sharp' = 'sharp'): EngineEvent => ({
  type: 'file-done', input, output: input.replace('/in', '/out'), worker, ms: 5, inputBytes: 100, outputBytes: 10, width: 40, height: 30, outWidth: 20, outHeight: 15, megapixels: 0.0012, lane,
});
const progress = (elapsedMs: number, more: Partial<ProgressSnapshot> = {}): EngineEvent => ({
  type: 'progress', total: 10, done: 0, failed: 0, skipped: 0, running: 0, scanning: false, imagesPerSec: 1, mpPerSec: 1, etaSeconds: null, elapsedMs, workers: 2, state: 'running', ...more,
});
function fold(events: EngineEvent[]) {
  const s = emptySnapshot(2);
  for (const e of events) applyEngineEvent(s, e);
  return s;
}

describe('snapshot reducer', () => {
  it('ignores batch events before a batch starts; a fatal sets the error, the next batch clears it', () => {
    const s = fold([done('/in/a.jpg', 0), { type: 'fatal', message: 'no', code: 'output-locked' }]);
    expect(s.batch).toBeNull();
    expect(s.error).toEqual({ message: 'no', problems: undefined });
    applyEngineEvent(s, start);
    expect(s.error).toBeNull();
    expect(s.batch).toMatchObject({ batchId: 'b1', workers: 2, state: 'scanning', lanes: [null, null], counts: { done: 0, failed: 0, skipped: 0 } });
  });

  it('follows files through their lanes and counts them by lane, worker count and outcome', () => {
    const s = fold([
      start,
      { type: 'file-start', input: '/in/a.jpg', worker: 0 },
      { type: 'file-start', input: '/in/b.jpg', worker: 3 }, // a lane past the first size grows the arrays
      done('/in/a.jpg', 0, 'luma'),
      { type: 'pool', workers: 4, previous: 2, elapsedMs: 1000 },
      done('/in/b.jpg', 3),
      { type: 'file-failed', input: '/in/c.jpg', code: 'corrupt', reason: 'r', hint: 'h', detail: 'd', worker: 1 },
      { type: 'file-skipped', input: '/in/d.jpg', code: 'done-before', reason: 'r' },
      { type: 'file-skipped', input: '/in/e.jpg', code: 'output-exists', reason: 'r' },
    ]);
    const b = s.batch!;
    expect(b.lanes).toEqual([null, null, null, null]);
    expect(b.laneDone).toEqual([1, 0, 0, 1]);
    expect(b.byLane).toEqual({ luma: 1, colour: 0, sharp: 1 });
    expect(b.byWorkers).toEqual({ 2: 1, 4: 1 });
    expect(b.counts).toEqual({ done: 3, failed: 1, skipped: 1 }); // done-before counts as done
    expect(b.failures.map((f) => f.input)).toEqual(['/in/c.jpg']);
    expect(b.skipped.map((f) => f.input)).toEqual(['/in/e.jpg']);
    expect(b.poolChanges).toEqual([{ t: 1, workers: 4, previous: 2 }]);
  });

  it('keeps its lists bounded: recent outputs, listed skips (all counted), thinned series', () => {
    const events: EngineEvent[] = [start];
    for (let i = 0; i < RECENT_LIMIT + 10; i++) events.push(done(`/in/${i}.jpg`, 0));
    for (let i = 0; i < SKIPPED_LIMIT + 3; i++) events.push({ type: 'file-skipped', input: `/in/s${i}`, code: 'output-exists', reason: 'r' });
    for (let i = 0; i <= SERIES_LIMIT; i++) events.push(progress(i * 200));
    const b = fold(events).batch!;
    expect(b.recent).toHaveLength(RECENT_LIMIT);
    expect(b.recent.at(-1)!.input).toBe(`/in/${RECENT_LIMIT + 9}.jpg`);
    expect(b.counts.skipped).toBe(SKIPPED_LIMIT + 3);
    expect(b.skipped).toHaveLength(SKIPPED_LIMIT);
    expect(b.series.t.length).toBeLessThanOrEqual(SERIES_LIMIT);
    expect(b.series.t.length).toBeGreaterThan(SERIES_LIMIT / 2);
    expect(b.series.t[0]).toBe(0);
  });

  it('records pauses with the times of the progress around them, and the end', () => {
    const s = fold([
      start,
      progress(1000),
      { type: 'state', state: 'paused' },
      progress(3000, { state: 'paused' }),
      { type: 'state', state: 'running' },
      progress(4000),
      { type: 'done', cancelled: true, output: '/out', totals: { done: 1, doneBefore: 0, failed: 0, skipped: 0, elapsedMs: 4000, imagesPerSec: 1, mpPerSec: 1, inputBytes: 1, outputBytes: 1, megapixels: 1, peakRssBytes: 1 } },
    ]);
    const b = s.batch!;
    expect(b.pauses).toEqual([{ t: 1, until: 3 }]);
    expect(b.state).toBe('done');
    expect(b.finished).toMatchObject({ cancelled: true, stopped: undefined });
  });

  it('folds a comparison: one row per model x workers, replaced by a later one', () => {
    const machine = { cpu: 'c', cores: 2 } as MachineInfo;
    const row = (images: number) => ({ model: 'threads', workers: 2, images }) as unknown as BenchRow;
    const s = fold([
      { type: 'bench-start', machine, cells: 2, runsPerCell: 3 },
      { type: 'bench-row', row: row(1) },
      { type: 'bench-row', row: row(2) },
      { type: 'bench-run', model: 'threads', workers: 2, run: 1, warmup: false, seconds: 1, done: 4, of: 6 },
    ]);
    expect(s.bench).toMatchObject({ running: true, done: 4, of: 6, rows: [{ images: 2 }] });
    const err = fold([{ type: 'bench-error', message: 'benchmark cancelled' }]);
    expect(err.bench).toMatchObject({ running: false, error: 'benchmark cancelled' });
    expect(err.batch).toBeNull();
  });
});
