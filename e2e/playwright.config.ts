/**
 * Playwright e2e: browser mode in Debian's Chromium (/usr/bin/chromium), plus the Electron
 * flow (skipped, with its reason, where no Electron binary is installed).
 * Run: npx playwright test -c e2e/playwright.config.ts
 */
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.ts$/,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  // Every test runs batches on all cores: one at a time.
  workers: 1,
  fullyParallel: false,
  // one more run for a test that failed (timing on a fast or loaded machine); scripts/test-all.mjs prints the count of flaky ones
  retries: 1,
  outputDir: '../test-results/e2e',
  use: {
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1400, height: 1000 },
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.PHOTOPOOL_CHROMIUM ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    },
  },
});
