/**
 * Preview worth the name: before a batch, a sample input through the recipe and the estimated
 * output size (refreshed when the recipe changes); while it converts, the newest output only,
 * without taking the batch's CPU; after, a strip of converted files and a before/after slider
 * with 100% zoom, a TIFF input rendered by the app.
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

test('while a batch converts: the newest output only, the first one REFRESH_MS after the start, one image at a time, never an input nor a render by the app; before/after once it has finished', async ({ page }) => {
  const REFRESH_MS = 2000; // LIVE_REFRESH_MS in renderer/src/components/LivePreview.tsx
  const input = photoFarm(80); // at 1 worker, a batch of several REFRESH_MS
  const requests: { t: number; end: number; path: string }[] = [];
  const open = new Map<object, (typeof requests)[number]>();
  const isFile = (url: string) => new URL(url).pathname === '/api/file';
  page.on('request', (r) => {
    if (!isFile(r.url())) return;
    const entry = { t: Date.now(), end: Infinity, path: new URL(r.url()).searchParams.get('path')! };
    requests.push(entry);
    open.set(r, entry);
  });
  const settled = (r: object) => void (open.get(r) && (open.get(r)!.end = Date.now()));
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  const sent: { t: number; name: string }[] = [];
  const events: { t: number; type: string }[] = [];
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => sent.push({ t: Date.now(), name: /"name":"(\w+)"/.exec(String(f.payload))?.[1] ?? '' }));
    ws.on('framereceived', (f) => {
      // one frame may carry several events (app/server/frames.ts)
      for (const m of String(f.payload).matchAll(/"name":"engine","payload":\{"type":"(batch-start|done)"/g)) events.push({ t: Date.now(), type: m[1]! });
    });
  });
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Workers', { exact: true }).fill('1'); // a longer batch: more files arrive while it runs
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 120_000 });
  const start = events.find((e) => e.type === 'batch-start')!.t;
  const done = events.find((e) => e.type === 'done')!.t;
  const during = <T extends { t: number }>(xs: T[]) => xs.filter((x) => x.t >= start && x.t <= done);
  // nothing rendered by the app's engine, no full-size input decoded by the page
  expect(during(sent).map((s) => s.name).filter((n) => n === 'renderPreview' || n === 'estimateSize')).toEqual([]);
  expect(during(requests).filter((r) => r.path.startsWith(input))).toEqual([]);
  // outputs only, at most one per REFRESH_MS, each asked once the previous one had loaded
  const outputs = during(requests);
  expect(outputs.length).toBeGreaterThanOrEqual(1);
  // none as the batch starts, when the page draws the live view and the workers start (BENCHMARKS.md "UI and bench, session 6")
  expect(outputs[0]!.t - start).toBeGreaterThanOrEqual(REFRESH_MS - 100);
  expect(outputs.length).toBeLessThanOrEqual(1 + Math.ceil((done - start) / REFRESH_MS));
  for (let i = 1; i < outputs.length; i++) expect(outputs[i]!.t).toBeGreaterThanOrEqual(outputs[i - 1]!.end); // the previous one had loaded
  // finished: the strip and the before/after of the newest file, full-size input included
  await expect(page.getByTestId('thumb')).not.toHaveCount(0);
  const before = page.getByRole('img', { name: /^Before: / });
  await expect.poll(() => before.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(requests.some((r) => r.t > done && r.path.startsWith(input))).toBe(true);
});
