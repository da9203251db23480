/**
 * Issue 13, more of "true numbers" and "a clear start" in browser mode: the engine dying
 * mid-batch reads "Stopped at N of M: reason" with counts that add up, and Restart and resume
 * finishes it; notices sit beside the action that raised them and can be dismissed; the
 * labelled controls scripts rely on are all there; dropped files go to the last output folder.
 */
import { expect, test, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { addByPath, dropFiles, listFiles, outputStems, photoFarm, photoFiles, removeTempDirs, startPausedBatch, startUi, tempDir, useUi } from './helpers.js';

const state = (page: Page) => page.getByTestId('state');
const count = async (page: Page, id: string) => Number(await page.getByTestId(id).first().textContent());

test.describe('with a fresh server per test', () => {
  const ui = useUi();

  test('the engine killed mid-batch: "Stopped at N of M: …", counts add up, "Restart engine and resume" converts every file once', async ({ page }) => {
    const n = 80;
    const { input, out } = await startPausedBatch(page, ui().url, n); // the kill lands mid-batch on any machine
    // the engine is the server's child running engine/host.js (started by this test's server)
    const engine = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(ui().process.pid)], { encoding: 'utf8' })
      .split('\n')
      .find((l) => l.includes('host.js'));
    expect(engine, 'the engine process').toBeTruthy();
    process.kill(Number(engine!.trim().split(/\s+/)[0]), 'SIGKILL');
    await expect(state(page)).toHaveText(/^Stopped at \d+ of 80: the engine process stopped$/, { timeout: 30_000 });
    await expect(page).toHaveTitle('Stopped · PhotoPool');
    // every count adds up: converted + failed + skipped + not converted = the total
    const [done, failed, skipped, left] = [await count(page, 'count-done'), await count(page, 'count-failed'), await count(page, 'count-skipped'), await count(page, 'count-left')];
    expect(done + failed + skipped + left).toBe(n);
    expect(done).toBeLessThan(n);
    const m = /^Stopped at (\d+) of 80/.exec((await state(page).textContent())!)!;
    expect(Number(m[1])).toBe(done + failed + skipped);
    await expect(page.getByRole('alert').filter({ hasText: 'engine' })).toBeVisible();
    await page.getByRole('button', { name: 'Restart engine and resume' }).click();
    await expect(state(page)).toHaveText('Finished', { timeout: 120_000 });
    expect(outputStems(out).sort()).toEqual(listFiles(input).map((f) => basename(f).replace(/\.[^.]+$/, '')).sort());
  });

  test('a notice sits beside the action that raised it, names what was wrong, and can be dismissed', async ({ page }) => {
    await page.goto(ui().url);
    await page.getByLabel('Folder path').fill(`/${'x'.repeat(5000)}`); // longer than any path: refused at the boundary
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const notice = page.getByTestId('notice-inputs');
    await expect(notice).toBeVisible();
    await expect(notice).toContainText('path');
    // inside the Inputs card, next to Add; not beside Convert
    await expect(page.locator('section[aria-labelledby="inputs-h"]').getByTestId('notice-inputs')).toBeVisible();
    await expect(page.getByTestId('notice-convert')).toHaveCount(0);
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
    // the next good action clears it too
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(notice).toBeVisible();
    await addByPath(page, photoFarm(2));
    await expect(notice).toHaveCount(0);
  });

  test('the labelled controls scripts and people rely on are all there', async ({ page }) => {
    await page.goto(ui().url);
    for (const label of ['Folder path', 'Workers', 'Width', 'Height', 'Preset name', 'Presets', 'Output folder', 'Naming', 'Suffix', 'Write outputs beside each input', 'Keep file modification times']) {
      await expect(page.getByLabel(label, { exact: true }), label).toHaveCount(1);
    }
    for (const name of ['Add', 'Add folder…', 'Convert', 'Pause', 'Resume', 'Cancel', 'Save preset']) {
      await expect(page.getByRole('button', { name, exact: true }), name).toHaveCount(1);
    }
  });
});

test('dropped files: outputs go to the last output folder chosen, when there is one', async ({ page }) => {
  const config = tempDir('pp-config-');
  const last = join(tempDir(), 'my-converted');
  writeFileSync(join(config, 'settings.json'), JSON.stringify({ version: 1, lastOutput: last }));
  const ui = await startUi({ PHOTOPOOL_CONFIG_DIR: config });
  try {
    const files = photoFiles().slice(0, 3);
    await page.goto(ui.url);
    await dropFiles(page, files);
    await expect(page.getByTestId('folder')).toContainText(`Dropped: ${basename(files[0]!)}`);
    await expect(page.getByLabel('Output folder')).toHaveValue(last);
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await expect(state(page)).toHaveText('Finished', { timeout: 60_000 });
    expect(outputStems(last).sort()).toEqual(files.map((f) => basename(f).replace(/\.[^.]+$/, '')).sort());
  } finally {
    await ui.stop();
    removeTempDirs();
  }
});

test('a dropped folder: listed by its name, outputs keep the relative folders of the drop', async ({ page }) => {
  const ui = await startUi({ HOME: tempDir('pp-home-') });
  try {
    const photos = photoFiles().slice(0, 3);
    const tree = [`trip/day1/${basename(photos[0]!)}`, `trip/day1/${basename(photos[1]!)}`, `trip/day2/${basename(photos[2]!)}`];
    const payload = tree.map((path, i) => ({ path, b64: readFileSync(photos[i]!).toString('base64') }));
    await page.goto(ui.url);
    await expect(page.getByTestId('dropzone')).toBeVisible();
    // a folder drop as Chromium delivers it: one item whose entry is a directory (File and Directory Entries API)
    await page.evaluate((items) => {
      type Node = { name: string; children?: Map<string, Node>; file?: File };
      const root: Node = { name: '', children: new Map() };
      for (const it of items) {
        const parts = it.path.split('/');
        let at = root;
        for (const p of parts.slice(0, -1)) {
          if (!at.children!.has(p)) at.children!.set(p, { name: p, children: new Map() });
          at = at.children!.get(p)!;
        }
        const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
        at.children!.set(parts.at(-1)!, { name: parts.at(-1)!, file: new File([bin], parts.at(-1)!, { type: 'image/jpeg' }) });
      }
      const entry = (n: Node): unknown =>
        n.file
          ? { name: n.name, isFile: true, isDirectory: false, file: (ok: (f: File) => void) => ok(n.file!) }
          : {
              name: n.name,
              isFile: false,
              isDirectory: true,
              createReader: () => {
                let given = false;
                return { readEntries: (ok: (e: unknown[]) => void) => ok(given ? [] : ((given = true), [...n.children!.values()].map(entry))) };
              },
            };
      const folder = entry(root.children!.get('trip')!);
      Object.defineProperty(DataTransferItem.prototype, 'webkitGetAsEntry', { configurable: true, value: () => folder });
      const dt = new DataTransfer();
      dt.items.add(new File([], 'trip'));
      const zone = document.querySelector('[data-testid="dropzone"]')!;
      for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, payload);
    const folder = page.getByTestId('folder');
    await expect(folder).toContainText('Dropped: trip');
    await expect(folder).toContainText('3 images');
    const out = await page.getByLabel('Output folder').inputValue();
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await expect(state(page)).toHaveText('Finished', { timeout: 60_000 });
    expect(outputStems(out).sort()).toEqual(tree.map((p) => p.replace(/\.[^.]+$/, '')).sort());
  } finally {
    await ui.stop();
    removeTempDirs();
  }
});
