/**
 * One constructor for the three concurrency models.
 */
import { ENGINE_EXEC_ARGV } from '../../common/engine-env.js';
import { InlinePool } from './inline.js';
import { ProcessPool } from './processes.js';
import { ThreadPool } from './threads.js';
import type { Model, TaskPool } from './types.js';
import { parkPool, takeWarmPool } from './warm.js';

export type { Model, TaskPool } from './types.js';

/**
 * @example
 * const pool = createPool('processes', 2);
 */
export function createPool(model: Model, size: number): TaskPool {
  const warm = takeWarmPool(model === 'threads' ? size : 0);
  switch (model) {
    case 'threads':
      return warm ?? new ThreadPool(size);
    case 'processes':
      return new ProcessPool(size, ENGINE_EXEC_ARGV);
    case 'async':
      return new InlinePool(size);
  }
}

/**
 * Give back a batch's pool when the batch is over: a thread pool is kept for the next batch
 * ({@link parkPool}), any other closes now.
 *
 * @example
 * await releasePool(pool); // instead of pool.close()
 */
export function releasePool(pool: TaskPool): Promise<void> {
  if (!(pool instanceof ThreadPool)) return pool.close();
  parkPool(pool);
  return Promise.resolve();
}
