/**
 * Electron's app side of the UI contract: one engine utility process, the current state (the
 * same reducer as browser mode, from common/contract.ts), native dialogs and show-in-folder.
 */
import { dialog, shell, type BrowserWindow } from 'electron';
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promises as fs } from 'node:fs';
import { applyEngineEvent, benchInterrupted, emptySnapshot, Requests, type EventName, type EventOf, type Handlers, type ReplyOf, type RequestName, type Snapshot } from '../common/contract.js';
import type { EngineCommand, EngineEvent } from '../common/events.js';
import { parseOrThrow } from '../common/validate.js';
import { forkEngine, type Engine } from './engine.js';
import { countFolder } from './walk.js';

const ok = { ok: true } as const;

export class DesktopSession {
  readonly snapshot: Snapshot = emptySnapshot(availableParallelism());
  private engine: Engine;
  private readonly servable = new Set<string>();
  private readonly walks = new Map<string, AbortController>();
  readonly handlers: Handlers;

  /** @param emit sends an event to the window (validated there by the preload's consumer). */
  constructor(
    private readonly window: () => BrowserWindow | null,
    private readonly emit: <N extends EventName>(name: N, payload: EventOf<N>) => void,
  ) {
    this.engine = this.start();
    this.handlers = this.makeHandlers();
  }

  /** Validate the payload of request `name` (throws InvalidOptionsError) and run it. */
  async request<N extends RequestName>(name: N, payload: unknown): Promise<ReplyOf<N>> {
    if (!Object.hasOwn(Requests, name)) throw new Error(`unknown request ${JSON.stringify(name)}`);
    const parsed = parseOrThrow(Requests[name].request, payload);
    return (this.handlers[name] as (r: unknown) => Promise<ReplyOf<N>>)(parsed);
  }

  /** True for inputs and outputs of files the current batch converted. */
  isServable(path: string): boolean {
    return this.servable.has(resolve(path));
  }

  /** Cancel a running batch (no partial files) and stop the engine. */
  async dispose(): Promise<void> {
    const b = this.snapshot.batch;
    if (b && b.state !== 'done' && this.snapshot.engine.alive) {
      const done = this.waitFor((e) => e.type === 'done', 15_000).catch(() => undefined);
      this.engine.send({ type: 'cancel' });
      await done;
    }
    if (this.benchRunning()) {
      const stopped = this.waitFor((e) => e.type === 'bench-error' || e.type === 'bench-done', 15_000).catch(() => undefined);
      this.engine.send({ type: 'cancel-bench' });
      await stopped;
    }
    this.engine.kill();
  }

  private get maxWorkers(): number {
    return 2 * this.snapshot.cores;
  }

  private start(): Engine {
    const engine = forkEngine(this.maxWorkers);
    this.snapshot.engine = { alive: true, message: null, canResume: false };
    engine.onEvent((e) => {
      applyEngineEvent(this.snapshot, e);
      if (e.type === 'batch-start') this.servable.clear();
      if (e.type === 'file-done') {
        this.servable.add(resolve(e.input));
        this.servable.add(resolve(e.output));
      }
      this.emit('engine', e);
    });
    void engine.exited.then(({ code }) => {
      if (engine !== this.engine) return;
      const b = this.snapshot.batch;
      const canResume = !!b && !b.finished;
      const message = `The engine process stopped unexpectedly (exit code ${code}).` + (canResume ? ' The batch can be resumed: finished files are kept.' : '');
      benchInterrupted(this.snapshot, message);
      this.snapshot.engine = { alive: false, message, canResume };
      this.emit('engineExit', { message, canResume });
    });
    return engine;
  }

  private waitFor(pred: (e: EngineEvent) => boolean, ms: number): Promise<EngineEvent> {
    return new Promise((res, rej) => {
      const timer = setTimeout(() => (off(), rej(new Error('the engine did not answer in time'))), ms);
      const off = this.engine.onEvent((e) => {
        if (!pred(e)) return;
        clearTimeout(timer);
        off();
        res(e);
      });
    });
  }

  private async begin(cmd: EngineCommand): Promise<{ ok: true }> {
    if (!this.snapshot.engine.alive) throw new Error('the engine is not running: restart it first');
    if (this.benchRunning()) throw new Error('A comparison is running: wait for it or cancel it first');
    const first = this.waitFor((e) => e.type === 'batch-start' || e.type === 'fatal', 60_000);
    this.engine.send(cmd);
    const e = await first;
    if (e.type === 'fatal') throw new Error(e.message);
    return ok;
  }

  /** Send a bench command; resolves once the comparison started, throws if it was refused. */
  private async beginBench(cmd: Extract<EngineCommand, { type: 'bench' }>): Promise<{ ok: true }> {
    if (!this.snapshot.engine.alive) throw new Error('the engine is not running: restart it first');
    if (this.running()) throw new Error('A batch is running: wait for it or cancel it first (a comparison needs the machine to itself)');
    if (this.benchRunning()) throw new Error('A comparison is running already');
    const first = this.waitFor((e) => e.type === 'bench-start' || e.type === 'bench-error' || e.type === 'fatal', 60_000);
    this.engine.send(cmd);
    const e = await first;
    if (e.type === 'fatal' || e.type === 'bench-error') throw new Error(e.message);
    return ok;
  }

  private benchRunning(): boolean {
    return !!this.snapshot.bench?.running && this.snapshot.engine.alive;
  }

  private running(): boolean {
    const b = this.snapshot.batch;
    return !!b && b.state !== 'done' && this.snapshot.engine.alive;
  }

  private makeHandlers(): Handlers {
    return {
      addFolder: async ({ path }) => {
        const abs = resolve(path);
        const known = this.snapshot.folders.find((f) => f.path === abs);
        if (known) return known;
        const first = { path: abs, files: 0, images: 0, bytes: 0, done: false };
        this.snapshot.folders.push(first);
        const c = new AbortController();
        this.walks.set(abs, c);
        void countFolder(abs, (info) => {
          const i = this.snapshot.folders.findIndex((f) => f.path === abs);
          if (i < 0) return;
          this.snapshot.folders[i] = info;
          this.emit('folder', info);
        }, c.signal);
        return first;
      },
      removeFolder: async ({ path }) => {
        const abs = resolve(path);
        this.walks.get(abs)?.abort();
        this.snapshot.folders = this.snapshot.folders.filter((f) => f.path !== abs);
        return ok;
      },
      pickFolder: async ({ purpose }) => {
        const win = this.window();
        const opts = { title: purpose === 'input' ? 'Add a folder of images' : 'Choose the output folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
        const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
        return { supported: true, path: r.canceled ? null : (r.filePaths[0] ?? null) };
      },
      listDir: async ({ path }) => {
        const dir = resolve(path ?? homedir());
        const entries = await fs.readdir(dir, { withFileTypes: true });
        const dirs = entries.filter((d) => d.isDirectory() && !d.name.startsWith('.')).map((d) => ({ name: d.name, path: join(dir, d.name) }));
        return { path: dir, parent: dirname(dir) === dir ? null : dirname(dir), dirs };
      },
      start: async ({ spec }) => this.begin({ type: 'start', spec }),
      resume: async ({ output, workers }) => this.begin({ type: 'resume', output, workers }),
      setWorkers: async ({ workers }) => {
        if (workers > this.maxWorkers) throw new Error(`at most ${this.maxWorkers} workers`);
        if (this.running()) this.engine.send({ type: 'set-workers', workers });
        return ok;
      },
      pause: async () => (this.running() && this.engine.send({ type: 'pause' }), ok),
      continue: async () => (this.running() && this.engine.send({ type: 'continue' }), ok),
      cancel: async () => (this.running() && this.engine.send({ type: 'cancel' }), ok),
      snapshot: async () => this.snapshot,
      showInFolder: async ({ path }) => {
        if (!this.isServable(path)) return { supported: false };
        shell.showItemInFolder(resolve(path));
        return { supported: true };
      },
      restartEngine: async () => {
        if (!this.snapshot.engine.alive) this.engine = this.start();
        return ok;
      },
      startBench: async ({ options }) => this.beginBench({ type: 'bench', options }),
      cancelBench: async () => (this.benchRunning() && this.engine.send({ type: 'cancel-bench' }), ok),
    };
  }
}
