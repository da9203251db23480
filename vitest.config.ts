import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests start engine processes with worker pools: run files one at a time on 2 cores.
    fileParallelism: false,
    // A failed test runs once more. Not a fix: a handful of process-level tests (see the closing
    // note of session 3: an intermittent exit 1 of a CLI run, a broker restart, a pool shrink)
    // failed once in a full run and passed alone; scripts/test-all.mjs lists every test that
    // needed its second run, so a flake stays visible instead of failing the whole CI run.
    retry: 1,
  },
});
