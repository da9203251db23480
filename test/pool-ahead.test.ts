/**
 * The batch's ahead queue (engine/batch/ahead.ts) on a real worker-thread pool and real photos:
 * the next file starts as the previous one ends, before its result reaches the caller; a file
 * waiting ahead has not started (no lane, no start, no time limit) until the gate allows it;
 * cancelling or dropping a waiting file never starts it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import type { ConvertTask } from '../common/task.js';
import { AheadQueue, runTask } from '../engine/batch/ahead.js';
import { convertTask } from '../engine/batch/task.js';
import { InlinePool } from '../engine/pools/inline.js';
import { ThreadPool } from '../engine/pools/threads.js';
import { SAMPLES, tempDir } from './helpers.js';

const PHOTOS = ['chelsea.jpg', 'coffee.jpg', 'retina.jpg', 'motorcycle-exif6.jpg'];
let pool: ThreadPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/** Gray, fit inside 256, JPEG: one task per photo, each writing its own temporary file. */
function tasks(out: string): ConvertTask[] {
  const spec = JobSpecSchema.parse({ inputs: [SAMPLES], output: out, ops: { grayscale: true, resize: { width: 256, height: 256 } }, format: 'jpeg' });
  return PHOTOS.map((p) => convertTask(spec, { path: join(SAMPLES, p), format: 'jpeg' }, { output: join(out, p), format: 'jpeg' } as never, join(out, `${p}.tmp`)));
}

describe('ahead queue', () => {
  it('starts the next file as the previous one ends, before its result reaches the caller, in lane 0', async () => {
    pool = new ThreadPool(1, 1);
    const ahead: AheadQueue = new AheadQueue(pool, () => ahead.running < 1);
    const log: string[] = [];
    const cancel = new AbortController();
    const ts = tasks(tempDir('ahead-order'));
    const runs = ts.map((t, i) =>
      ahead.run(t, cancel.signal, (lane) => (log.push(`start ${i} lane ${lane} running ${ahead.running - 1}`), cancel.signal)).then((r) => {
        log.push(`result ${i}`);
        return r;
      }),
    );
    expect(ahead.queued).toBe(3); // the first one started at once, three wait
    const results = await Promise.all(runs);
    expect(results.every((r) => r.ok)).toBe(true);
    // each start comes before the result of the file before it, always in lane 0, never 2 running
    expect(log).toEqual(['start 0 lane 0 running 0', 'start 1 lane 0 running 0', 'result 0', 'start 2 lane 0 running 0', 'result 1', 'start 3 lane 0 running 0', 'result 2', 'result 3']);
    for (const t of ts) expect((await sharp(t.tmp).metadata()).channels).toBe(1);
  });

  it('a waiting file does not start while the gate is closed (pause, memory ceiling), and starts once pumped', async () => {
    pool = new ThreadPool(2, 2);
    let open = false;
    const ahead = new AheadQueue(pool, () => open && pool!.running < 2);
    const started: number[] = [];
    const ts = tasks(tempDir('ahead-gate'));
    const runs = ts.map((t, i) => ahead.run(t, new AbortController().signal, () => (started.push(i), new AbortController().signal)));
    await new Promise((r) => setTimeout(r, 300));
    expect(started).toEqual([]);
    expect(pool.running).toBe(0);
    expect(ts.some((t) => existsSync(t.tmp))).toBe(false);
    open = true;
    ahead.pump();
    expect(started).toEqual([0, 1]); // two workers: two start, two wait
    expect(pool.running).toBe(2);
    const results = await Promise.all(runs);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('a waiting file that is cancelled or dropped never starts and writes nothing', async () => {
    pool = new ThreadPool(1, 1);
    const ahead = new AheadQueue(pool, () => pool!.running < 1);
    const out = tempDir('ahead-cancel');
    const [first, second, third, fourth] = tasks(out);
    const cancel = new AbortController();
    const abandoned = new Set<string>();
    const started: string[] = [];
    const onStart = (t: ConvertTask) => () => void started.push(t.input);
    const r1 = runTask(ahead, first!, new AbortController().signal, 60, onStart(first!), abandoned);
    const r2 = runTask(ahead, second!, cancel.signal, 60, onStart(second!), abandoned);
    const r3 = runTask(ahead, third!, new AbortController().signal, 60, onStart(third!), abandoned);
    const r4 = runTask(ahead, fourth!, new AbortController().signal, 60, onStart(fourth!), abandoned);
    cancel.abort(); // second: cancelled while it waits
    ahead.dropAll(); // third and fourth: the batch stopped
    expect(await r2).toBeNull();
    expect(await r3).toBeNull();
    expect(await r4).toBeNull();
    // a file handed over after the stop (a race the batch cannot rule out) never starts either
    expect(await runTask(ahead, fourth!, new AbortController().signal, 60, onStart(fourth!), abandoned)).toBeNull();
    expect((await r1)?.result.ok).toBe(true);
    expect(started).toEqual([first!.input]);
    for (const t of [second!, third!, fourth!]) expect(existsSync(t.tmp)).toBe(false);
  });

  it('counts what it started itself: a pool that counts a task only later (async model) is never given two at once', async () => {
    const inline = new InlinePool(1);
    const ahead: AheadQueue = new AheadQueue(inline, () => ahead.running < 1);
    const atStart: number[] = [];
    const results = await Promise.all(tasks(tempDir('ahead-inline')).map((t) => ahead.run(t, new AbortController().signal, () => (atStart.push(ahead.running), new AbortController().signal))));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(atStart).toEqual([1, 1, 1, 1]); // itself only, each time
    await inline.close();
  });
});
