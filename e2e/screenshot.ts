/**
 * README screenshot: a batch in progress (headed Chromium, run under xvfb):
 *   xvfb-run -a npx tsx e2e/screenshot.ts [docs/screenshot.png]
 */
import { chromium } from 'playwright-core';
import { join } from 'node:path';
import { photoFarm, removeTempDirs, ROOT, startUi, tempDir } from './helpers.js';

const target = process.argv[2] ?? join(ROOT, 'docs/screenshot.png');
const ui = await startUi();
const browser = await chromium.launch({
  executablePath: process.env.PHOTOPOOL_CHROMIUM ?? '/usr/bin/chromium',
  headless: false,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1440, height: 1100 } });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(ui.url);
  const input = photoFarm(400);
  await page.getByLabel('Folder path').fill(input);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  await page.getByLabel('Workers', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Convert' }).click();
  await page.waitForTimeout(5000);
  await page.getByLabel('Workers', { exact: true }).fill('2');
  await page.waitForTimeout(6000);
  await page.getByLabel('Output to preview').selectOption({ index: 1 });
  await page.waitForTimeout(1500);
  await page.screenshot({ path: target, fullPage: true });
  process.stdout.write(`saved ${target}\n`);
} finally {
  await browser.close();
  await ui.stop();
  removeTempDirs();
}
