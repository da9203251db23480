/**
 * `async` model: no workers at all. The engine's own thread calls sharp, whose work runs on
 * the libuv thread pool; the batch keeps at most `size` files in flight (a semaphore).
 */
import { rm } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../entry.js';
import { abortError, type TaskPool } from './types.js';

type Convert = (task: ConvertTask) => Promise<ConvertResult>;

export class InlinePool implements TaskPool {
  private readonly inFlight = new Set<Promise<unknown>>();
  private convert: Promise<Convert> | undefined;

  /** @example const pool = new InlinePool(2); await pool.run(task); */
  constructor(private target: number) {}

  get size(): number {
    return this.target;
  }
  get running(): number {
    return this.inFlight.size;
  }
  /** No thread or process of its own: sharp runs on the engine's libuv pool. */
  get alive(): number {
    return 0;
  }

  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    if (signal?.aborted) throw abortError();
    // The worker module is loaded by path, as piscina would: the engine does not import it.
    this.convert ??= import(pathToFileURL(resolveEntry(import.meta.url, '../../workers/convert.js').file).href).then((m: { default: Convert }) => m.default);
    const work = (await this.convert)(task);
    this.inFlight.add(work);
    void work.finally(() => this.inFlight.delete(work));
    if (!signal) return work;
    // A sharp call cannot be interrupted: on abort, answer at once and delete its output when it lands.
    return new Promise<ConvertResult>((resolve, reject) => {
      const onAbort = () => {
        reject(abortError());
        void work.then(() => rm(task.tmp, { force: true }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  resize(size: number): void {
    this.target = size;
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }
}
