/**
 * Preview worth the name: before a batch, a sample input through the recipe and the estimated
 * output size (refreshed when the recipe changes); after, a strip of converted files and a
 * before/after slider with 100% zoom, a TIFF input rendered by the app.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import sharp from 'sharp';
import { addByPath, photoFarm, photoFiles, tempDir, useUi } from './helpers.js';

const ui = useUi();

test('before a batch: a sample through the recipe and an estimated size range that follows the recipe', async ({ page }) => {
  const input = photoFarm(8);
  await page.goto(ui().url);
  await addByPath(page, input);
  const estimate = page.getByTestId('estimate');
  await expect(estimate).toHaveText(/^Estimated output: [\d.]+ [KM]B – [\d.]+ [KM]B for 8 images \(from 6 converted in memory\)\.$/, { timeout: 30_000 });
  const first = await estimate.textContent();
  await expect(page.getByRole('img', { name: 'After: sample through the recipe' })).toBeVisible();
  await expect(page.getByTestId('preview-info')).toContainText('→ 1024×');
  // a smaller box makes smaller files: the estimate is redone
  await page.getByLabel('Width').fill('256');
  await page.getByLabel('Height').fill('256');
  await expect(page.getByTestId('preview-info')).toContainText('→ 256×', { timeout: 30_000 });
  await expect(estimate).not.toHaveText(first!);
  const kb = (t: string) => { const m = /: ([\d.]+) ([KM])B – ([\d.]+) ([KM])B/.exec(t)!; return Number(m[3]) * (m[4] === 'M' ? 1024 : 1); };
  expect(kb((await estimate.textContent())!)).toBeLessThan(kb(first!));
});

test('after a batch: the strip lists converted files; the slider shows a 16-bit TIFF input (rendered by the app) and zooms to 100%', async ({ page }) => {
  const input = photoFarm(3);
  await sharp(photoFiles()[0]!).resize(1600).toColourspace('rgb16').tiff({ compression: 'lzw' }).toFile(join(input, 'scan.tif'));
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 60_000 });
  await expect(page.getByTestId('thumb')).toHaveCount(4);
  await page.locator('[data-testid="thumb"][title="scan.jpg"]').click();
  await expect(page.getByTestId('preview-info')).toContainText('scan.tif: 1600×');
  const before = page.getByRole('img', { name: 'Before: scan.tif' });
  await expect(before).toHaveAttribute('src', /^data:image\/jpeg;base64,/, { timeout: 20_000 }); // a browser cannot show TIFF: the app rendered it
  await expect.poll(() => before.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  const after = page.getByRole('img', { name: 'After: scan.jpg' });
  await expect.poll(() => after.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1024);
  // the split follows the slider; 100% makes the frame scroll (pan)
  await page.getByLabel('Before/after split').fill('20');
  await expect(after).toHaveAttribute('style', /inset\(0(px)? 0(px)? 0(px)? 20%\)/);
  const frame = page.getByTestId('ba-frame');
  expect(await frame.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  await page.getByRole('button', { name: '100%' }).click();
  await expect.poll(() => frame.evaluate((el) => el.scrollWidth)).toBe(1024);
  await frame.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => frame.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
});
