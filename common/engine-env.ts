/**
 * How an engine process must be started, wherever it is started from (CLI, browser mode,
 * Electron's utilityProcess). Pure: the caller supplies the core count.
 */

/**
 * Environment variables for an engine process hosting pools of at most `maxWorkers`:
 * - UV_THREADPOOL_SIZE: all its worker threads share ONE libuv pool (where sharp runs), so it
 *   must be at least that large;
 * - MALLOC_ARENA_MAX=2: fewer glibc per-thread arenas (about a third less memory);
 * - MALLOC_MMAP_THRESHOLD_=128 KiB: decoded images go to mmap and back to the system when freed
 *   instead of fragmenting the heap. Measured on the 200-file corpus at 2 workers: engine peak
 *   RSS 304-358 MiB without it, 270-272 MiB with it, for about 3% more time.
 *
 * @example
 * engineEnvVars(4, 2) // { UV_THREADPOOL_SIZE: '4', MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' }
 */
export function engineEnvVars(maxWorkers: number, cores: number): { UV_THREADPOOL_SIZE: string; MALLOC_ARENA_MAX: string; MALLOC_MMAP_THRESHOLD_: string } {
  return { UV_THREADPOOL_SIZE: String(Math.max(4, maxWorkers, 2 * cores)), MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072' };
}

/**
 * V8 flags for engine processes (process-wide, so their worker threads too). A 2 MB young
 * generation keeps the heaps from growing with the number of files: measured with
 * scripts/mem-check.mjs, peak RSS 5000 vs 200 files +58 MiB by default, +35 MiB with it.
 */
export const ENGINE_EXEC_ARGV = ['--max-semi-space-size=2'];
