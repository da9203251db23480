/**
 * A size estimate still running when a batch starts is cancelled by the engine host (it would
 * take CPU from the batch): its command is refused saying why, and the batch converts every file.
 */
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { spawnEngine } from '../app/engine-client.js';
import { linkFarm, ofType, SAMPLES, tempDir } from './helpers.js';

describe('estimate during a batch start', () => {
  it('the estimate is refused as cancelled by the batch, which converts every file', async () => {
    const input = linkFarm(SAMPLES, 16, 'estimate-cancel');
    const out = tempDir('estimate-cancel-out');
    const engine = spawnEngine({ maxWorkers: 2 });
    const events: EngineEvent[] = [];
    const done = new Promise<void>((resolve) =>
      engine.onEvent((e) => {
        events.push(e);
        if (e.type === 'done' || e.type === 'fatal') resolve();
      }),
    );
    // 16 photos through the recipe on a preview thread that has yet to start: still running when the start arrives
    engine.send({ type: 'estimate', id: 'est', folders: [input], images: 16, job: { format: 'jpeg', quality: 80, ops: { resize: { width: 64, height: 64 } } }, sample: 16 });
    engine.send({ type: 'start', id: 'go', spec: { inputs: [input], output: out, workers: 2, format: 'jpeg', ops: { resize: { width: 64, height: 64 } } } });
    await done;
    const replies = ofType(events, 'reply');
    const estimate = replies.find((r) => r.id === 'est');
    expect(estimate).toMatchObject({ ok: false });
    expect(JSON.stringify(estimate)).toMatch(/size estimate stopped: a batch started/);
    expect(replies.find((r) => r.id === 'go')).toMatchObject({ ok: true });
    expect(ofType(events, 'done')[0]!.totals.done).toBe(16);
    engine.close();
    await engine.exited;
  });
});
