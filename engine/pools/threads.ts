/**
 * `threads` model: a piscina pool of worker_threads whose size can change while tasks run. piscina 5 pools cannot be resized in
 * place, so a resize starts a new pool of the new size for new tasks and lets the old one
 * finish what it runs, then destroys it: no task is lost or run twice.
 *
 * The caller keeps at most `size` tasks in flight (see run.ts), so each pool's queue is
 * empty and every task starts at once on a warm worker.
 */
import { Piscina } from 'piscina';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../entry.js';
import type { TaskPool } from './types.js';

interface Generation {
  pool: Piscina<ConvertTask, ConvertResult>;
  running: number;
  retired: boolean;
}

export class ThreadPool implements TaskPool {
  private current: Generation;
  private readonly generations = new Set<Generation>();

  /**
   * @param size worker threads (min = max, kept warm)
   * @example
   * const pool = new ThreadPool(2); await pool.run(task); pool.resize(4); await pool.close();
   */
  constructor(size: number) {
    this.current = this.spawn(size);
  }

  get size(): number {
    return this.current.pool.options.maxThreads;
  }

  /** Number of tasks running in all generations (old ones included). */
  get running(): number {
    let n = 0;
    for (const g of this.generations) n += g.running;
    return n;
  }

  /** Run one task; `signal` aborts it (a running task's worker is terminated and replaced). */
  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    const g = this.current;
    g.running++;
    try {
      return await g.pool.run(task, { signal });
    } finally {
      g.running--;
      if (g.retired && g.running === 0) this.drop(g);
    }
  }

  /** New tasks go to a pool of `size` workers; the old pool's running tasks finish. */
  resize(size: number): void {
    if (size === this.size) return;
    const old = this.current;
    this.current = this.spawn(size);
    old.retired = true;
    if (old.running === 0) this.drop(old);
  }

  async close(): Promise<void> {
    await Promise.all([...this.generations].map((g) => g.pool.destroy()));
    this.generations.clear();
  }

  private spawn(size: number): Generation {
    const entry = resolveEntry(import.meta.url, '../../workers/convert.js');
    const pool = new Piscina<ConvertTask, ConvertResult>({
      filename: entry.file,
      execArgv: entry.execArgv,
      minThreads: size,
      maxThreads: size,
      idleTimeout: 60 * 60 * 1000,
      concurrentTasksPerWorker: 1,
    });
    const g: Generation = { pool, running: 0, retired: false };
    this.generations.add(g);
    return g;
  }

  private drop(g: Generation): void {
    this.generations.delete(g);
    void g.pool.destroy();
  }
}
