/**
 * Browser mode end to end, in Debian's Chromium, on real photos: add folders (path, drop),
 * convert, change Workers mid-batch, failures, cancel, reload mid-batch.
 */
import { expect, test, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addByPath, corruptFolder, dropFiles, isCompleteJpeg, listFiles, outputStems, photoFarm, photoFiles, SAMPLES, tempDir, tmpLeftovers, useUi } from './helpers.js';

const ui = useUi();

const progress = (page: Page) => page.getByRole('progressbar', { name: 'Batch progress' });
const count = (page: Page, what: 'done' | 'failed' | 'skipped') => page.getByTestId(`count-${what}`);

async function setOutput(page: Page, dir: string): Promise<void> {
  await page.getByLabel('Output folder').fill(dir);
}

async function setWorkers(page: Page, n: number): Promise<void> {
  await page.getByLabel('Workers', { exact: true }).fill(String(n));
}

/** Wait until at least `n` files are done (the batch is under way). */
async function doneAtLeast(page: Page, n: number): Promise<void> {
  await expect.poll(async () => Number(await count(page, 'done').textContent()), { timeout: 60_000 }).toBeGreaterThanOrEqual(n);
}

/** Open the app, add `input` by path, set the output and Workers, press Convert, wait for `done` files. */
async function startBatch(page: Page, input: string, out: string, workers: number, done: number): Promise<void> {
  await page.goto(ui().url);
  await addByPath(page, input);
  await setOutput(page, out);
  await setWorkers(page, workers);
  await page.getByRole('button', { name: 'Convert' }).click();
  await doneAtLeast(page, done);
}

test('adds a folder of real photos by path, converts it, reaches 100% with every output on disk', async ({ page }) => {
  const photos = photoFiles();
  const input = photoFarm(photos.length, photos);
  const out = join(tempDir(), 'out');
  await page.goto(ui().url);
  await addByPath(page, input);
  await expect(page.getByTestId('folder')).toContainText(`${photos.length} images`);
  await setOutput(page, out);
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 90_000 });
  await expect(page.getByTestId('state')).toHaveText('Finished');
  await expect(count(page, 'done')).toHaveText(String(photos.length));
  const outputs = listFiles(out).filter((f) => !basename(f).startsWith('.'));
  expect(outputs).toHaveLength(photos.length);
  for (const f of outputs) expect(isCompleteJpeg(f), f).toBe(true);
  // before/after preview of an output, served from the current batch only
  await expect(page.getByTestId('thumb')).not.toHaveCount(0);
  await page.getByTestId('thumb').nth(1).click();
  const after = page.getByRole('img', { name: /^After:/ });
  await expect(after).toBeVisible();
  await expect.poll(() => after.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  expect(await after.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeLessThanOrEqual(1024);
});

test('adds photos by a synthetic drop (uploaded to a staging folder) and converts them', async ({ page }) => {
  const files = listFiles(SAMPLES).filter((f) => /\.jpe?g$/i.test(f));
  expect(files.length).toBeGreaterThan(0); // the shipped samples
  const out = join(tempDir(), 'dropped-out');
  await page.goto(ui().url);
  await dropFiles(page, files);
  const folder = page.getByTestId('folder');
  await expect(folder).toContainText(`${files.length} images`);
  await setOutput(page, out);
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 60_000 });
  await expect(count(page, 'done')).toHaveText(String(new Set(files.map((f) => basename(f))).size));
  expect(outputStems(out).sort()).toEqual([...new Set(files.map((f) => basename(f).replace(/\.[^.]+$/, '')))].sort());
});

test('changing Workers mid-batch changes the lanes; no file is lost or converted twice', async ({ page }) => {
  const n = 160;
  const input = photoFarm(n);
  const out = join(tempDir(), 'out');
  await page.goto(ui().url);
  await expect(page.getByTestId('cores')).toContainText('cores');
  await addByPath(page, input);
  await setOutput(page, out);
  await setWorkers(page, 1);
  await page.getByRole('button', { name: 'Convert' }).click();
  await doneAtLeast(page, 2);
  await expect(page.getByTestId('lane')).toHaveCount(1);
  await setWorkers(page, 2);
  await expect(page.getByTestId('lane')).toHaveCount(2);
  await expect(page.getByTestId('pool-change')).toHaveText(/1 → 2 workers/);
  await expect.poll(async () => page.getByTestId('lane').nth(1).getAttribute('class'), { timeout: 20_000 }).toBe('busy');
  await setWorkers(page, 1);
  await expect(page.getByTestId('pool-change')).toHaveCount(2);
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 110_000 });
  // the removed lane stays listed with what it converted: the lane counts add up to the total
  await expect(page.getByTestId('lane')).toHaveCount(2);
  await expect(page.getByTestId('lane').nth(1)).toContainText('removed');
  await expect(count(page, 'done')).toHaveText(String(n));
  await expect(count(page, 'failed')).toHaveText('0');
  const laneDone = await page.getByTestId('lane').evaluateAll((els) => els.map((e) => Number(/(\d+) done/.exec(e.textContent ?? '')?.[1])));
  expect(laneDone.reduce((a, b) => a + b, 0)).toBe(n);
  await expect(page.getByTestId('by-workers')).toHaveText(/1 worker: \d+ · 2 workers: \d+/);
  const stems = outputStems(out);
  expect(stems).toHaveLength(n);
  expect(new Set(stems).size).toBe(n);
  expect(stems.sort()).toEqual(listFiles(input).map((f) => basename(f).replace(/\.[^.]+$/, '')).sort());
  expect(tmpLeftovers(out)).toEqual([]);
});

test('a folder with corrupt files lists them as failures while the rest converts', async ({ page }) => {
  const { dir, bad } = corruptFolder(6);
  const out = join(tempDir(), 'out');
  await page.goto(ui().url);
  await addByPath(page, dir);
  await setOutput(page, out);
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(page.getByTestId('state')).toHaveText(`Finished with ${bad.length} failures`, { timeout: 60_000 });
  await expect(count(page, 'done')).toHaveText('6');
  await expect(count(page, 'failed')).toHaveText(String(bad.length));
  const rows = page.getByTestId('failure');
  await expect(rows).toHaveCount(bad.length);
  for (const name of bad) await expect(rows.filter({ hasText: name })).toHaveCount(1);
  await expect(rows.first()).toContainText(/(corrupt|truncated|not an image)/);
  expect(outputStems(out)).toHaveLength(6);
  // export: the CSV names every failed file
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export failures as CSV' }).click();
  const csv = readFileSync(await (await download).path(), 'utf8');
  for (const name of bad) expect(csv).toContain(name);
});

test('Cancel stops the batch and leaves no partial file', async ({ page }) => {
  const n = 200;
  const input = photoFarm(n);
  const out = join(tempDir(), 'out');
  await startBatch(page, input, out, 2, 3);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Cancelled at \d+ of 200 \(\d+%\)$/, { timeout: 30_000 });
  expect(tmpLeftovers(out)).toEqual([]);
  const outputs = listFiles(out).filter((f) => !basename(f).startsWith('.'));
  expect(outputs.length).toBeGreaterThanOrEqual(3);
  expect(outputs.length).toBeLessThan(n);
  for (const f of outputs) expect(isCompleteJpeg(f), f).toBe(true);
  await expect(page.getByRole('button', { name: 'Convert' })).toBeEnabled();
});

test('Pause stops dispatching and Resume continues', async ({ page }) => {
  const input = photoFarm(120);
  const out = join(tempDir(), 'out');
  await startBatch(page, input, out, 1, 2);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Paused at \d+ of \d+$/);
  await expect(page.getByTestId('eta')).toHaveText('paused');
  await page.waitForTimeout(1500); // the running file finishes
  const frozen = await count(page, 'done').textContent();
  await page.waitForTimeout(1500);
  await expect(count(page, 'done')).toHaveText(frozen!);
  await page.getByRole('button', { name: 'Resume' }).click();
  await doneAtLeast(page, Number(frozen) + 1);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Cancelled at/);
  await expect(page.getByTestId('pause-mark')).toHaveCount(1); // the pause is marked on the chart
});

test('a page reload mid-batch reconnects to the running batch', async ({ page }) => {
  const n = 300; // long enough to still run after the reload (the live view redraws once a second while converting)
  const input = photoFarm(n);
  const out = join(tempDir(), 'out');
  await startBatch(page, input, out, 1, 2);
  await setWorkers(page, 2);
  await expect(page.getByTestId('pool-change')).toHaveCount(1);
  const before = Number(await count(page, 'done').textContent());
  await page.reload();
  await expect(page.getByTestId('state')).toHaveText(/^(Scanning…|Converting \d+ of \d+)$/);
  expect(Number(await count(page, 'done').textContent())).toBeGreaterThanOrEqual(before);
  await expect(page.getByTestId('pool-change')).toHaveCount(1); // history survived the reload
  await expect(page.getByLabel('Workers', { exact: true })).toHaveValue('2');
  await expect(page.getByTestId('folder').filter({ hasText: input })).toHaveCount(1);
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '100', { timeout: 110_000 });
  await expect(count(page, 'done')).toHaveText(String(n));
  expect(outputStems(out)).toHaveLength(n);
});

test('invalid recipe values are explained in plain words as typed, cleared when fixed, and block Convert', async ({ page }) => {
  await page.goto(ui().url);
  await addByPath(page, SAMPLES);
  await setOutput(page, join(tempDir(), 'out'));
  await expect(page.getByRole('button', { name: 'Convert' })).toBeEnabled();
  await page.getByLabel('Quality').fill('150');
  await page.getByLabel('Width').fill('0');
  // no Convert press needed: the messages appear as the values are typed
  await expect(page.locator('#quality-error')).toHaveText('Quality must be a whole number from 1 (smallest files) to 100 (best quality).');
  await expect(page.locator('#width-error')).toHaveText('Width must be a whole number of pixels, 1 or more.');
  await expect(page.getByLabel('Quality')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('button', { name: 'Convert' })).toBeDisabled();
  await expect(page.getByTestId('convert-why')).toContainText('Fix the marked fields first');
  await page.getByLabel('Width').fill('640');
  await expect(page.locator('#width-error')).toHaveCount(0);
  await expect(page.getByLabel('Width')).not.toHaveAttribute('aria-invalid', 'true');
  await expect(progress(page)).toHaveCount(0);
  // presets: save, change, load back
  await page.getByLabel('Quality').fill('55');
  await page.getByLabel('Width').fill('640');
  await page.getByLabel('Preset name').fill('web');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await page.getByLabel('Quality').fill('90');
  await page.getByLabel('Presets').selectOption('web');
  await expect(page.getByLabel('Quality')).toHaveValue('55');
  await expect(page.getByLabel('Width')).toHaveValue('640');
});
