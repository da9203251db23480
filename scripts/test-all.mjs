#!/usr/bin/env node
// Runs every test suite (vitest, then Playwright) and ends with one line
// "N passed, N failed, N skipped" summed over them. Exit code 1 if anything failed.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';

const dir = '.tmp/test-results';
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const run = (cmd, args, env = {}) => spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSuites = 0;

// vitest
const vStatus = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${dir}/vitest.json`]);
try {
  const v = JSON.parse(readFileSync(`${dir}/vitest.json`, 'utf8'));
  totals.passed += v.numPassedTests;
  // tests that passed only on their retry (vitest.config.ts retry: 1): name them, every run
  // (a passed test that carries failure messages failed its first run)
  const flaky = v.testResults.flatMap((f) => f.assertionResults.filter((t) => t.status === 'passed' && t.failureMessages.length > 0).map((t) => ({ name: `${f.name.replace(process.cwd() + '/', '')} > ${t.fullName}`, first: t.failureMessages[0].split('\n')[0] })));
  for (const t of flaky) console.log(`flaky (passed on retry): ${t.name}\n  first run: ${t.first}`);
  totals.failed += v.numFailedTests;
  totals.skipped += v.numPendingTests + v.numTodoTests;
  if (vStatus !== 0 && v.numFailedTests === 0) failedSuites++; // e.g. a file that failed to load
} catch {
  failedSuites++;
}

// Playwright (browser mode in Debian Chromium; Electron tests skip themselves without a binary)
const pStatus = run('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', '--reporter=list,json'], {
  PLAYWRIGHT_JSON_OUTPUT_NAME: resolve(dir, 'playwright.json'), // Playwright resolves it against the config's folder
});
try {
  const p = JSON.parse(readFileSync(`${dir}/playwright.json`, 'utf8'));
  totals.passed += p.stats.expected + p.stats.flaky;
  if (p.stats.flaky) console.log(`flaky (passed on retry): ${p.stats.flaky} Playwright test(s); see the list above`);
  totals.failed += p.stats.unexpected;
  totals.skipped += p.stats.skipped;
  if (pStatus !== 0 && p.stats.unexpected === 0) failedSuites++;
} catch {
  failedSuites++;
}

totals.failed += failedSuites;
const line = `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`;
writeFileSync(`${dir}/summary.txt`, line + '\n');
console.log(`\n${line}`);
process.exit(totals.failed > 0 ? 1 : 0);
