/**
 * The app side of the UI contract, shared by browser mode (WebSocket server) and Electron main:
 * validates every request against common/contract.ts, drives one engine process, keeps the
 * current state (for reconnecting pages) and knows which files the UI may look at.
 */
import { availableParallelism, homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promises as fs } from 'node:fs';
import {
  Requests,
  type EventName,
  type EventOf,
  type Handlers,
  type ReplyOf,
  type RequestName,
  type Snapshot,
} from '../../common/contract.js';
import { applyEngineEvent, emptySnapshot } from '../../common/snapshot.js';
import type { EngineEvent } from '../../common/events.js';
import { parseOrThrow } from '../../common/validate.js';
import { desktopHandlers, type DesktopHooks } from './desktop-handlers.js';
import { EngineLink } from './engine-link.js';
import { walkFolder } from './folders.js';
import { defaultOutputFolder } from './outputs.js';
import { previewHandlers } from './preview.js';
import { runBench } from '../bench/run.js';
import type { EngineProcess } from '../engine-client.js';
import type { BenchOptions } from '../../common/bench.js';
import type { JobSpecInput } from '../../common/job.js';
import { clusterOptions } from '../nats/cluster-setting.js';
import { besideStateDir } from '../../engine/beside-input.js';

/** What the session needs from an engine process (app/engine-client.ts or an Electron utilityProcess). */
export type EngineLike = EngineProcess;

/** Platform hooks (Electron provides native dialogs; browser mode has none). */
export interface SessionOptions extends Omit<DesktopHooks, 'snapshot'> {
  spawn: (maxWorkers: number) => EngineLike;
  pickFolder?: (purpose: 'input' | 'output') => Promise<string | null>;
  showInFolder?: (path: string) => void;
}

type Listener = <N extends EventName>(name: N, payload: EventOf<N>) => void;
const ok = { ok: true } as const;
const MAX_SERVABLE = 200_000;

export class Session {
  readonly snapshot: Snapshot;
  private link: EngineLink;
  /** A start or resume waiting for the engine's answer (a second one is refused meanwhile). */
  private starting = false;
  private readonly listeners = new Set<Listener>();
  private readonly walks = new Map<string, AbortController>();
  private readonly servable = new Set<string>();
  /** The comparison running now: each of its runs in a fresh engine from `options.spawn`. */
  private bench: { abort: AbortController; finished: Promise<void> } | null = null;
  private disposed = false;
  readonly handlers: Handlers;

  /**
   * @example
   * const s = new Session({ spawn: (n) => spawnEngine({ maxWorkers: n }) });
   * s.subscribe((name, payload) => socket.send(JSON.stringify({ kind: 'event', name, payload })));
   * await s.request('addFolder', { path: '/photos' });
   */
  constructor(private readonly options: SessionOptions) {
    this.snapshot = emptySnapshot(availableParallelism());
    this.link = this.startEngine();
    this.handlers = { ...this.makeHandlers(), ...desktopHandlers({ ...options, snapshot: this.snapshot }) };
  }

  /** Largest pool size the UI offers (2 x cores). */
  get maxWorkers(): number {
    return 2 * this.snapshot.cores;
  }

  /** Validate `payload` for request `name` and run its handler; throws InvalidOptionsError on a bad payload. */
  async request<N extends RequestName>(name: N, payload: unknown): Promise<ReplyOf<N>> {
    if (!Object.hasOwn(Requests, name)) throw new Error(`unknown request ${JSON.stringify(name)}`);
    const parsed = parseOrThrow(Requests[name].request, payload);
    const handler = this.handlers[name] as (req: unknown) => Promise<ReplyOf<N>>;
    return handler(parsed);
  }

  /** Listen to every UI event; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** True when `path` is an input or output of a file the current batch converted. */
  isServable(path: string): boolean {
    return this.servable.has(resolve(path));
  }

  /** Stop the batch (cleanly: no partial files) and the engine. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const c of this.walks.values()) c.abort();
    const b = this.snapshot.batch;
    if (b && b.state !== 'done' && this.link.alive) {
      const finished = this.link.next((e) => e.type === 'done', 15_000).catch(() => undefined);
      await this.link.request({ type: 'cancel' }, 15_000).catch(() => undefined);
      await finished;
    }
    if (this.bench) {
      // let the bench stop its engine and remove its scratch folder
      this.bench.abort.abort();
      await this.bench.finished;
    }
    const { engine } = this.link;
    this.link.detach();
    engine.close();
    const timer = setTimeout(() => engine.kill(), 5000);
    await engine.exited;
    clearTimeout(timer);
  }

  private emit<N extends EventName>(name: N, payload: EventOf<N>): void {
    for (const fn of this.listeners) fn(name, payload);
  }

  private startEngine(): EngineLink {
    const link = new EngineLink(this.options.spawn(this.maxWorkers), (e) => this.onEngineEvent(e));
    this.snapshot.engine = { alive: true, message: null, canResume: false };
    void link.ended.then((reason) => {
      if (this.disposed || link !== this.link) return;
      const b = this.snapshot.batch;
      const canResume = !!b && !b.finished;
      const message = `The engine process stopped unexpectedly (${reason}).` + (canResume ? ' The batch can be resumed: finished files are kept.' : '');
      if (b && !b.finished) {
        // The batch is over: nothing runs, a new batch or a comparison may start.
        b.lanes = b.lanes.map(() => null);
        b.state = 'done';
        b.interrupted = message;
      }
      this.snapshot.engine = { alive: false, message, canResume };
      this.emit('engineExit', { message, canResume });
    });
    return link;
  }

  /** A live engine: the current one, or a new one if it died. */
  private liveLink(): EngineLink {
    if (!this.link.alive) {
      this.link.detach();
      this.link = this.startEngine();
    }
    return this.link;
  }

  private onEngineEvent(e: EngineEvent): void {
    applyEngineEvent(this.snapshot, e);
    if (e.type === 'batch-start') this.servable.clear();
    if (e.type === 'file-done' && this.servable.size < MAX_SERVABLE) {
      this.servable.add(resolve(e.input));
      this.servable.add(resolve(e.output));
    }
    this.emit('engine', e);
  }

  /**
   * Send start/resume (restarting a dead engine first) and wait for the engine's answer to this
   * very command (matched by id); a second start while one is pending or running is refused.
   */
  private async begin(cmd: { type: 'start'; spec: JobSpecInput } | { type: 'resume'; output: string; workers?: number }): Promise<{ ok: true }> {
    if (this.starting) throw new Error('A batch is starting already (from this or another window): wait for it');
    if (this.batchRunning()) throw new Error('A batch is running already: wait for it to finish or cancel it first');
    if (this.benchRunning()) throw new Error('A comparison is running: wait for it or cancel it first');
    this.starting = true;
    try {
      // the Cluster setting: the batch runs through the NATS broker too (credentials from the environment only)
      const nats = clusterOptions(this.options.settings?.get().cluster);
      await this.liveLink().request(nats ? { ...cmd, nats } : cmd);
      return ok;
    } finally {
      this.starting = false;
    }
  }

  /** Start a comparison (each run in a fresh engine, never the session's own); bench-* events follow. */
  private beginBench(options: BenchOptions): { ok: true } {
    if (this.batchRunning()) throw new Error('A batch is running: wait for it or cancel it first (a comparison needs the machine to itself)');
    if (this.bench) throw new Error('A comparison is running already');
    const abort = new AbortController();
    const nats = options.cluster ? clusterOptions(this.options.settings?.get().cluster) : undefined;
    const finished = runBench(options, (n) => this.options.spawn(n), (e) => this.onEngineEvent(e), abort.signal, nats)
      .then(
        () => undefined,
        (err: Error) => this.onEngineEvent({ type: 'bench-error', message: err.message }),
      )
      .finally(() => (this.bench = null));
    this.bench = { abort, finished };
    return ok;
  }

  private benchRunning(): boolean {
    return this.bench !== null;
  }

  /** What takes the machine now (a batch converting, not paused; a comparison), or null. */
  private converting(): string | null {
    if (this.benchRunning()) return 'a comparison';
    if (this.starting) return 'a batch';
    return this.batchRunning() && this.snapshot.batch!.state !== 'paused' ? 'a batch' : null;
  }

  private batchRunning(): boolean {
    const b = this.snapshot.batch;
    return !!b && b.state !== 'done' && this.link.alive;
  }

  private makeHandlers(): Omit<Handlers, keyof ReturnType<typeof desktopHandlers>> {
    return {
      addFolder: async ({ path, label }) => {
        const abs = resolve(path);
        const existing = this.snapshot.folders.find((f) => f.path === abs);
        if (existing) return existing;
        const controller = new AbortController();
        this.walks.set(abs, controller);
        const first = { path: abs, files: 0, images: 0, bytes: 0, done: false, ...(label ? { label } : {}) };
        this.snapshot.folders.push(first);
        const update = (info: typeof first) => {
          const i = this.snapshot.folders.findIndex((f) => f.path === abs);
          if (i < 0) return;
          this.snapshot.folders[i] = label ? { ...info, label } : info;
          this.emit('folder', this.snapshot.folders[i]!);
        };
        void walkFolder(abs, update, controller.signal, true).finally(() => this.walks.delete(abs));
        return first;
      },
      removeFolder: async ({ path }) => {
        const abs = resolve(path);
        this.walks.get(abs)?.abort();
        this.snapshot.folders = this.snapshot.folders.filter((f) => f.path !== abs);
        return ok;
      },
      pickFolder: async ({ purpose }) => {
        if (!this.options.pickFolder) return { supported: false, path: null };
        return { supported: true, path: await this.options.pickFolder(purpose) };
      },
      listDir: async ({ path }) => {
        const dir = resolve(path ?? homedir());
        const entries = await fs.readdir(dir, { withFileTypes: true });
        const dirs = entries
          .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
          .map((d) => ({ name: d.name, path: join(dir, d.name) }))
          .sort((a, b) => a.name.localeCompare(b.name));
        return { path: dir, parent: dirname(dir) === dir ? null : dirname(dir), dirs };
      },
      start: async ({ spec }) => this.begin({ type: 'start', spec }),
      resume: async (r) => this.begin({ type: 'resume', output: 'output' in r ? r.output : besideStateDir(r.inputs), workers: r.workers }),
      setWorkers: async ({ workers }) => {
        if (workers > this.maxWorkers) throw new Error(`at most ${this.maxWorkers} workers (2 x ${this.snapshot.cores} cores)`);
        if (this.batchRunning()) await this.link.request({ type: 'set-workers', workers });
        return ok;
      },
      pause: async () => {
        if (this.batchRunning()) await this.link.request({ type: 'pause' });
        return ok;
      },
      continue: async () => {
        if (this.batchRunning()) await this.link.request({ type: 'continue' });
        return ok;
      },
      cancel: async () => {
        if (this.batchRunning()) await this.link.request({ type: 'cancel' });
        return ok;
      },
      snapshot: async () => this.snapshot,
      showInFolder: async ({ path }) => {
        if (!this.options.showInFolder || !this.isServable(path)) return { supported: false };
        this.options.showInFolder(resolve(path));
        return { supported: true };
      },
      restartEngine: async () => {
        this.liveLink();
        return ok;
      },
      startBench: async ({ options }) => this.beginBench(options),
      cancelBench: async () => {
        this.bench?.abort.abort();
        return ok;
      },
      suggestOutput: async () => ({ path: defaultOutputFolder() }),
      ...previewHandlers({ folders: () => this.snapshot.folders, isServable: (p) => this.isServable(p), engine: (cmd) => this.link.request(cmd, 120_000), busy: () => this.converting() }),
    };
  }
}
