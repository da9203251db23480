/**
 * The UI session (app/session) against a fake engine: commands carry ids and are answered by
 * id, an engine that dies mid-batch leaves a stopped batch, rejected pending requests and a
 * session that can start again, and "Restart and resume" reaches a fresh engine.
 * (test/session-engine.test.ts does the same crash with the real engine and real files.)
 */
import { describe, expect, it } from 'vitest';
import type { EngineCommand, EngineEvent } from '../common/events.js';
import type { EngineProcess } from '../app/engine-client.js';
import { Session } from '../app/session/session.js';

/** An engine process the test drives by hand. */
class FakeEngine implements EngineProcess {
  readonly sent: EngineCommand[] = [];
  readonly pid = 4242;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private exit!: (r: { code: number | null; signal: string | null }) => void;
  readonly exited = new Promise<{ code: number | null; signal: string | null }>((r) => (this.exit = r));
  /** Answer each command at once (true) or leave it pending (false). */
  autoReply = true;

  send(cmd: EngineCommand): void {
    this.sent.push(cmd);
    if (!this.autoReply || !cmd.id) return;
    if (cmd.type === 'start' || cmd.type === 'resume') this.emit(batchStart(cmd.type === 'resume'));
    this.emit({ type: 'reply', id: cmd.id, ok: true });
  }
  onEvent(fn: (e: EngineEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  emit(e: EngineEvent): void {
    for (const fn of this.listeners) fn(e);
  }
  close(): void {
    this.exit({ code: 0, signal: null });
  }
  kill(): void {
    this.exit({ code: null, signal: 'SIGKILL' });
  }
}

const spec = { inputs: ['/photos'], output: '/out' };
const batchStart = (resumed: boolean): EngineEvent => ({
  type: 'batch-start',
  batchId: 'b1',
  spec: { ...spec, format: 'same', quality: 80 } as never,
  workers: 2,
  cores: 2,
  resumed,
});
const fileDone = (n: number): EngineEvent => ({ type: 'file-done', input: `/photos/${n}.jpg`, output: `/out/${n}.jpg`, worker: 0, ms: 5, inputBytes: 10, outputBytes: 5, width: 4, height: 4, outWidth: 2, outHeight: 2, megapixels: 0, lane: 'luma' });

function setup() {
  const engines: FakeEngine[] = [];
  const session = new Session({
    spawn: () => {
      const e = new FakeEngine();
      engines.push(e);
      return e;
    },
  });
  const exits: { message: string; canResume: boolean }[] = [];
  session.subscribe((name, payload) => {
    if (name === 'engineExit') exits.push(payload as { message: string; canResume: boolean });
  });
  return { session, engines, exits, engine: () => engines.at(-1)! };
}

describe('UI session with a fake engine', () => {
  it('sends every command with an id and resolves on the reply with that id only', async () => {
    const { session, engine } = setup();
    engine().autoReply = false;
    const started = session.request('start', { spec });
    await Promise.resolve();
    const cmd = engine().sent[0]!;
    expect(cmd).toMatchObject({ type: 'start', spec: { inputs: ['/photos'], output: '/out' } });
    expect(cmd.id).toMatch(/\S/);
    let settled = false;
    void started.then(() => (settled = true));
    engine().emit({ type: 'reply', id: `${cmd.id}-other`, ok: true }); // not ours
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe(false);
    engine().emit(batchStart(false));
    engine().emit({ type: 'reply', id: cmd.id!, ok: true });
    await expect(started).resolves.toEqual({ ok: true });
    expect(session.snapshot.batch?.state).toBe('scanning');
  });

  it('a refusal reaches the request that caused it, with its field problems', async () => {
    const { session, engine } = setup();
    engine().autoReply = false;
    const started = session.request('start', { spec });
    await Promise.resolve();
    const problems = [{ field: 'output', expected: 'a writable folder', received: '"/out"' }];
    engine().emit({ type: 'reply', id: engine().sent[0]!.id!, ok: false, message: 'Cannot use the output folder', problems });
    await expect(started).rejects.toMatchObject({ message: 'Cannot use the output folder', problems });
  });

  it('two concurrent starts (two tabs): one batch starts, the other gets a clear refusal', async () => {
    const { session, engine } = setup();
    engine().autoReply = false;
    const a = session.request('start', { spec });
    const b = session.request('start', { spec: { ...spec, output: '/out2' } });
    await expect(b).rejects.toThrow(/starting already/);
    await Promise.resolve();
    const starts = engine().sent.filter((c) => c.type === 'start');
    expect(starts).toHaveLength(1);
    engine().emit(batchStart(false));
    engine().emit({ type: 'reply', id: starts[0]!.id!, ok: true });
    await expect(a).resolves.toEqual({ ok: true });
    await expect(session.request('start', { spec })).rejects.toThrow(/running already/);
  });

  it('engine killed mid-batch: batch stopped, pending requests rejected, a new batch can start in a new engine', async () => {
    const { session, engines, exits, engine } = setup();
    await session.request('start', { spec });
    engine().emit(fileDone(1));
    engine().autoReply = false;
    const pending = session.request('setWorkers', { workers: 3 });
    await Promise.resolve();
    engine().kill();
    await expect(pending).rejects.toThrow(/engine process stopped \(killed by SIGKILL\) before answering/);
    const b = session.snapshot.batch!;
    expect(b.state).toBe('done');
    expect(b.interrupted).toMatch(/stopped unexpectedly \(killed by SIGKILL\)/);
    expect(b.lanes.every((l) => l === null)).toBe(true);
    expect(session.snapshot.engine).toMatchObject({ alive: false, canResume: true });
    expect(exits).toEqual([{ message: expect.stringMatching(/can be resumed/) as unknown as string, canResume: true }]);
    // Commands that need a running batch are no-ops now, not errors.
    await expect(session.request('pause', {})).resolves.toEqual({ ok: true });
    // A new batch starts in a fresh engine.
    await expect(session.request('start', { spec: { ...spec, output: '/other' } })).resolves.toEqual({ ok: true });
    expect(engines).toHaveLength(2);
    expect(engine().sent[0]).toMatchObject({ type: 'start', spec: { output: '/other' } });
    expect(session.snapshot.engine.alive).toBe(true);
  });

  it('"Restart and resume": restartEngine then resume send the interrupted output to a new engine', async () => {
    const { session, engines, engine } = setup();
    await session.request('start', { spec });
    engines[0]!.kill();
    await new Promise((r) => setTimeout(r, 0));
    await session.request('restartEngine', {});
    expect(engines).toHaveLength(2);
    await session.request('resume', { output: '/out', workers: 2 });
    expect(engine().sent.map((c) => c.type)).toEqual(['resume']);
    expect(engine().sent[0]).toMatchObject({ type: 'resume', output: '/out', workers: 2 });
    expect(session.snapshot.batch).toMatchObject({ resumed: true, interrupted: null });
    // The dead engine's exit does not touch the new batch.
    expect(session.snapshot.engine).toMatchObject({ alive: true, message: null });
  });

  it('resume after a crash restarts the dead engine by itself', async () => {
    const { session, engines } = setup();
    engines[0]!.kill();
    await new Promise((r) => setTimeout(r, 0));
    await expect(session.request('resume', { output: '/out' })).resolves.toEqual({ ok: true });
    expect(engines).toHaveLength(2);
    expect(engines[1]!.sent[0]).toMatchObject({ type: 'resume', output: '/out' });
  });

  it('previews are rendered by the engine process, never in the session (Electron main in the desktop app)', async () => {
    const { session, engine } = setup();
    engine().autoReply = false;
    await session.request('addFolder', { path: '/photos' });
    const preview = { image: 'data:image/jpeg;base64,AA==', width: 2, height: 1, inputWidth: 4, inputHeight: 2, inputBytes: 10, output: null };
    const asked = session.request('renderPreview', { path: '/photos/a.jpg' });
    await new Promise((r) => setTimeout(r, 0));
    const cmd = engine().sent.find((c) => c.type === 'preview')!;
    expect(cmd).toMatchObject({ type: 'preview', path: '/photos/a.jpg', maxSize: 1600 });
    engine().emit({ type: 'reply', id: cmd.id!, ok: true, result: preview });
    await expect(asked).resolves.toEqual(preview);
    // a file outside the inputs and the batch is refused before the engine is asked
    await expect(session.request('renderPreview', { path: '/etc/passwd' })).rejects.toThrow(/not in the added inputs/);
    expect(engine().sent.filter((c) => c.type === 'preview')).toHaveLength(1);
  });

  it('while a batch converts, previews and estimates are refused before the engine is asked (they would take its CPU); paused, they are rendered again', async () => {
    const { session, engine } = setup();
    await session.request('addFolder', { path: '/photos' });
    engine().autoReply = false;
    const started = session.request('start', { spec });
    await Promise.resolve();
    // the start is not answered yet: a preview asked now would still land in the batch
    await expect(session.request('renderPreview', { path: '/photos/a.jpg' })).rejects.toThrow(/No preview while a batch converts: it would slow it down\. Pause it or wait for it to finish\./);
    const start = engine().sent.find((c) => c.type === 'start')!;
    engine().emit(batchStart(false));
    engine().emit({ type: 'reply', id: start.id!, ok: true });
    await started;
    engine().emit({ type: 'state', state: 'running' });
    engine().emit(fileDone(1));
    await expect(session.request('renderPreview', { path: '/out/1.jpg' })).rejects.toThrow(/No preview while a batch converts/);
    await expect(session.request('renderPreview', { path: '/photos/1.jpg', job: { format: 'jpeg' } })).rejects.toThrow(/No preview while a batch converts/);
    await expect(session.request('estimateSize', { job: { format: 'jpeg' } })).rejects.toThrow(/No size estimate while a batch converts/);
    expect(engine().sent.filter((c) => c.type === 'preview' || c.type === 'estimate')).toEqual([]);
    // paused: nothing converts, the before/after may be rendered
    engine().emit({ type: 'state', state: 'paused' });
    void session.request('renderPreview', { path: '/photos/1.jpg' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(engine().sent.filter((c) => c.type === 'preview')).toHaveLength(1);
    engine().emit({ type: 'state', state: 'running' });
    await expect(session.request('renderPreview', { path: '/photos/1.jpg' })).rejects.toThrow(/No preview while a batch converts/);
    engine().emit({ type: 'state', state: 'done' });
    void session.request('renderPreview', { path: '/out/1.jpg' }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 0));
    expect(engine().sent.filter((c) => c.type === 'preview')).toHaveLength(2);
  });
});
