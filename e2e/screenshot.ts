/**
 * README screenshots at 1280x800, light and dark, on real photos (headed Chromium, run under xvfb):
 *   npm run screenshot            (xvfb-run -a npx tsx e2e/screenshot.ts [docs])
 * Writes docs/ui-{empty,running,failures,preview,compare}-{light,dark}.png. Each view is shot in
 * light, then the page is reloaded in dark (the state lives in the server, so it comes back).
 */
import { chromium, type Page } from 'playwright-core';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { corruptFolder, photoFarm, photoFiles, removeTempDirs, ROOT, startUi, tempDir } from './helpers.js';

const target = process.argv[2] ?? join(ROOT, 'docs');
const ui = await startUi({ HOME: tempDir('pp-shot-home-') });
const browser = await chromium.launch({
  executablePath: process.env.PHOTOPOOL_CHROMIUM ?? '/usr/bin/chromium',
  headless: false,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});

/** Shoot the page in light, then reload in dark and shoot again (after `prepare`, e.g. a scroll). */
async function shoot(page: Page, name: string, prepare: () => Promise<void> = async () => undefined): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    if (scheme === 'dark') await page.reload();
    await page.getByRole('heading', { name: 'PhotoPool' }).waitFor();
    await page.waitForTimeout(700);
    await prepare();
    await page.screenshot({ path: join(target, `ui-${name}-${scheme}.png`) });
    process.stdout.write(`saved ui-${name}-${scheme}.png\n`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.reload();
}

const field = (page: Page, label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);

try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(ui.url);
  await shoot(page, 'empty');

  // a long batch, running, with a pool-size change on the chart
  const big = photoFarm(400);
  await field(page, 'Folder path', big);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await field(page, 'Output folder', join(tempDir(), 'out-running'));
  await field(page, 'Workers', '1');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await page.waitForTimeout(4000);
  await field(page, 'Workers', '2');
  await page.waitForTimeout(4000);
  await shoot(page, 'running', () => page.locator('#live-h').scrollIntoViewIfNeeded());
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByTestId('summary').waitFor({ timeout: 30_000 });
  await page.getByRole('button', { name: `Remove ${big}` }).click();

  // a camera dump with broken files, notes and a 16-bit TIFF scan: finished with failures
  const { dir } = corruptFolder(16);
  writeFileSync(join(dir, 'shot-list.txt'), 'day 1\n');
  await sharp(photoFiles()[2]!).resize(2000).toColourspace('rgb16').tiff({ compression: 'lzw' }).toFile(join(dir, 'scan.tif'));
  await field(page, 'Folder path', dir);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await field(page, 'Output folder', join(tempDir(), 'out-camera'));
  await page.getByTestId('estimate').filter({ hasText: 'Estimated output' }).waitFor({ timeout: 60_000 });
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await page.getByTestId('summary').waitFor({ timeout: 60_000 });
  await shoot(page, 'failures', () => page.getByTestId('summary').evaluate((el) => el.scrollIntoView({ block: 'start' })));
  const tiff = async () => {
    await page.locator('[data-testid="thumb"][title="scan.jpg"]').click();
    await page.getByRole('img', { name: 'Before: scan.tif' }).waitFor();
    await page.getByLabel('Before/after split').fill('45');
    await page.locator('.preview').evaluate((el) => el.scrollIntoView({ block: 'end' }));
    await page.waitForTimeout(800);
  };
  await shoot(page, 'preview', tiff);

  // Compare: the recipe by model and worker count
  await page.getByRole('button', { name: `Remove ${dir}` }).click();
  await field(page, 'Folder path', photoFarm(16));
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await page.getByRole('tab', { name: 'Compare' }).click();
  for (const m of ['threads', 'processes', 'async']) await page.getByLabel(m, { exact: true }).setChecked(m !== 'processes');
  await page.getByLabel('Repeat').fill('1');
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await page.getByTestId('bench-state').filter({ hasText: 'Finished' }).waitFor({ timeout: 300_000 });
  await shoot(page, 'compare');
} finally {
  await browser.close();
  await ui.stop();
  removeTempDirs();
}
