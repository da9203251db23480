/**
 * The UI's numbers and words (pure): the reducer (common/snapshot.ts) folding a batch's engine
 * events, the state line and bar (renderer/src/status.ts), validation in plain words and why
 * Convert is disabled (renderer/src/recipe.ts), the drop label.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent, ProgressSnapshot } from '../common/events.js';
import { JobSpecSchema } from '../common/job.js';
import { applyEngineEvent, emptySnapshot } from '../common/snapshot.js';
import { defaultOutputFolder } from '../app/session/outputs.js';
import { dropLabel } from '../renderer/src/api/ws.js';
import { blockedReason, checkRecipe, DEFAULT_RECIPE, outputRelation } from '../renderer/src/recipe.js';
import { announcement, numbersOf, titleOf } from '../renderer/src/status.js';

const spec = JobSpecSchema.parse({ inputs: ['/in'], output: '/out' });
const totals = { done: 0, doneBefore: 0, failed: 0, skipped: 0, elapsedMs: 1000, imagesPerSec: 1, mpPerSec: 1, inputBytes: 100, outputBytes: 10, megapixels: 1, peakRssBytes: 1 };
const progress = (p: Partial<ProgressSnapshot>): EngineEvent => ({
  type: 'progress', total: 0, done: 0, failed: 0, skipped: 0, running: 0, scanning: true, imagesPerSec: 2, mpPerSec: 2, etaSeconds: null, elapsedMs: 0, workers: 1, state: 'scanning', ...p,
});

/** A snapshot after `events`, starting with batch-start (1 worker). */
function fold(events: EngineEvent[]) {
  const s = emptySnapshot(2);
  applyEngineEvent(s, { type: 'batch-start', batchId: 'b1', spec, workers: 1, cores: 2, resumed: false });
  for (const e of events) applyEngineEvent(s, e);
  return s.batch!;
}
const done = (i: number, worker = 0): EngineEvent[] => [
  { type: 'file-start', input: `/in/${i}.jpg`, worker },
  { type: 'file-done', input: `/in/${i}.jpg`, output: `/out/${i}.jpg`, worker, lane: 'sharp', ms: 5, inputBytes: 100, outputBytes: 10, width: 10, height: 10, outWidth: 5, outHeight: 5, megapixels: 0.0001 },
];

describe('batch numbers', () => {
  it('a batch cancelled at 25 of 100 keeps 25%, though the engine scan stopped at what it had found', () => {
    const events = [...Array.from({ length: 25 }, (_, i) => done(i)).flat(), { type: 'scan', files: 31, images: 31, skipped: 0, bytes: 1, done: true } as EngineEvent, { type: 'done', cancelled: true, output: '/out', totals } as EngineEvent];
    const n = numbersOf(fold(events), 100);
    expect(n).toMatchObject({ processed: 25, total: 100, percent: 25, line: 'Cancelled at 25 of 100 (25%)', tone: 'muted', eta: null });
  });

  it('the bar counts done + failed + skipped of every file found, and says "finished with failures" in the warning tone', () => {
    const events: EngineEvent[] = [
      ...done(0),
      ...done(1),
      { type: 'file-failed', input: '/in/bad.jpg', code: 'corrupt', reason: 'corrupt image data', hint: 'copy it again' },
      { type: 'file-skipped', input: '/in/notes.txt', code: 'not-an-image', reason: 'not an image' },
      { type: 'scan', files: 5, images: 3, skipped: 1, bytes: 1, done: true },
    ];
    const running = fold(events);
    expect(numbersOf(running, 4)).toMatchObject({ processed: 4, total: 5, percent: 80, line: 'Converting 4 of 5' });
    applyEngineEvent({ ...emptySnapshot(2), batch: running }, { type: 'done', cancelled: false, output: '/out', totals });
    const n = numbersOf(running, 4);
    expect(n).toMatchObject({ percent: 100, line: 'Finished with 1 failure', tone: 'warn' });
    expect(running.skipped).toEqual([{ input: '/in/notes.txt', code: 'not-an-image', reason: 'not an image' }]);
    expect(titleOf(running, n)).toBe('Finished with failures · PhotoPool');
  });

  it('a batch whose engine died says so, with its true percentage and no ETA', () => {
    const b = fold([...done(0), ...done(1), progress({ state: 'running', etaSeconds: 9 })]);
    b.state = 'done';
    b.interrupted = 'The engine process stopped unexpectedly (SIGKILL).';
    const n = numbersOf(b, 10);
    expect(n).toMatchObject({ percent: 20, line: 'Stopped at 2 of 10: the engine process stopped', tone: 'error', eta: null, counting: false });
    expect(titleOf(b, n)).toBe('Stopped · PhotoPool');
  });

  it('says "Scanning…" only before anything started, and shows no ETA while paused', () => {
    expect(numbersOf(fold([]), 10).line).toBe('Scanning…');
    const b = fold([...done(0), progress({ state: 'running', etaSeconds: 30, elapsedMs: 2000 }), { type: 'state', state: 'paused' }]);
    expect(numbersOf(b, 10)).toMatchObject({ line: 'Paused at 1 of 10', eta: null });
    expect(titleOf(b, numbersOf(b, 10))).toBe('Paused 10% · PhotoPool');
  });

  it('marks pauses with their start and end, and keeps per-pool-size totals after the pool shrinks', () => {
    const b = fold([
      ...done(0),
      progress({ elapsedMs: 1000, state: 'running' }),
      { type: 'state', state: 'paused' },
      progress({ elapsedMs: 4000, state: 'paused' }),
      { type: 'state', state: 'running' },
      progress({ elapsedMs: 5000, state: 'running' }),
      { type: 'pool', workers: 2, previous: 1, elapsedMs: 5000 },
      ...done(1, 1),
      ...done(2, 0),
      { type: 'pool', workers: 1, previous: 2, elapsedMs: 6000 },
      ...done(3, 0),
    ]);
    expect(b.pauses).toEqual([{ t: 1, until: 4 }]);
    expect(b.byWorkers).toEqual({ 1: 2, 2: 2 });
    expect(b.laneDone).toEqual([3, 1]);
  });

  it('announces the start, each 10% step, the first failures and the end, once each', () => {
    const b = fold([]);
    const first = announcement(b, numbersOf(b, 10), null)!;
    expect(first.text).toBe('Batch started: 10 files.');
    for (const e of done(0)) applyEngineEvent({ ...emptySnapshot(2), batch: b }, e);
    const ten = announcement(b, numbersOf(b, 10), first.key)!;
    expect(ten.text).toBe('10% done.');
    expect(announcement(b, numbersOf(b, 10), ten.key)).toBeNull();
    applyEngineEvent({ ...emptySnapshot(2), batch: b }, { type: 'file-failed', input: '/in/x.jpg', code: 'corrupt', reason: 'r', hint: 'h' });
    expect(announcement(b, numbersOf(b, 10), ten.key)!.text).toBe('1 file failed so far.');
  });
});

describe('plain-words validation', () => {
  it('explains each bad value in words and says nothing for good ones', () => {
    expect(checkRecipe(DEFAULT_RECIPE)).toEqual({});
    expect(checkRecipe({ ...DEFAULT_RECIPE, width: '0', quality: '150', template: '{dir}/photo.jpg', output: 'relative/out' })).toEqual({
      width: 'Width must be a whole number of pixels, 1 or more.',
      quality: 'Quality must be a whole number from 1 (smallest files) to 100 (best quality).',
      template: 'Naming must contain {name} (the file name) or {counter} (a number), so that no two outputs get the same name.',
      output: 'The output folder must be a full path, e.g. /home/me/Pictures/converted.',
    });
    expect(checkRecipe({ ...DEFAULT_RECIPE, width: '', height: '' }).width).toBe('Give a width, a height or both (or untick Resize).');
    expect(checkRecipe({ ...DEFAULT_RECIPE, resize: false, width: 'x' })).toEqual({});
  });

  it('says why Convert is disabled, in order: inputs, a missing folder, the output, fields, the staging folder', () => {
    const base = { engineAlive: true, benchRunning: false, recipe: { ...DEFAULT_RECIPE, output: '/home/me/out' }, problems: {} };
    const ok = { path: '/photos', done: true, files: 3 };
    expect(blockedReason({ ...base, folders: [] })).toMatch(/^Add photos first/);
    expect(blockedReason({ ...base, folders: [{ ...ok, error: 'no such file or folder' }] })).toBe('/photos cannot be read (no such file or folder): remove it or fix the path.');
    expect(blockedReason({ ...base, folders: [ok], recipe: DEFAULT_RECIPE })).toBe('Choose an output folder.');
    expect(blockedReason({ ...base, folders: [ok], problems: { width: 'Width must be…' } })).toBe('Fix the marked field first: Width must be…');
    expect(blockedReason({ ...base, folders: [ok], recipe: { ...DEFAULT_RECIPE, output: '/' } })).toMatch(/contains the input \/photos/);
    const dropped = { path: '/tmp/photopool-drop-x/dropped-1', label: 'Dropped: a.jpg', done: true, files: 1 };
    expect(blockedReason({ ...base, folders: [dropped], recipe: { ...DEFAULT_RECIPE, output: '/tmp/photopool-drop-x/out' } })).toMatch(/temporary upload folder/);
    expect(blockedReason({ ...base, folders: [ok] })).toBeNull();
  });

  it('explains an output folder inside an input, refuses one holding an input', () => {
    expect(outputRelation('/photos/converted', ['/photos'])).toEqual({ note: expect.stringContaining('left out of the scan') });
    expect(outputRelation('/photos', ['/photos'])).toEqual({ error: expect.stringContaining('is the input /photos') });
    expect(outputRelation('/elsewhere', ['/photos'])).toBeNull();
  });

  it('puts outputs of a drop under Pictures/PhotoPool/<date time> by default', () => {
    expect(defaultOutputFolder(new Date(2026, 10, 29, 10, 5), '/home/me')).toBe('/home/me/Pictures/PhotoPool/2026-11-29 10-05');
  });

  it('lists a drop by the names the person dropped', () => {
    expect(dropLabel(['trip/a.jpg', 'trip/b.jpg'])).toBe('Dropped: trip (2 files)');
    expect(dropLabel(['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg', 'e.jpg'])).toBe('Dropped: a.jpg, b.jpg, c.jpg and 2 more');
  });
});
