/**
 * One pool resized in place (engine/pools): rapid resizes lose and double nothing and the pool
 * ends at the size asked; a resize after dispatching ended is ignored; in the processes model a
 * child that dies while idle is replaced and never sent a task (the engine stays up).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { JobSpecSchema, type JobSpecInput } from '../common/job.js';
import { parseOrThrow } from '../common/validate.js';
import { spawnEngine } from '../app/engine-client.js';
import { ProcessPool } from '../engine/pools/processes.js';
import { IDLE_MS } from '../engine/pools/threads.js';
import { Batch } from '../engine/run.js';
import { childPids, linkFarm, listFiles, ofType, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Poll `read` until it returns `want` (or `ms` pass); returns the last value read. */
async function settle(read: () => number, want: number, ms: number): Promise<number> {
  const end = Date.now() + ms;
  let v = read();
  while (v !== want && Date.now() < end) {
    await sleep(50);
    v = read();
  }
  return v;
}

function spec(input: string, output: string, more: Partial<JobSpecInput> = {}) {
  return parseOrThrow(JobSpecSchema, { inputs: [input], output, ops: { resize: { width: 160, height: 160 } }, format: 'jpeg', workers: 1, ...more });
}

/** The outputs of a batch must be one per input, none twice, none missing, no temporary file. */
function expectExactlyOnce(events: EngineEvent[], out: string, count: number) {
  const done = ofType(events, 'file-done').map((e) => e.input);
  expect(ofType(events, 'file-failed')).toEqual([]);
  expect(done).toHaveLength(count);
  expect(new Set(done).size).toBe(count);
  expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(count);
  expect(tmpFiles(out)).toEqual([]);
}

describe.each(['threads', 'processes'] as const)('one pool resized in place (%s)', (model) => {
  it('rapid resizes 1->4->1->3 within 100 ms: nothing lost or doubled, the pool ends at 3', async () => {
    const count = 400;
    const input = linkFarm(SAMPLES, count, `rapid-${model}`);
    const out = tempDir(`rapid-${model}-out`);
    const events: EngineEvent[] = [];
    const b = new Batch(spec(input, out, { model }), { onEvent: (e) => events.push(e) });
    const sampled: number[] = [];
    const driver = (async () => {
      while (ofType(events, 'file-done').length < 5) await sleep(10);
      for (const n of [4, 1, 3]) {
        b.setWorkers(n);
        await sleep(30);
      }
      // the latest request wins; threads and processes above it end once idle for IDLE_MS
      sampled.push(await settle(() => b.alive, 3, IDLE_MS + 30_000));
      sampled.push(Math.max(...ofType(events, 'progress').slice(-3).map((e) => e.running)));
    })();
    const totals = await b.done;
    await driver;
    expect(totals.done).toBe(count);
    expectExactlyOnce(events, out, count);
    expect(ofType(events, 'pool').at(-1)?.workers).toBe(3);
    // coalesced: the burst gave at most two resizes, never a size that was not asked for
    for (const e of ofType(events, 'pool')) expect([1, 3, 4]).toContain(e.workers);
    expect(ofType(events, 'pool').length).toBeLessThanOrEqual(2);
    expect(sampled[0]).toBe(3);
    expect(b.alive).toBe(0); // given back with the batch (closed, or kept for the next one: pool-park.test.ts)
  });

  it('shrinks back: 4 -> 1 ends the threads or processes it no longer needs while the batch runs', async () => {
    const count = 3000; // more than it needs: cancelled once the shrink is seen (the timeouts allow for a loaded machine)
    const input = linkFarm(SAMPLES, count, `shrink-${model}`);
    const out = tempDir(`shrink-${model}-out`);
    const events: EngineEvent[] = [];
    const b = new Batch(spec(input, out, { model, workers: 4 }), { onEvent: (e) => events.push(e) });
    let grown = 0;
    let shrunk = -1;
    const driver = (async () => {
      grown = await settle(() => b.alive, 4, 60_000);
      b.setWorkers(1);
      shrunk = await settle(() => b.alive, 1, IDLE_MS + 40_000);
      b.cancel();
    })();
    await b.done;
    await driver;
    expect(grown).toBe(4);
    expect(shrunk).toBe(1);
    const done = ofType(events, 'file-done').map((e) => e.input);
    expect(new Set(done).size).toBe(done.length);
    expect(ofType(events, 'file-failed')).toEqual([]);
    expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(done.length);
    expect(tmpFiles(out)).toEqual([]);
  });
});

describe('resizes after the end', () => {
  it('a set-workers once dispatching has ended changes nothing and starts nothing', async () => {
    const input = linkFarm(SAMPLES, 6, 'late');
    const out = tempDir('late-out');
    const events: EngineEvent[] = [];
    const b = new Batch(spec(input, out, { workers: 2 }), {
      onEvent: (e) => {
        events.push(e);
        if (e.type === 'scan' && e.done) queueMicrotask(() => b.setWorkers(2)); // same size: nothing to do
      },
    });
    await b.done;
    b.setWorkers(4);
    await sleep(200);
    expect(ofType(events, 'pool')).toEqual([]);
    expect(b.alive).toBe(0);
    expectExactlyOnce(events, out, 6);
  });
});

describe('processes model: every child is watched', () => {
  it('an idle child that dies is replaced, and no task is ever sent to it', async () => {
    const pool = new ProcessPool(2);
    try {
      await sleep(1500); // older than a crash loop
      const [victim] = pool.pids;
      process.kill(victim!, 'SIGKILL');
      expect(await settle(() => (pool.pids.includes(victim!) ? -1 : pool.alive), 2, 5000)).toBe(2);
      const input = linkFarm(SAMPLES, 4, 'idle-death');
      const out = tempDir('idle-death-out');
      const files = listFiles(input);
      const results = await Promise.all(
        files.map((f, i) => {
          const s = spec(input, out);
          return pool.run({ input: `${input}/${f}`, inputFormat: 'jpeg', tmp: `${out}/.t${i}.photopool-tmp`, format: 'jpeg', quality: 80, ops: s.ops, limits: s.limits, keepExif: false, keepIcc: false, keepMtime: false });
        }),
      );
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
      // four tasks at once on a pool of two started two more children: they end once idle for IDLE_MS
      expect(await settle(() => pool.alive, 2, IDLE_MS + 10_000)).toBe(2);
    } finally {
      await pool.close();
    }
    expect(pool.alive).toBe(0);
  });

  it('the engine survives a worker process killed while the batch is paused, and finishes it', async () => {
    const engine = spawnEngine({ maxWorkers: 4 });
    const input = linkFarm(SAMPLES, 40, 'paused-death');
    const out = tempDir('paused-death-out');
    const events: EngineEvent[] = [];
    let killed = 0;
    const finished = new Promise<void>((resolve, reject) => {
      engine.onEvent((e) => {
        events.push(e);
        if (e.type === 'file-done' && ofType(events, 'file-done').length === 5) engine.send({ type: 'pause' });
        if (e.type === 'state' && e.state === 'paused') {
          void (async () => {
            await sleep(1500); // the running files end: every child is idle
            const kids = childPids(engine.pid!).filter((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workers/process'));
            expect(kids.length).toBe(2);
            process.kill(kids[0]!, 'SIGKILL');
            killed = kids[0]!;
            await sleep(500);
            engine.send({ type: 'continue' });
          })().catch(reject);
        }
        if (e.type === 'done') resolve();
        if (e.type === 'fatal') reject(new Error(e.message));
      });
      void engine.exited.then(({ code, signal }) => reject(new Error(`engine exited (${signal ?? code})`)));
    });
    engine.send({ type: 'start', spec: { inputs: [input], output: out, ops: { resize: { width: 160 } }, format: 'jpeg', workers: 2, model: 'processes' } });
    await finished;
    expect(killed).toBeGreaterThan(0);
    expectExactlyOnce(events, out, 40);
    engine.close();
    expect(await engine.exited).toEqual({ code: 0, signal: null });
  });
});
