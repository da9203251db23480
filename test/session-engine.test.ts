/**
 * The UI session with the real engine: kill -9 the engine process mid-batch, then "Restart and
 * resume" (restartEngine + resume, as the UI's button does): every output exactly once, no
 * temporary file left, and the session usable again.
 */
import { basename } from 'node:path';
import { EngineRefusal } from '../app/session/engine-link.js';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { spawnEngine, type EngineProcess } from '../app/engine-client.js';
import { Session } from '../app/session/session.js';
import { linkFarm, listFiles, SAMPLES, tempDir, tmpFiles } from './helpers.js';

/** A UI session on real engine processes, and every engine it started, in order. */
function sessionWithEngines(): { session: Session; engines: EngineProcess[] } {
  const engines: EngineProcess[] = [];
  const session = new Session({
    spawn: (n) => {
      const e = spawnEngine({ maxWorkers: n });
      engines.push(e);
      return e;
    },
  });
  return { session, engines };
}

describe('UI session with the real engine', () => {
  it('engine killed mid-batch, then Restart and resume: every output exactly once', async () => {
    const count = 300;
    const input = linkFarm(SAMPLES, count, 'session-crash');
    const output = tempDir('session-crash-out');
    const { session, engines } = sessionWithEngines();
    let seen = 0;
    const exited = new Promise<{ message: string; canResume: boolean }>((resolve) => session.subscribe((name, payload) => name === 'engineExit' && resolve(payload as { message: string; canResume: boolean })));
    const done = new Promise<Extract<EngineEvent, { type: 'done' }>>((resolve) =>
      session.subscribe((name, payload) => {
        if (name !== 'engine') return;
        const e = payload as EngineEvent;
        if (e.type === 'file-done' && ++seen === 20) engines[0]!.kill(); // SIGKILL, mid-batch
        if (e.type === 'done') resolve(e);
      }),
    );
    try {
      await session.request('start', { spec: { inputs: [input], output, workers: 1, ops: { grayscale: true, resize: { width: 64 } } } });
      const exit = await exited;
      expect(exit.canResume).toBe(true);
      expect(session.snapshot.batch).toMatchObject({ state: 'done', interrupted: expect.stringMatching(/SIGKILL/) as unknown as string });
      const before = listFiles(output).filter((f) => !basename(f).startsWith('.')).length;
      expect(before).toBeGreaterThanOrEqual(20);
      expect(before).toBeLessThan(count);

      await session.request('restartEngine', {});
      await session.request('resume', { output });
      const end = await done;
      expect(end.cancelled).toBe(false);
      expect(end.totals.done).toBe(count);
      expect(end.totals.failed).toBe(0);
      const outputs = listFiles(output).filter((f) => !basename(f).startsWith('.'));
      const inputs = listFiles(input);
      expect(outputs.sort()).toEqual(inputs.sort()); // same names: nothing doubled ("-1") or missing
      expect(tmpFiles(output)).toEqual([]);
      expect(engines).toHaveLength(2);
    } finally {
      await session.dispose();
    }
  });

  it('a beside-input batch refused as unfinished is resumed by its inputs: every output once, beside its input', async () => {
    const count = 120;
    const input = linkFarm(SAMPLES, count, 'session-beside');
    process.env.PHOTOPOOL_STATE_DIR = tempDir('session-beside-state'); // the engine inherits it; the session resolves the same folder
    const { session, engines } = sessionWithEngines();
    let seen = 0;
    const spec = { inputs: [input], output: '', besideInput: true, workers: 1, naming: { suffix: '_small' }, ops: { resize: { width: 48 } } };
    const exited = new Promise<void>((resolve) => session.subscribe((name) => name === 'engineExit' && resolve()));
    const done = new Promise<Extract<EngineEvent, { type: 'done' }>>((resolve) =>
      session.subscribe((name, payload) => {
        const e = payload as EngineEvent;
        if (name !== 'engine') return;
        if (e.type === 'file-done' && ++seen === 10 && engines.length === 1) engines[0]!.kill();
        if (e.type === 'done' && engines.length === 2) resolve(e);
      }),
    );
    try {
      await session.request('start', { spec });
      await exited;
      await session.request('restartEngine', {});
      // Convert again, as the page does: refused, the unfinished batch lives in the state folder
      const refused = await session.request('start', { spec }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(EngineRefusal);
      expect((refused as EngineRefusal).code).toBe('unfinished-batch');
      await session.request('resume', { inputs: [input] });
      const end = await done;
      expect(end.cancelled).toBe(false);
      expect(end.totals.done).toBe(count); // the outputs of the first run are skipped as outputs, not counted again
      const files = listFiles(input);
      const outputs = files.filter((f) => f.includes('_small.'));
      expect(outputs).toHaveLength(count); // each input's output once: nothing doubled ("-1") or missing
      expect(files).toHaveLength(2 * count);
      expect(tmpFiles(input)).toEqual([]);
    } finally {
      delete process.env.PHOTOPOOL_STATE_DIR;
      await session.dispose();
    }
  });
});
