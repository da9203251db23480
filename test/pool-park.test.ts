/**
 * A finished batch's thread pool waits PARK_MS for the next batch (engine/pools/warm.ts): the
 * next `threads` batch adopts it, resized, and starts no thread (each loads sharp: ~0.1 s of a
 * 2-core machine per batch of 2 workers, paid by every batch of the UI and every timed run of
 * the bench before); it is closed after PARK_MS, or at once by a batch of another model.
 */
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPool, releasePool } from '../engine/pools/index.js';
import { ThreadPool } from '../engine/pools/threads.js';
import { parkPool, takeWarmPool } from '../engine/pools/warm.js';
import { until } from './cli-helpers.js';
import { convertTask, runCli, SAMPLES, tempDir } from './helpers.js';

describe('the thread pool kept between batches', () => {
  it('is adopted by the next threads batch, resized, with the threads it had', async () => {
    const dir = tempDir('park');
    const pool = createPool('threads', 2) as ThreadPool;
    const input = join(SAMPLES, 'coffee.jpg');
    const results = await Promise.all([0, 1].map((i) => pool.run(convertTask({ input, tmp: join(dir, `a${i}.jpg`) }))));
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    const threads = pool.threads.map((t) => t.threadId);
    await releasePool(pool);
    const next = createPool('threads', 3);
    try {
      expect(next).toBe(pool);
      expect(next.size).toBe(3);
      expect(pool.threads.map((t) => t.threadId)).toEqual(expect.arrayContaining(threads));
      expect((await next.run(convertTask({ input, tmp: join(dir, 'b.jpg') }))).ok).toBe(true);
      expect(takeWarmPool(2)).toBeUndefined(); // adopted once
    } finally {
      await next.close();
    }
  });

  it('is closed after its time, or at once by a batch of another model', async () => {
    const a = new ThreadPool(1, 1);
    parkPool(a, 300);
    await new Promise((r) => setTimeout(r, 600));
    expect(takeWarmPool(1)).toBeUndefined();
    await until(() => a.alive === 0, 20_000, 'the kept pool to close after its time');

    const b = new ThreadPool(1, 1);
    await releasePool(b);
    const other = createPool('async', 1);
    try {
      expect(other).not.toBe(b);
      await until(() => b.alive === 0, 20_000, 'the kept pool to close for a batch of another model');
    } finally {
      await other.close();
    }
  });

  it('makes the bench start its workers once, not at every timed run', async () => {
    const input = tempDir('park-bench');
    for (const f of ['coffee.jpg', 'chelsea.jpg']) copyFileSync(join(SAMPLES, f), join(input, f));
    const r = await runCli(['bench', input, '--workers', '2', '--repeat', '2', '--resize', '256x256'], { env: { PHOTOPOOL_TRACE_STARTUP: '1' } });
    expect(r.code, r.stderr).toBe(0);
    // 1 warm-up + 2 timed runs in one engine: 2 threads loaded in all (6 when every run made its own pool)
    expect(r.stderr.match(/engine: worker \d+ loaded/g), r.stderr).toHaveLength(2);
  });
});
