/**
 * The desktop app's main flow in Electron (Playwright `_electron`). Runs where an Electron
 * binary is installed; elsewhere every test reports itself skipped with the reason.
 */
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { isCompleteJpeg, listFiles, photoFarm, photoFiles, ROOT, tempDir } from './helpers.js';

function electronBinary(): string | null {
  try {
    const p: unknown = createRequire(import.meta.url)('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const built = existsSync(join(ROOT, 'dist/electron/main.js')) && existsSync(join(ROOT, 'dist/electron/preload.cjs'));
const reason = !binary
  ? 'Electron binary not installed (ELECTRON_SKIP_BINARY_DOWNLOAD / offline): run "node node_modules/electron/install.js" to get it'
  : 'the desktop app is not built: run "npm run build"';

test.describe('Electron desktop app', () => {
  test.skip(!binary || !built, reason);
  let app: ElectronApplication;
  let page: Page;

  const args = (...extra: string[]) => [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), ...extra];
  let config: string;

  test.beforeEach(async () => {
    config = tempDir();
    app = await electron.launch({ executablePath: binary!, args: args(), cwd: ROOT, env: { ...process.env, PHOTOPOOL_CONFIG_DIR: config } as Record<string, string> });
    page = await app.firstWindow();
    await expect(page.getByRole('heading', { name: 'PhotoPool' })).toBeVisible();
  });
  test.afterEach(async () => {
    await app.close();
  });

  test('adds a folder by path, converts it and every output exists', async () => {
    const n = Math.min(photoFiles().length, 20);
    const input = photoFarm(n);
    const out = join(tempDir(), 'out');
    await page.getByLabel('Folder path').fill(input);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(page.getByTestId('folder')).toContainText(`${n} images`);
    await page.getByLabel('Output folder').fill(out);
    await page.getByRole('button', { name: 'Convert' }).click();
    await expect(page.getByRole('progressbar', { name: 'Batch progress' })).toHaveAttribute('aria-valuenow', '100', { timeout: 90_000 });
    const outputs = listFiles(out).filter((f) => !basename(f).startsWith('.'));
    expect(outputs).toHaveLength(n);
    for (const f of outputs) expect(isCompleteJpeg(f)).toBe(true);
  });

  test('the renderer cannot reach Node, and IPC with a bad payload is refused', async () => {
    const g = await page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      ipcRenderer: typeof (window as unknown as { photopool: Record<string, unknown> }).photopool.ipcRenderer,
    }));
    expect(g).toEqual({ require: 'undefined', process: 'undefined', ipcRenderer: 'undefined' });
    const refused = await page.evaluate(async () => {
      const api = (window as unknown as { photopool: { setWorkers(x: unknown): Promise<unknown> } }).photopool;
      return api.setWorkers({ workers: 'many' }).then(
        () => 'accepted',
        (e: Error) => e.message,
      );
    });
    expect(refused).toMatch(/workers/);
  });

  test('the UI is served from app://photopool with the CSP as a response header, and the README as Help', async () => {
    expect(page.url()).toBe('app://photopool/index.html');
    const csp = await page.evaluate(async () => (await fetch('app://photopool/index.html')).headers.get('content-security-policy'));
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("object-src 'none'");
    const help = await page.evaluate(async () => (await fetch('app://photopool/help')).text());
    expect(help).toContain('Packaging the desktop app');
    // outside the renderer folder: refused
    const status = await page.evaluate(async () => (await fetch('app://photopool/..%2F..%2Fpackage.json')).status);
    expect(status).toBe(403);
  });

  test('a second launch adds its folder to the running window and exits (single instance)', async () => {
    const input = photoFarm(3);
    const second = await electron.launch({ executablePath: binary!, args: args(input), cwd: ROOT, env: { ...process.env, PHOTOPOOL_CONFIG_DIR: config } as Record<string, string> }).catch((err: Error) => err);
    // the second instance quits at once: either launch fails or its process exits
    if (!(second instanceof Error)) await second.waitForEvent('close', { timeout: 15_000 }).catch(() => undefined);
    await expect(page.getByTestId('folder').filter({ hasText: basename(input) })).toContainText('3 images');
  });

  test('a finished batch shows a system notification and clears the taskbar progress', async () => {
    await app.evaluate(({ Notification }) => {
      const shown: string[] = [];
      (globalThis as { shown?: string[] }).shown = shown;
      const original = Notification.prototype.show;
      Notification.prototype.show = function (this: Electron.Notification) {
        shown.push(this.title);
        return original.call(this);
      };
    });
    const input = photoFarm(4);
    await page.getByLabel('Folder path').fill(input);
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
    await page.getByRole('button', { name: 'Convert' }).click();
    await expect.poll(() => app.evaluate(() => (globalThis as { shown?: string[] }).shown ?? []), { timeout: 60_000 }).toEqual(['PhotoPool: batch finished']);
  });
});
