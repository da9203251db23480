/**
 * Recovery of a big journal does not hold the engine's event loop (engine/journal.ts reads it
 * in pieces, each awaited): timers keep firing and no single block lasts a second, measured
 * with perf_hooks.monitorEventLoopDelay; an engine process recovering one answers requests
 * before its resume is answered. A cancel stops it before anything is touched. Bounds
 * are generous: they hold on a loaded machine and fail for a synchronous read (no tick at all
 * until the whole journal is read).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { spawnEngine } from '../app/engine-client.js';
import { JobSpecSchema } from '../common/job.js';
import { JOURNAL_NAME, recoverJournal } from '../engine/journal.js';
import { hashTree, tempDir } from './helpers.js';

const ID = 'abcd1234';
const FILES = 30_000;

/** An output folder whose journal records FILES files started and committed; every 10th output exists whole. */
function bigJournal() {
  const out = tempDir('jbig');
  const input = tempDir('jbig-in');
  const spec = JobSpecSchema.parse({ inputs: [input], output: out });
  const lines = [JSON.stringify({ t: 'batch', v: 1, batchId: ID, spec, at: new Date().toISOString() })];
  for (let i = 0; i < FILES; i++) {
    const sub = `d${Math.floor(i / 1000)}`;
    if (i % 1000 === 0) mkdirSync(join(out, sub));
    const name = `${String(i).padStart(6, '0')}.jpg`;
    const o = join(out, sub, name);
    const tmp = join(out, sub, `.${name}.${ID}-${i}.photopool-tmp`);
    lines.push(JSON.stringify({ t: 'start', i: join(input, sub, name), tmp, o }), JSON.stringify({ t: 'commit', i: join(input, sub, name), tmp, o, bytes: 3 }));
    if (i % 10 === 0) writeFileSync(o, 'abc');
  }
  writeFileSync(join(out, JOURNAL_NAME), lines.join('\n') + '\n');
  return { out, input };
}

describe('journal recovery keeps the event loop turning', () => {
  it(`recovers ${FILES} commits with timers firing throughout and no block over 1 s`, async () => {
    const { out } = bigJournal();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    delay.enable();
    const t0 = performance.now();
    const state = await recoverJournal(out);
    const ms = performance.now() - t0;
    delay.disable();
    clearInterval(timer);
    expect(state.done.size).toBe(FILES / 10);
    expect(state.planned.size).toBe(FILES - FILES / 10);
    const maxBlockMs = delay.max / 1e6;
    console.log(`recovery of ${FILES} commits: ${Math.round(ms)} ms, ${ticks} timer ticks, longest block ${Math.round(maxBlockMs)} ms`);
    expect(maxBlockMs).toBeLessThan(1000);
    // a 20 ms timer fires at least once per 200 ms of recovery (a synchronous read: never)
    expect(ticks).toBeGreaterThanOrEqual(Math.floor(ms / 200));
    expect(ticks).toBeGreaterThan(0);
  }, 120_000);

  it('a cancel during the read stops it with nothing touched', async () => {
    const { out } = bigJournal();
    const tmp = join(out, 'd0', `.000001.jpg.${ID}-1.photopool-tmp`);
    writeFileSync(tmp, 'abc'); // committed, not renamed: a finished recovery would roll it forward
    const before = hashTree(out);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 1);
    await expect(recoverJournal(out, abort.signal)).rejects.toMatchObject({ name: 'AbortError' });
    expect(hashTree(out)).toEqual(before);
    const state = await recoverJournal(out); // not cancelled: repaired
    expect(state.done.has(join(state.spec.inputs[0]!, 'd0', '000001.jpg'))).toBe(true);
    expect(hashTree(out)).not.toEqual(before);
  }, 120_000);

  it('an engine recovering the journal of a resume answers a pause within a second, before the resume', async () => {
    const { out } = bigJournal();
    const engine = spawnEngine({ maxWorkers: 1 });
    const sent = new Map<string, number>();
    const answered: Array<{ id: string; ms: number; at: number }> = [];
    const off = engine.onEvent((e) => {
      if (e.type === 'reply' && sent.has(e.id)) answered.push({ id: e.id, ms: performance.now() - sent.get(e.id)!, at: performance.now() });
    });
    const send = (id: string, cmd: { type: 'resume'; output: string } | { type: 'pause' }) => {
      sent.set(id, performance.now());
      engine.send({ ...cmd, id });
    };
    try {
      send('ready', { type: 'pause' }); // the engine has booted once this is answered
      while (!answered.some((a) => a.id === 'ready')) await new Promise((r) => setTimeout(r, 20));
      send('resume', { type: 'resume', output: out });
      for (let i = 0; !answered.some((a) => a.id === 'resume') && i < 600; i++) {
        await new Promise((r) => setTimeout(r, 100));
        if (i % 2 === 0) send(`pause${i}`, { type: 'pause' });
      }
      const resume = answered.find((a) => a.id === 'resume');
      expect(resume).toBeDefined();
      const pauses = answered.filter((a) => a.id.startsWith('pause') && a.at < resume!.at);
      console.log(`resume answered after ${Math.round(resume!.ms)} ms; ${pauses.length} pauses answered meanwhile, slowest ${Math.round(Math.max(...pauses.map((p) => p.ms)))} ms`);
      expect(pauses.length).toBeGreaterThan(0);
      for (const p of pauses) expect(p.ms).toBeLessThan(1000);
    } finally {
      off();
      engine.kill();
      await engine.exited;
    }
  }, 120_000);
});
