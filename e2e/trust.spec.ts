/**
 * Issue 13, "a UI a photographer trusts", end to end in browser mode on real photos: dropped
 * files are safe, the numbers are true, a clear start and a useful finish, validation in plain
 * words, keyboard and screen readers.
 */
import { expect, test, type Page } from '@playwright/test';
import { existsSync, writeFileSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { addByPath, corruptFolder, dropFiles, listFiles, outputStems, photoFarm, photoFiles, removeTempDirs, startPausedBatch, startUi, tempDir, useUi } from './helpers.js';

const state = (page: Page) => page.getByTestId('state');
const progress = (page: Page) => page.getByRole('progressbar', { name: 'Batch progress' });
const convert = (page: Page) => page.getByRole('button', { name: 'Convert', exact: true });

test.describe('with a fresh server per test', () => {
  const ui = useUi();

  test('empty state: the drop zone leads, Convert says why it is disabled until inputs and an output exist', async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(ui().url);
    await expect(page.getByTestId('dropzone')).toContainText('Drop a folder or photos here to start');
    await expect(convert(page)).toBeDisabled();
    await expect(page.getByTestId('convert-why')).toHaveText('Add photos first: drop a folder or photos, or type a folder path.');
    // a folder that does not exist is listed as such and cannot be converted
    const missing = join(tempDir(), 'no-such-folder');
    await page.getByLabel('Folder path').fill(missing);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByTestId('folder')).toContainText('This folder does not exist');
    await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
    await expect(convert(page)).toBeDisabled();
    await expect(page.getByTestId('convert-why')).toContainText('cannot be read');
    await page.getByRole('button', { name: `Remove ${missing}` }).click();
    const input = photoFarm(3);
    await addByPath(page, input);
    await expect(convert(page)).toBeEnabled();
    await expect(page.getByTestId('convert-why')).toHaveCount(0);
    // an output inside the input is explained; the input itself as output is refused
    await page.getByLabel('Output folder').fill(join(input, 'converted'));
    await expect(page.getByTestId('output-note')).toContainText('left out of the scan');
    await expect(convert(page)).toBeEnabled();
    await page.getByLabel('Output folder').fill(input);
    await expect(convert(page)).toBeDisabled();
    await expect(page.getByTestId('convert-why')).toContainText('is the input');
    // layout at 1280x800: Width and Height share a row, nothing overflows sideways, Convert is visible
    const [w, h] = [await page.getByLabel('Width').boundingBox(), await page.getByLabel('Height').boundingBox()];
    expect(Math.abs(w!.y - h!.y)).toBeLessThan(2);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    await expect(convert(page)).toBeInViewport();
    // at 1920 the run column uses the width
    await page.setViewportSize({ width: 1920, height: 1080 });
    const run = await page.locator('.col.run').boundingBox();
    expect(run!.width).toBeGreaterThan(1000);
  });

  test('a batch with failures ends in the warning state with failures and skipped listed, filterable, exportable; Retry failed keeps names', async ({ page }) => {
    const { dir, bad } = corruptFolder(6);
    writeFileSync(join(dir, 'notes.txt'), 'shot list\n');
    writeFileSync(join(dir, 'readme.md'), '# trip\n');
    const out = join(tempDir(), 'out');
    await page.goto(ui().url);
    await addByPath(page, dir);
    await page.getByLabel('Output folder').fill(out);
    await convert(page).click();
    await expect(state(page)).toHaveText(`Finished with ${bad.length} failures`, { timeout: 60_000 });
    await expect(page.getByTestId('summary')).toHaveClass(/tone-warn/);
    await expect(page).toHaveTitle('Finished with failures · PhotoPool');
    await expect(page.getByTestId('count-done')).toHaveText('6');
    await expect(page.getByTestId('count-failed')).toHaveText(String(bad.length));
    await expect(page.getByTestId('count-skipped')).toHaveText('2');
    await expect(page.getByTestId('summary-saved')).toHaveText(/^\d+%$/);
    await expect(progress(page)).toHaveAttribute('aria-valuenow', '100');
    await expect(page.getByTestId('failure')).toHaveCount(bad.length);
    const skipped = page.getByTestId('skipped');
    await expect(skipped).toHaveCount(2);
    await expect(skipped.filter({ hasText: 'notes.txt' })).toHaveCount(1);
    await page.getByLabel('Filter').last().fill('readme');
    await expect(skipped).toHaveCount(1);
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export skipped as CSV' }).click();
    const csv = await (await download).path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p, 'utf8')));
    expect(csv).toContain('readme.md');
    expect(csv).not.toContain('notes.txt');
    // Retry failed: same recipe and folder; the converted files are kept (skipped), the failed ones tried again
    await page.getByRole('button', { name: 'Retry failed' }).click();
    await expect(state(page)).toHaveText(`Finished with ${bad.length} failures`, { timeout: 60_000 });
    await expect(page.getByTestId('count-skipped')).toHaveText(String(6 + 2));
    await expect(page.getByTestId('count-done')).toHaveText('0');
    expect(outputStems(out).sort()).toEqual(listFiles(dir).filter((f) => /^\d{4}_/.test(basename(f))).map((f) => basename(f).replace(/\.[^.]+$/, '')).sort());
  });

  test('cancel near a quarter: the bar and the state line keep the true percentage', async ({ page }) => {
    const n = 200;
    const input = photoFarm(n);
    await page.goto(ui().url);
    await addByPath(page, input);
    await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
    await page.getByLabel('Workers', { exact: true }).fill('1');
    await convert(page).click();
    await expect.poll(async () => Number(await page.getByTestId('count-done').textContent()), { timeout: 60_000, intervals: [100] }).toBeGreaterThanOrEqual(n / 4 - 4);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(state(page)).toHaveText(/^Cancelled at \d+ of 200 \(\d+%\)$/, { timeout: 30_000 });
    const pct = Number(await progress(page).getAttribute('aria-valuenow'));
    const m = /Cancelled at (\d+) of 200 \((\d+)%\)/.exec((await state(page).textContent())!)!;
    const done = Number(m[1]);
    expect(done).toBe(Number(await page.getByTestId('count-done').textContent()));
    // stopped part-way (how far past a quarter depends on the machine's speed), and the bar says how far: neither 0 nor 100
    expect(done).toBeGreaterThanOrEqual(n / 4 - 4);
    expect(done).toBeLessThan(n);
    expect(Math.abs(pct - (100 * done) / n)).toBeLessThan(1);
    expect(Number(m[2])).toBe(pct);
    await expect(progress(page)).toHaveAttribute('aria-valuetext', new RegExp(`^${pct}%: Cancelled`));
    await expect(page).toHaveTitle('Cancelled · PhotoPool');
  });

  test('a refused Convert opens a modal dialog for the unfinished batch: labelled, focus inside and trapped, Esc cancels, Resume finishes it', async ({ page }) => {
    // deterministic on any machine: the batch is paused at once (one worker), so it cannot finish before Cancel
    const n = 60;
    const { input, out } = await startPausedBatch(page, ui().url, n);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(state(page)).toHaveText(/^Cancelled at \d+ of 60/, { timeout: 30_000 });
    expect(outputStems(out).length).toBeLessThan(n);
    // the same output folder again: the engine refuses to replace the unfinished batch; a dialog asks
    await convert(page).click();
    const dialog = page.getByRole('dialog', { name: 'This output folder holds an unfinished batch' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toHaveAttribute('aria-modal', 'true');
    await expect(dialog).toContainText(out);
    await expect(dialog).toContainText('holds an unfinished batch');
    await expect(page.getByTestId('notice-convert')).toHaveCount(0); // the dialog says it, not a banner too
    const resume = dialog.getByRole('button', { name: 'Resume that batch' });
    await expect(resume).toBeFocused();
    // Tab cycles through Resume, Start over, Cancel and back; Shift+Tab the other way: focus stays inside
    for (const name of ['Start over', 'Cancel', 'Resume that batch']) {
      await page.keyboard.press('Tab');
      await expect(dialog.getByRole('button', { name, exact: true })).toBeFocused();
    }
    await page.keyboard.press('Shift+Tab');
    await expect(dialog.getByRole('button', { name: 'Cancel', exact: true })).toBeFocused();
    // a modal dialog (showModal): the page behind is inert while it is open
    expect(await page.evaluate(() => document.querySelector('dialog[open]')!.matches(':modal'))).toBe(true);
    // Esc = Cancel: the dialog goes, nothing starts, focus is back on Convert
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
    await expect(state(page)).toHaveText(/^Cancelled at/);
    await expect(convert(page)).toBeFocused();
    // Cancel button: the same
    await convert(page).click();
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    // Resume: the batch finishes with every output exactly once
    await convert(page).click();
    await dialog.getByRole('button', { name: 'Resume that batch' }).click();
    await expect(dialog).toHaveCount(0);
    await expect(state(page)).toHaveText('Finished', { timeout: 120_000 });
    expect(outputStems(out).sort()).toEqual(listFiles(input).map((f) => basename(f).replace(/\.[^.]+$/, '')).sort());
  });

  test('the unfinished-batch dialog: Start over begins a new batch into the same folder, the outputs already there kept', async ({ page }) => {
    const n = 40;
    const { input, out } = await startPausedBatch(page, ui().url, n);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect(state(page)).toHaveText(/^Cancelled at/, { timeout: 30_000 });
    const before = outputStems(out).length;
    await convert(page).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Start over' }).click();
    await expect(page.getByRole('dialog')).toHaveCount(0);
    await expect(state(page)).toHaveText('Finished', { timeout: 120_000 });
    // the new batch found the earlier outputs and skipped them ("If the output exists": skip it)
    await expect(page.getByTestId('count-skipped')).toHaveText(String(before));
    await expect(page.getByTestId('count-done')).toHaveText(String(n - before));
    expect(outputStems(out)).toHaveLength(n);
  });

  test('keyboard and screen readers: focus moves to Pause, progress is announced, the tab title shows it', async ({ page }) => {
    const input = photoFarm(40);
    await page.goto(ui().url);
    await addByPath(page, input);
    await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
    await page.getByLabel('Workers', { exact: true }).fill('1');
    await convert(page).focus();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: 'Pause' })).toBeFocused();
    await expect(page.getByTestId('announcer')).toHaveAttribute('aria-live', 'polite');
    await expect(page.getByTestId('announcer')).toHaveText(/Batch started: 40 files\.|\d+% done\./);
    await expect(page).toHaveTitle(/^\d+% · PhotoPool$/);
    await expect(progress(page)).toHaveAttribute('aria-valuetext', /^\d+%: (Scanning…|Converting \d+ of 40)$/);
    await expect(page.getByTestId('announcer')).toHaveText('Finished. 40 converted, 0 failed, 0 skipped.', { timeout: 60_000 });
    await expect(page).toHaveTitle('Finished · PhotoPool');
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    expect((await page.request.get(new URL(icon!, page.url()).href)).status()).toBe(200);
  });
});

test('dropped files: listed by their names, outputs go to ~/Pictures/PhotoPool/<date time> and outlive the server', async ({ page }) => {
  const home = tempDir('pp-home-');
  const ui = await startUi({ HOME: home });
  try {
    const files = photoFiles().slice(0, 5);
    await page.goto(ui.url);
    await dropFiles(page, files);
    const folder = page.getByTestId('folder');
    await expect(folder).toContainText(`Dropped: ${basename(files[0]!)}`);
    await expect(folder).toContainText(`${files.length} images`);
    const staging = await folder.locator('[title]').first().getAttribute('title');
    const output = page.getByLabel('Output folder');
    await expect(output).toHaveValue(new RegExp(`^${join(home, 'Pictures', 'PhotoPool')}${sep}\\d{4}-\\d\\d-\\d\\d \\d\\d-\\d\\d$`));
    const out = await output.inputValue();
    expect(out.startsWith(staging!.replace(/[\\/][^\\/]+$/, ''))).toBe(false);
    await convert(page).click();
    await expect(state(page)).toHaveText('Finished', { timeout: 60_000 });
    expect(await ui.stop()).toBe(0);
    expect(existsSync(staging!)).toBe(false); // the uploaded inputs are gone with the server...
    expect(outputStems(out).sort()).toEqual(files.map((f) => basename(f).replace(/\.[^.]+$/, '')).sort()); // ...the outputs are not
  } finally {
    await ui.stop();
    removeTempDirs();
  }
});
