/**
 * Issue 14's fields in the UI (browser mode, Debian's Chromium, the project's sample photos):
 * naming with its token help, suffix, {counter}/{preset} names, keep modification times, outputs
 * beside each input, problems in plain words as typed; and every pixel step reaches the preview.
 */
import { expect, test, type Page } from '@playwright/test';
import { cpSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { addByPath, listFiles, SAMPLES, tempDir, useUi } from './helpers.js';

const ui = useUi();
const convert = (page: Page) => page.getByRole('button', { name: 'Convert', exact: true });
const images = (dir: string) => listFiles(dir).filter((f) => /\.(jpe?g|png)$/i.test(f));
const stem = (f: string) => basename(f).replace(/\.[^.]+$/, '');

test('naming: token help, plain-words problems, suffix, {counter} and {preset} names on disk, modification times kept', async ({ page }) => {
  const input = join(tempDir(), 'in');
  cpSync(SAMPLES, input, { recursive: true });
  const out = join(tempDir(), 'out');
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Output folder').fill(out);
  const naming = page.getByLabel('Naming', { exact: true });

  // the token help, tied to the field
  await expect(naming).toHaveAttribute('aria-describedby', /template-help/);
  await page.getByText('Naming tokens').click();
  const help = page.getByTestId('token-help');
  for (const token of ['{name}', '{counter:4}', '{date}', '{exif-date:%Y%m%d_%H%M%S}', '{width}', '{height}', '{preset}']) await expect(help).toContainText(token);

  // problems in plain words as typed, cleared when fixed
  await naming.fill('{name}_{size}.{ext}');
  await expect(page.locator('#template-error')).toHaveText(/^Naming: \{size\} is not a token\./);
  await expect(naming).toHaveAttribute('aria-invalid', 'true');
  await expect(convert(page)).toBeDisabled();
  await naming.fill('{dir}/{preset}/{counter:4}_{name}.{ext}');
  await expect(page.locator('#template-error')).toHaveText('Naming uses {preset}: load a preset from Presets first (or save this recipe as one).');
  await page.getByLabel('Suffix').fill('a/b');
  await expect(page.locator('#suffix-error')).toContainText('must not contain /');
  await page.getByLabel('Suffix').fill('_web');
  await expect(page.locator('#suffix-error')).toHaveCount(0);
  await page.getByLabel('Keep file modification times').check();
  await page.getByLabel('Preset name').fill('web');
  await page.getByRole('button', { name: 'Save preset' }).click();
  await expect(page.locator('#template-error')).toHaveCount(0);
  await expect(page.getByTestId('naming-example')).toContainText('→ trip/web/0001_IMG_0042_web.jpg');
  await expect(convert(page)).toBeEnabled();

  await convert(page).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 90_000 });
  const inputs = images(input);
  const outputs = images(out);
  expect(outputs).toHaveLength(inputs.length);
  // numbered in scan order from 0001, each named after its input with the suffix, in the preset's folder
  const numbers = outputs.map((f) => /^(\d{4})_(.+)_web$/.exec(stem(f))![1]).sort();
  expect(numbers).toEqual(inputs.map((_, i) => String(i + 1).padStart(4, '0')));
  for (const f of outputs) {
    expect(basename(dirname(f))).toBe('web');
    const name = /^\d{4}_(.+)_web$/.exec(stem(f))![1]!;
    const src = inputs.find((i) => stem(i) === name)!;
    expect(src, f).toBeTruthy();
    expect(Math.round(statSync(f).mtimeMs / 1000), `modification time of ${f}`).toBe(Math.round(statSync(src).mtimeMs / 1000));
  }

  // the preset keeps the naming and the steps: reload the page, load it back
  await page.reload();
  await page.getByLabel('Suffix').fill('');
  await page.getByLabel('Keep file modification times').uncheck();
  await page.getByLabel('Presets').selectOption('web');
  await expect(page.getByLabel('Suffix')).toHaveValue('_web');
  await expect(naming).toHaveValue('{dir}/{preset}/{counter:4}_{name}.{ext}');
  await expect(page.getByLabel('Keep file modification times')).toBeChecked();
});

test('write outputs beside each input: needs a suffix or another format, outputs land next to their inputs, originals untouched', async ({ page }) => {
  const input = join(tempDir(), 'in');
  cpSync(SAMPLES, input, { recursive: true });
  const before = images(input).map((f) => [f, statSync(f).size, statSync(f).mtimeMs] as const);
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Format').selectOption('same');
  await page.getByLabel('Write outputs beside each input').check();
  await expect(page.getByLabel('Output folder')).toBeDisabled();
  await expect(page.locator('#beside-input-error')).toHaveText(/^Beside each input needs a suffix \(e\.g\. _web\) or another format/);
  await expect(convert(page)).toBeDisabled();
  await page.getByLabel('Naming', { exact: true }).fill('{name}.{ext}');
  await expect(page.locator('#template-error')).toContainText('Beside each input, Naming must be {dir}/{name}.{ext}');
  await page.getByLabel('Naming', { exact: true }).fill('{dir}/{name}.{ext}');
  await page.getByLabel('Suffix').fill('_small');
  await expect(page.locator('#beside-input-error')).toHaveCount(0);
  await expect(convert(page)).toBeEnabled();
  await convert(page).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 90_000 });
  for (const [f, size, mtime] of before) {
    const beside = join(dirname(f), `${stem(f)}_small${extname(f)}`); // format "same as input"
    expect(existsSync(beside), beside).toBe(true);
    expect([statSync(f).size, statSync(f).mtimeMs]).toEqual([size, mtime]); // the original is untouched
  }
  expect(images(input)).toHaveLength(2 * before.length);
});

test('every pixel step of the recipe reaches the sample preview', async ({ page }) => {
  const input = join(tempDir(), 'in');
  cpSync(SAMPLES, input, { recursive: true });
  await page.goto(ui().url);
  await addByPath(page, input);
  const after = page.getByRole('img', { name: 'After: sample through the recipe' });
  const info = page.getByTestId('preview-info');
  await expect(after).toBeVisible({ timeout: 30_000 });
  let last = await after.getAttribute('src');
  const changes = async (what: string, act: () => Promise<unknown>) => {
    await act();
    await expect.poll(() => after.getAttribute('src'), { timeout: 30_000, message: `${what} changes the preview` }).not.toBe(last);
    last = await after.getAttribute('src');
  };
  await changes('Width and Height', async () => {
    await page.getByLabel('Width').fill('300');
    await page.getByLabel('Height').fill('300');
  });
  await expect(info).toContainText('→ 300×');
  await changes('Grayscale', () => page.getByLabel('Grayscale').setChecked(false));
  await changes('Sharpen after resize', () => page.getByLabel('Sharpen after resize').check());
  await changes('a text watermark', async () => {
    await page.getByLabel('Watermark', { exact: true }).selectOption('text');
    await page.getByLabel('Watermark text').fill('PhotoPool');
  });
  await changes('Watermark position', () => page.getByLabel('Watermark position').selectOption('northwest'));
  await changes('Fit contain with a padding colour', async () => {
    await page.getByLabel('Fit', { exact: true }).selectOption('contain');
    await page.getByLabel('Padding colour').fill('#ff0000');
  });
  await expect(info).toContainText('→ 300×300');
  await changes('Fit cover, crop keeps the top', async () => {
    await page.getByLabel('Fit', { exact: true }).selectOption('cover');
    await page.getByLabel('Crop keeps').selectOption('north');
  });
  await changes('Quality', () => page.getByLabel('Quality').fill('20'));
  await changes('Format', () => page.getByLabel('Format').selectOption('webp'));
  await page.getByLabel('Format').selectOption('jpeg');
  await page.getByLabel('Quality').fill('95');
  await changes('Target file size', () => page.getByLabel('Target file size').fill('8KB'));
  const m = /, ([\d.]+) (B|KB) as jpeg$/.exec((await info.textContent())!.trim())!;
  expect(Number(m[1]) * (m[2] === 'KB' ? 1024 : 1)).toBeLessThanOrEqual(8000);
});
