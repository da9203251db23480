/**
 * Browser mode, desktop behaviour (issue 12): the recipe and the presets live in the shared
 * settings file, so they survive a restart of `photopool ui` on another port; a finished batch
 * offers "Open output folder" (the server opens it on its machine) and "Download outputs" (a zip
 * the server streams, holding every output).
 */
import { expect, test } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { addByPath, listFiles, SAMPLES, startUi, tempDir } from './helpers.js';

test('a saved preset and the changed recipe are back after photopool ui restarts on another port', async ({ page }) => {
  const config = tempDir('pp-config-');
  const first = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    await page.goto(first.url);
    await page.getByLabel('Width').fill('777');
    await page.getByLabel('Preset name').fill('web small');
    await page.getByRole('button', { name: 'Save preset' }).click();
    await page.getByLabel('Width').fill('555'); // the recipe moves on after the preset was saved
    await expect.poll(() => (existsSync(join(config, 'settings.json')) ? readFileSync(join(config, 'settings.json'), 'utf8') : ''), { timeout: 10_000 }).toContain('"width": 555');
    expect(readFileSync(join(config, 'settings.json'), 'utf8')).toContain('"web small"');
  } finally {
    await first.stop();
  }
  const second = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    expect(new URL(second.url).port).not.toBe(new URL(first.url).port);
    await page.goto(second.url);
    await expect(page.getByLabel('Width')).toHaveValue('555');
    await page.getByLabel('Presets').selectOption('web small');
    await expect(page.getByLabel('Width')).toHaveValue('777');
  } finally {
    await second.stop();
  }
  // The CLI reads the same presets.
  const settings = JSON.parse(readFileSync(join(config, 'settings.json'), 'utf8')) as { presets: Record<string, { ops: { resize?: { width?: number } } }> };
  expect(settings.presets['web small']?.ops.resize?.width).toBe(777);
});

test('a finished batch: Open output folder opens it on the server, Download outputs is a zip of every output', async ({ page }) => {
  const input = join(tempDir(), 'in');
  cpSync(SAMPLES, input, { recursive: true });
  const out = join(tempDir(), 'out');
  const opened = join(tempDir(), 'opened.txt');
  const opener = join(tempDir(), 'open.sh'); // stands in for xdg-open: records what it was asked to open
  writeFileSync(opener, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  chmodSync(opener, 0o755);
  const ui = await startUi({ PHOTOPOOL_OPEN_COMMAND: opener });
  try {
    await page.goto(ui.url);
    await addByPath(page, input);
    await page.getByLabel('Output folder').fill(out);
    await page.getByRole('button', { name: 'Convert' }).click();
    await expect(page.getByTestId('summary')).toBeVisible({ timeout: 90_000 });

    await page.getByRole('button', { name: 'Open output folder' }).click();
    await expect.poll(() => (existsSync(opened) ? readFileSync(opened, 'utf8') : ''), { timeout: 10_000 }).toBe(out);

    const link = page.getByRole('link', { name: 'Download outputs' });
    await expect(link).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const zip = join(tempDir(), 'outputs.zip');
    await download.saveAs(zip);
    const entries = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).split('\n').filter(Boolean).sort();
    const outputs = listFiles(out).filter((f) => !basename(f).startsWith('.')).map((f) => relative(out, f)).sort();
    expect(outputs.length).toBe(6); // the six sample images (README.md is not an image)
    expect(entries).toEqual(outputs);
    execFileSync('unzip', ['-tq', zip]); // every entry intact
  } finally {
    await ui.stop();
  }
});

test('the last input folders, output folder and worker count are back when photopool ui starts again', async ({ page }) => {
  const config = tempDir('pp-config-');
  const input = join(tempDir(), 'in');
  cpSync(SAMPLES, input, { recursive: true });
  const out = join(tempDir(), 'out');
  const first = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    await page.goto(first.url);
    await addByPath(page, input);
    await page.getByLabel('Output folder').fill(out);
    await page.getByLabel('Workers', { exact: true }).fill('1');
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 90_000 });
    await expect.poll(() => (existsSync(join(config, 'settings.json')) ? (JSON.parse(readFileSync(join(config, 'settings.json'), 'utf8')) as { workers: number }).workers : null), { timeout: 10_000 }).toBe(1);
  } finally {
    await first.stop();
  }
  const second = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    await page.goto(second.url);
    await expect(page.getByTestId('folder').filter({ hasText: input })).toContainText('6 images');
    await expect(page.getByLabel('Output folder')).toHaveValue(out);
    await expect(page.getByLabel('Workers', { exact: true })).toHaveValue('1');
    await expect(page.getByRole('button', { name: 'Convert', exact: true })).toBeEnabled();
    // removed by hand, it stays removed when the page reloads in the same tab
    await page.getByRole('button', { name: `Remove ${input}` }).click();
    await page.reload();
    await expect(page.getByTestId('dropzone')).toBeVisible();
    await expect(page.getByTestId('folder')).toHaveCount(0);
  } finally {
    await second.stop();
  }
});

test('a corrupt settings file: the page says it was set aside and where, and the message can be dismissed', async ({ page }) => {
  const config = tempDir('pp-config-');
  writeFileSync(join(config, 'settings.json'), '{"version": 1, "workers": "many"');
  const ui = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    await page.goto(ui.url);
    const note = page.getByTestId('settings-problem');
    await expect(note).toBeVisible();
    const aside = readdirSync(config).find((f) => f.startsWith('settings.json.corrupt-'));
    expect(aside).toBeTruthy();
    await expect(note).toContainText(`The settings file ${join(config, 'settings.json')} was not valid`);
    await expect(note).toContainText(`it was kept as ${join(config, aside!)}`);
    await expect(note).toContainText('the defaults are used');
    await expect(page.getByLabel('Width')).toHaveValue('1024'); // the defaults
    await note.getByRole('button', { name: 'Dismiss' }).click();
    await expect(note).toHaveCount(0);
    await page.reload();
    await expect(page.getByLabel('Width')).toBeVisible();
    await expect(note).toHaveCount(0);
  } finally {
    await ui.stop();
  }
});
