/**
 * `processes` model: one child process per worker, each converting one file at a time. A native
 * crash ends one process and fails one file. Every child is watched from birth, idle or busy:
 * one that dies is dropped at once and replaced (keeping the pool at its size), so a task is
 * never sent to a dead child, and a child's 'error' never reaches the engine as an uncaught one.
 * Resizes act in place: growing takes the children a shrink left idle, then starts new ones;
 * shrinking leaves the children it no longer needs idle and ends each once it had no task for
 * {@link IDLE_MS} (a size that comes back finds them warm: no respawn churn).
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../entry.js';
import { abortError, IDLE_MS, type TaskPool } from './types.js';

interface Child {
  proc: ChildProcess;
  busy: boolean;
  born: number;
  /** Set while the child is idle and the pool is above its size: ends it when it fires. */
  retire?: NodeJS.Timeout;
}

/** A child that dies younger than this while idle is not replaced at once (no respawn loop): the next task starts one. */
const MIN_LIFE_MS = 1000;

/** The task never reached the child (it died first): safe to give it to another one. */
class NotDelivered extends Error {}

export class ProcessPool implements TaskPool {
  /** Every live child, idle or busy. */
  private readonly children = new Set<Child>();
  private busy = 0;
  private target: number;
  private closed = false;
  private readonly entry = resolveEntry(import.meta.url, '../../workers/process.js');

  /**
   * @param size child processes (started now, kept warm)
   * @param execArgv V8 flags for each child
   * @example
   * const pool = new ProcessPool(2); await pool.run(task); pool.resize(3); await pool.close();
   */
  constructor(
    size: number,
    private readonly execArgv: string[] = [],
  ) {
    this.target = size;
    for (let i = 0; i < size; i++) this.spawn();
  }

  get size(): number {
    return this.target;
  }
  get running(): number {
    return this.busy;
  }
  get alive(): number {
    return this.children.size;
  }
  /** Process ids of the live children (diagnostics and tests). */
  get pids(): number[] {
    return [...this.children].map((c) => c.proc.pid!).filter(Boolean);
  }

  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw abortError();
      const child = this.takeIdle() ?? this.spawn();
      clearTimeout(child.retire);
      child.busy = true;
      this.busy++;
      try {
        return await this.exec(child, task, signal);
      } catch (err) {
        if (!(err instanceof NotDelivered) || attempt > 0) throw err;
      } finally {
        child.busy = false;
        this.busy--;
        this.release(child);
      }
    }
  }

  resize(size: number): void {
    this.target = size;
    for (const c of this.children) if (!c.busy) this.release(c);
    while (this.children.size < size) this.spawn();
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.children];
    this.children.clear();
    await Promise.all(all.map((c) => new Promise<void>((r) => (exited(c.proc) ? r() : (c.proc.once('exit', () => r()), c.proc.kill('SIGKILL'))))));
  }

  private exec(child: Child, task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    return new Promise<ConvertResult>((resolve, reject) => {
      const onMessage = (r: ConvertResult) => done(() => resolve(r));
      const onExit = (code: number | null, sig: string | null) => done(() => reject(new Error(`worker process ended (${sig ?? `exit code ${code}`}) while converting`)));
      const onAbort = () => done(() => reject(abortError()), true);
      const done = (settle: () => void, kill = false) => {
        child.proc.off('message', onMessage).off('exit', onExit);
        signal?.removeEventListener('abort', onAbort);
        if (kill) this.end(child);
        settle();
      };
      if (exited(child.proc) || !child.proc.connected) return reject(new NotDelivered());
      child.proc.once('message', onMessage).once('exit', onExit);
      signal?.addEventListener('abort', onAbort, { once: true });
      child.proc.send(task, (err) => {
        if (err) done(() => reject(new NotDelivered(err.message)), true);
      });
    });
  }

  private takeIdle(): Child | undefined {
    for (const c of this.children) if (!c.busy && !exited(c.proc) && c.proc.connected) return c;
    return undefined;
  }

  /** An idle child: kept when the pool still wants it, else ended after {@link IDLE_MS} without a task. */
  private release(child: Child): void {
    if (!this.children.has(child)) return;
    if (exited(child.proc)) return this.end(child);
    clearTimeout(child.retire);
    if (this.children.size <= this.target) return;
    child.retire = setTimeout(() => {
      if (!child.busy && this.children.size > this.target) this.end(child);
    }, IDLE_MS).unref();
  }

  /** Stop a child and forget it (its exit then starts no replacement). */
  private end(child: Child): void {
    clearTimeout(child.retire);
    this.children.delete(child);
    if (!exited(child.proc)) child.proc.kill('SIGKILL');
  }

  private spawn(): Child {
    const proc = fork(this.entry.file, [], {
      execArgv: [...this.execArgv, ...this.entry.execArgv],
      env: { ...process.env, UV_THREADPOOL_SIZE: '2' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const child: Child = { proc, busy: false, born: performance.now() };
    this.children.add(child);
    // 'error' (a send to a child that just died, a failed kill) is answered through the send
    // callback and 'exit': listening here keeps it from being an uncaught exception.
    proc.on('error', () => undefined);
    proc.once('exit', () => this.onDeath(child));
    return child;
  }

  /** A child ended on its own (crash, OOM kill, signal from outside): replace it. */
  private onDeath(child: Child): void {
    if (!this.children.delete(child) || this.closed) return;
    const young = performance.now() - child.born < MIN_LIFE_MS;
    if (this.children.size < this.target && (child.busy || !young)) this.spawn();
  }
}

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}
