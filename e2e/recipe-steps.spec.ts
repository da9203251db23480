/**
 * The recipe steps in the UI (browser mode, Debian's Chromium): each has a labelled field, a bad
 * target size is explained beside its field, and a batch with target size, sharpen, a text
 * watermark and "keep all but location" converts with every output under its target.
 */
import { expect, test } from '@playwright/test';
import { statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addByPath, listFiles, SAMPLES, tempDir, useUi } from './helpers.js';

const ui = useUi();

test('recipe steps: labelled fields, a bad size explained, a batch with every step on', async ({ page }) => {
  const out = join(tempDir(), 'out');
  await page.goto(ui().url);
  await addByPath(page, SAMPLES);
  await page.getByLabel('Output folder').fill(out);

  await page.getByLabel('Target file size').fill('5 apples');
  await expect(page.locator('#max-size-error')).toBeVisible();
  await expect(page.getByLabel('Target file size')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Convert' })).toBeDisabled();
  await page.getByLabel('Target file size').fill('40KB');
  await expect(page.locator('#max-size-error')).toHaveCount(0);

  await page.getByLabel('Sharpen after resize').check();
  await page.getByLabel('Watermark', { exact: true }).selectOption('text');
  await page.getByLabel('Watermark text').fill('PhotoPool');
  await page.getByLabel('Watermark position').selectOption('northwest');
  await page.getByLabel('Metadata').selectOption('keep-no-gps');
  await expect(page.getByLabel('Watermark opacity (0-1)')).toHaveValue('0.5');

  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 90_000 });
  const outputs = listFiles(out).filter((f) => !basename(f).startsWith('.'));
  expect(outputs).toHaveLength(6);
  for (const f of outputs) expect(statSync(f).size, f).toBeLessThanOrEqual(40_000);
});
