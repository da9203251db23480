/**
 * Live pool resize, pause/continue and cancel, through the real engine process (spawnEngine).
 */
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import type { JobSpecInput } from '../common/job.js';
import { spawnEngine } from '../app/engine-client.js';
import { HAVE_SHARED, linkFarm, listFiles, ofType, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles } from './helpers.js';

/** Drive one batch; `react` may send commands as events arrive. Resolves with every event. */
function batch(spec: JobSpecInput, react: (e: EngineEvent, send: ReturnType<typeof spawnEngine>['send'], seen: EngineEvent[]) => void = () => {}) {
  const engine = spawnEngine({ maxWorkers: 4 });
  const seen: EngineEvent[] = [];
  return new Promise<EngineEvent[]>((resolve, reject) => {
    engine.onEvent((e) => {
      seen.push(e);
      react(e, engine.send, seen);
      if (e.type === 'done') {
        engine.close();
        resolve(seen);
      }
      if (e.type === 'fatal') reject(new Error(e.message));
    });
    void engine.exited.then(({ code, signal }) => (code || signal) && reject(new Error(`engine exited ${code ?? signal}`)));
    engine.send({ type: 'start', spec });
  });
}

const corpus = () => (HAVE_SHARED ? SHARED_PHOTOS : SAMPLES);

describe('worker pool', () => {
  it('changes size mid-batch without losing or doubling a file', async () => {
    const input = linkFarm(corpus(), 120, 'resize');
    const out = tempDir('resize-out');
    const events = await batch(
      { inputs: [input], output: out, ops: { grayscale: true, resize: { width: 320, height: 320 } }, format: 'jpeg', workers: 1 },
      (e, send, seen) => {
        if (e.type !== 'file-done') return;
        const n = ofType(seen, 'file-done').length;
        if (n === 10) send({ type: 'set-workers', workers: 3 });
        if (n === 60) send({ type: 'set-workers', workers: 2 });
      },
    );
    const done = ofType(events, 'file-done');
    const inputs = done.map((e) => e.input);
    expect(new Set(inputs).size).toBe(120);
    expect(inputs).toHaveLength(120);
    expect(ofType(events, 'file-failed')).toEqual([]);
    expect(ofType(events, 'pool').map((e) => [e.previous, e.workers])).toEqual([[1, 3], [3, 2]]);
    // lanes: only lane 0 before the first resize, up to 3 lanes after it
    const starts = ofType(events, 'file-start');
    expect(starts.slice(0, 10).every((e) => e.worker === 0)).toBe(true);
    expect(Math.max(...starts.map((e) => e.worker))).toBe(2);
    // the last progress says 2 workers
    expect(ofType(events, 'progress').at(-1)?.workers).toBe(2);
    expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(120);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('pauses (no file starts while paused) and continues', async () => {
    const input = linkFarm(SAMPLES, 30, 'pause');
    const out = tempDir('pause-out');
    let pausedAt = -1;
    const events = await batch({ inputs: [input], output: out, ops: { resize: { width: 200 } }, workers: 1 }, (e, send, seen) => {
      if (e.type === 'file-done' && ofType(seen, 'file-done').length === 5) {
        send({ type: 'pause' });
        setTimeout(() => send({ type: 'continue' }), 1000);
      }
      if (e.type === 'state' && e.state === 'paused') pausedAt = seen.length;
    });
    expect(pausedAt).toBeGreaterThan(0);
    const states = ofType(events, 'state').map((e) => e.state);
    expect(states).toContain('paused');
    const resumedIdx = events.findIndex((e, i) => i > pausedAt && e.type === 'state' && e.state !== 'paused');
    // between "paused" and the next state no new file starts
    expect(events.slice(pausedAt, resumedIdx).filter((e) => e.type === 'file-start')).toEqual([]);
    expect(ofType(events, 'file-done')).toHaveLength(30);
  });

  it('cancel stops the batch and leaves no partial or temporary file', async () => {
    const input = linkFarm(corpus(), 60, 'cancel');
    const out = tempDir('cancel-out');
    const events = await batch({ inputs: [input], output: out, ops: { grayscale: true }, format: 'png', workers: 2 }, (e, send, seen) => {
      if (e.type === 'file-done' && ofType(seen, 'file-done').length === 3) send({ type: 'cancel' });
    });
    const done = ofType(events, 'done')[0]!;
    expect(done.cancelled).toBe(true);
    const converted = ofType(events, 'file-done').length;
    expect(converted).toBeLessThan(60);
    const files = listFiles(out).filter((f) => !f.startsWith('.photopool-journal'));
    expect(files).toHaveLength(converted);
    expect(tmpFiles(out)).toEqual([]);
    for (const f of files) await expect(sharp(join(out, f)).stats()).resolves.toBeTruthy();
  });
});
