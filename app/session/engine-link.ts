/**
 * One engine process as the UI session talks to it: commands carry correlation ids and the
 * engine's `reply` events are matched to them by id, so concurrent requests (two tabs) each get
 * their own answer; when the process exits, every pending request is rejected with a clear error.
 */
import type { EngineCommand, EngineEvent, EngineReply, FatalCode } from '../../common/events.js';
import type { FieldProblem } from '../../common/validate.js';
import type { EngineProcess } from '../engine-client.js';

/** The engine refused a command: its message, and per-field problems for the UI. */
export class EngineRefusal extends Error {
  constructor(
    message: string,
    readonly problems?: FieldProblem[],
    /** Set when a front-end can act on it (e.g. `unfinished-batch`: offer resume or start over). */
    readonly code?: FatalCode,
  ) {
    super(message);
    this.name = 'EngineRefusal';
  }
}

/** Distributive Omit, so each command keeps its own fields. */
type CommandBody = EngineCommand extends infer C ? (C extends unknown ? Omit<C, 'id'> : never) : never;

interface Pending {
  resolve: (result: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

let nextLink = 0;

export class EngineLink {
  private readonly pending = new Map<string, Pending>();
  private readonly prefix = `s${process.pid}.${nextLink++}.`;
  private seq = 0;
  private exitReason: string | null = null;
  private readonly stop: () => void;
  /** Resolves with a sentence saying how the process ended (exit code or signal). */
  readonly ended: Promise<string>;

  /**
   * @param engine the process (app/engine-client.ts spawnEngine, or Electron's utilityProcess)
   * @param onEvent every event but replies, in order
   * @example
   * const link = new EngineLink(spawnEngine(), (e) => console.log(e.type));
   * await link.request({ type: 'start', spec }); // rejects with EngineRefusal if refused
   */
  constructor(
    readonly engine: EngineProcess,
    onEvent: (e: EngineEvent) => void,
  ) {
    this.stop = engine.onEvent((e) => (e.type === 'reply' ? this.settle(e) : onEvent(e)));
    this.ended = engine.exited.then(({ code, signal }) => {
      this.exitReason = signal ? `killed by ${signal}` : `exit code ${code}`;
      for (const [id, p] of this.pending) this.fail(id, p, new Error(`The engine process stopped (${this.exitReason}) before answering: restart it and try again`));
      return this.exitReason;
    });
  }

  get alive(): boolean {
    return this.exitReason === null;
  }

  /** Requests still waiting for their reply. */
  get waiting(): number {
    return this.pending.size;
  }

  /**
   * Send `cmd` with a fresh id; resolves on the engine's ok (with what it computed, if
   * anything: a preview, an estimate), rejects on its refusal, on exit, or after `timeoutMs`
   * (default 60 s) without an answer.
   */
  request(cmd: CommandBody, timeoutMs = 60_000): Promise<unknown> {
    if (!this.alive) return Promise.reject(new Error(`The engine process is not running (${this.exitReason}): restart it first`));
    const id = this.prefix + this.seq++;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(id, this.pending.get(id)!, new Error(`The engine did not answer "${cmd.type}" within ${timeoutMs / 1000} s`)), timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.engine.send({ ...cmd, id } as EngineCommand);
    });
  }

  /** Resolves with the next event matching `pred`; rejects after `ms` without one. */
  next(pred: (e: EngineEvent) => boolean, ms: number): Promise<EngineEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error('the engine did not answer in time'));
      }, ms);
      const off = this.engine.onEvent((e) => {
        if (!pred(e)) return;
        clearTimeout(timer);
        off();
        resolve(e);
      });
    });
  }

  /** Stop listening (the process is left alone). */
  detach(): void {
    this.stop();
  }

  private settle(r: EngineReply): void {
    const p = this.pending.get(r.id);
    if (!p) return; // another link's, or answered after its timeout
    this.pending.delete(r.id);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.result);
    else p.reject(new EngineRefusal(r.message, r.problems, r.code));
  }

  private fail(id: string, p: Pending, err: Error): void {
    this.pending.delete(id);
    clearTimeout(p.timer);
    p.reject(err);
  }
}
