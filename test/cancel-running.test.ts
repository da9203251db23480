/**
 * A cancel lets the files already running finish and throws their outputs away
 * (engine/batch/ahead.ts CANCEL_GRACE_MS): ending a worker thread inside a native call aborted
 * the whole process ("FATAL ERROR: Error::ThrowAsJavaScriptException napi_throw" from koffi, about
 * once in 25 cancels of a running batch), which took the engine, or this test runner, down.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { parseOrThrow } from '../common/validate.js';
import { AheadQueue, runTask } from '../engine/batch/ahead.js';
import { ThreadPool } from '../engine/pools/threads.js';
import { Batch } from '../engine/run.js';
import { convertTask, linkFarm, listFiles, SAMPLES, tempDir, tmpFiles } from './helpers.js';

describe('cancel with files running', () => {
  it('a running file finishes on its own thread, its output is removed, and the task reports nothing', async () => {
    const dir = tempDir('cancel-running');
    const pool = new ThreadPool(1, 1);
    try {
      // a first file, so that the thread has loaded and its id is known
      expect((await pool.run(convertTask({ input: join(SAMPLES, 'retina.jpg'), tmp: join(dir, 'first.jpg') }))).ok).toBe(true);
      const before = pool.threads.map((t) => t.threadId);
      const cancel = new AbortController();
      const tmp = join(dir, '.second.jpg.tmp');
      const task = convertTask({ input: join(SAMPLES, 'retina.jpg'), tmp, ops: { grayscale: false, autoRotate: true } }); // full size: ~100 ms of work
      const ran = runTask(new AheadQueue(pool, () => true), task, cancel.signal, 60, () => queueMicrotask(() => cancel.abort()), new Set()); // once it runs
      expect(await ran).toBeNull();
      expect(existsSync(tmp)).toBe(false);
      expect(pool.threads.map((t) => t.threadId)).toEqual(before); // not ended and replaced
    } finally {
      await pool.close();
    }
  });

  it('40 batches cancelled at random moments: the process survives, every output whole, no temporary file', async () => {
    const input = linkFarm(SAMPLES, 200, 'cancel-many');
    for (let i = 0; i < 40; i++) {
      const out = tempDir('cancel-many-out');
      const b = new Batch(parseOrThrow(JobSpecSchema, { inputs: [input], output: out, ops: { resize: { width: 160, height: 160 } }, format: 'jpeg', workers: 2 }), { onEvent: () => {} });
      setTimeout(() => b.cancel(), 30 + Math.random() * 300);
      const totals = await b.done;
      expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(totals.done);
      expect(tmpFiles(out)).toEqual([]);
    }
  }, 240_000);
});
