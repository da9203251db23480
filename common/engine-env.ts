/**
 * How an engine process must be started, wherever it is started from (CLI, browser mode,
 * Electron's utilityProcess). Pure: the caller supplies the core count.
 */

/**
 * Environment variables for an engine process hosting pools of at most `maxWorkers`:
 * - UV_THREADPOOL_SIZE: all its worker threads share ONE libuv pool (where sharp runs), so it
 *   must be at least that large;
 * - MALLOC_ARENA_MAX=2: fewer glibc per-thread arenas (about a third less memory).
 * No other malloc tunable: setting MALLOC_MMAP_THRESHOLD_ (128 KiB) used to save memory, but
 * since workers reuse their large buffers it only cost time: on the 200-file corpus at 2
 * workers, 5.3-5.7 s and 238-267 MiB with it, 4.6-5.1 s and 272-290 MiB without.
 *
 * @example
 * engineEnvVars(4, 2) // { UV_THREADPOOL_SIZE: '4', MALLOC_ARENA_MAX: '2' }
 */
export function engineEnvVars(maxWorkers: number, cores: number): { UV_THREADPOOL_SIZE: string; MALLOC_ARENA_MAX: string } {
  return { UV_THREADPOOL_SIZE: String(Math.max(4, maxWorkers, 2 * cores)), MALLOC_ARENA_MAX: '2' };
}

/**
 * V8 flags for the worker processes of the `processes` model. A 2 MB young generation keeps
 * the heaps from growing with the number of files: measured with scripts/mem-check.mjs, peak
 * RSS 5000 vs 200 files +58 MiB by default, +35 MiB with it.
 */
export const ENGINE_EXEC_ARGV = ['--max-semi-space-size=2'];

/**
 * V8 flags for the engine process itself: none. Any V8 heap-size flag (`--max-semi-space-size`
 * at 2, 4 or 8 MB alike, `--max-old-space-size` too; `--stack-size` does not) made every thread
 * of the process load its code slower: CPU to load the engine bundle 77 -> 94 ms, each worker
 * thread's 62 -> 100 ms, all on the start-up's critical path (issue 17). The worker threads get
 * the same 2 MB semi-space as a per-thread limit instead ({@link WORKER_RESOURCE_LIMITS}), which
 * costs nothing at load; the engine's main thread keeps V8's default young generation (engine
 * peak RSS, 200 files at 2 workers, 7 runs each: median 256 MiB with the flag, 264 without).
 */
export const ENGINE_HOST_EXEC_ARGV: readonly string[] = [];

/** `resourceLimits` of the engine's worker threads: a 6 MB young generation (2 MB semi-spaces, as {@link ENGINE_EXEC_ARGV}). */
export const WORKER_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6 } as const;
