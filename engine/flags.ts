/**
 * V8 flags for engine processes (process-wide, so their worker threads too). A 2 MB young
 * generation keeps the heaps from growing with the number of files: measured with
 * scripts/mem-check.mjs, peak RSS 5000 vs 200 files +58 MiB by default, +35 MiB with it.
 */
export const ENGINE_EXEC_ARGV = ['--max-semi-space-size=2'];
