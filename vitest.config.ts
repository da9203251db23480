import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests start engine processes with worker pools: run files one at a time on 2 cores.
    fileParallelism: false,
  },
});
