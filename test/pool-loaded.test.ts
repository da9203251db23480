/**
 * A worker thread ended while it still loads its modules aborts the whole engine process (a
 * native addon registering: koffi's "FATAL ERROR ... napi_throw", or Node's require() facade
 * assertion). Seen in CI as `photopool resume` of a folder without a journal: the CLI refused
 * it and the engine, exiting straight away, aborted while its warm workers loaded. The workers
 * now say when they are loaded (workers/convert.ts) and a pool's close and the engine's exit
 * wait for it (engine/pools/loaded.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoaded } from '../engine/pools/loaded.js';
import { ThreadPool, threadsLoaded } from '../engine/pools/threads.js';
import { runCli, tempDir } from './helpers.js';

describe('worker threads loading their modules', () => {
  it('say when they are loaded, and threadsLoaded waits for every thread of every open pool', async () => {
    const a = new ThreadPool(2, 2);
    const b = new ThreadPool(1, 1);
    try {
      const ids = [...a.threads, ...b.threads].map((t) => t.threadId);
      expect(ids).toHaveLength(3);
      expect(ids.some((id) => isLoaded(id))).toBe(false); // just started: none can have loaded sharp yet
      await threadsLoaded();
      expect(ids.filter((id) => isLoaded(id))).toEqual(ids);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a pool closed as soon as it is made ends its threads once loaded, and the next one works', async () => {
    const pool = new ThreadPool(2, 2);
    const ids = pool.threads.map((t) => t.threadId);
    await pool.close();
    expect(ids.filter((id) => isLoaded(id))).toEqual(ids);
  });

  it('an engine that exits while its warm workers load exits cleanly (resume of a folder without a journal, 8 times)', async () => {
    const empty = join(tempDir('no-journal'), 'out');
    mkdirSync(empty);
    for (let i = 0; i < 8; i++) {
      const r = await runCli(['resume', empty]);
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(/No batch to resume/);
      expect(r.stderr).not.toMatch(/FATAL|Assertion failed|ended unexpectedly/);
    }
  });
});
