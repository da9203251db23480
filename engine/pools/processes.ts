/**
 * `processes` model: N child processes, each converting one file at a time. A native crash
 * ends one process and fails one file; the pool starts a replacement.
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../entry.js';
import { abortError, type TaskPool } from './types.js';

interface Child {
  proc: ChildProcess;
  busy: boolean;
}

export class ProcessPool implements TaskPool {
  private readonly idle: Child[] = [];
  private busy = 0;
  private target: number;
  private readonly entry = resolveEntry(import.meta.url, '../../workers/process.js');

  /**
   * @param size child processes (started now, kept warm)
   * @param execArgv V8 flags for each child
   * @example
   * const pool = new ProcessPool(2); await pool.run(task); await pool.close();
   */
  constructor(
    size: number,
    private readonly execArgv: string[] = [],
  ) {
    this.target = size;
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  get size(): number {
    return this.target;
  }
  get running(): number {
    return this.busy;
  }

  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    if (signal?.aborted) throw abortError();
    const child = this.idle.pop() ?? this.spawn();
    child.busy = true;
    this.busy++;
    try {
      return await new Promise<ConvertResult>((resolve, reject) => {
        const onMessage = (r: ConvertResult) => done(() => resolve(r));
        const onExit = (code: number | null, sig: string | null) =>
          done(() => reject(new Error(`worker process ended (${sig ?? `exit code ${code}`}) while converting`)), true);
        const onAbort = () => done(() => reject(abortError()), true);
        const done = (settle: () => void, dead = false) => {
          child.proc.off('message', onMessage).off('exit', onExit);
          signal?.removeEventListener('abort', onAbort);
          if (dead) child.proc.kill('SIGKILL');
          settle();
        };
        child.proc.once('message', onMessage).once('exit', onExit);
        signal?.addEventListener('abort', onAbort, { once: true });
        child.proc.send(task);
      });
    } finally {
      child.busy = false;
      this.busy--;
      if (child.proc.exitCode === null && child.proc.signalCode === null && !child.proc.killed) this.release(child);
    }
  }

  resize(size: number): void {
    this.target = size;
    while (this.idle.length + this.busy > size && this.idle.length) this.idle.pop()!.proc.kill();
    while (this.idle.length + this.busy < size) this.idle.push(this.spawn());
  }

  async close(): Promise<void> {
    const all = this.idle.splice(0);
    await Promise.all(all.map((c) => new Promise<void>((r) => (c.proc.exitCode !== null ? r() : (c.proc.once('exit', () => r()), c.proc.kill())))));
  }

  private release(child: Child): void {
    if (this.idle.length + this.busy >= this.target) child.proc.kill();
    else this.idle.push(child);
  }

  private spawn(): Child {
    const proc = fork(this.entry.file, [], {
      execArgv: [...this.execArgv, ...this.entry.execArgv],
      env: { ...process.env, UV_THREADPOOL_SIZE: '2' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return { proc, busy: false };
  }
}
