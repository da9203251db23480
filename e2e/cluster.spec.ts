/**
 * The Cluster setting (issue 16) in browser mode, on a real nats-server (127.0.0.1, a free
 * port, a temporary store) with one `photopool worker`: a URL with a password is refused at the
 * boundary and never saved; the broker's URL is kept in the settings file; the UI's batch then
 * runs through the broker (the local pool with one worker alongside), every output is written,
 * and the remote worker shows as a lane named `host/worker` with its machine's throughput.
 */
import { expect, test, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative } from 'node:path';
import { addByPath, listFiles, outputStems, ROOT, SAMPLES, startUi, tempDir } from './helpers.js';

const HAVE_NATS = spawnSync('nats-server', ['--version']).status === 0;
const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
const stop = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGTERM'))));

test.skip(!HAVE_NATS, 'nats-server is not installed (apt-get install nats-server)');

/** A broker on a free port with one `photopool worker --name e2ebox`, connected and pulling. */
async function startCluster(): Promise<{ url: string; stop: () => Promise<void> }> {
  const port = await freePort();
  const url = `nats://127.0.0.1:${port}`;
  const broker = spawn('nats-server', ['-js', '-sd', tempDir('nats-store-'), '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
  let log = '';
  const worker = spawn(process.execPath, [join(ROOT, 'bin/photopool'), 'worker', '--nats', url, '--workers', '1', '--name', 'e2ebox'], { stdio: ['ignore', 'ignore', 'pipe'] });
  worker.stderr!.on('data', (d: Buffer) => (log += d));
  const stopAll = async () => {
    await stop(worker);
    await stop(broker);
  };
  try {
    await expect.poll(() => log, { timeout: 30_000 }).toContain('pulling from');
  } catch (err) {
    await stopAll();
    throw err;
  }
  return { url, stop: stopAll };
}

/** Set the Cluster setting to `url` in the page. */
async function useCluster(page: Page, url: string): Promise<void> {
  await page.getByTestId('cluster-settings').locator('summary').click();
  await page.getByLabel('NATS broker URL').fill(url);
  await page.getByRole('button', { name: 'Use this cluster' }).click();
  await expect(page.getByTestId('cluster-on')).toContainText(url);
}

test('the Cluster setting: a password in the URL is refused, the broker URL is kept, the batch runs on the remote worker too', async ({ page }) => {
  test.setTimeout(180_000);
  const cluster = await startCluster();
  const { url } = cluster;
  const port = new URL(url).port;
  const config = tempDir('pp-config-');
  const ui = await startUi({ PHOTOPOOL_CONFIG_DIR: config, PHOTOPOOL_NATS_ACK_WAIT_MS: '5000' });
  try {
    await page.goto(ui.url);
    await page.getByTestId('cluster-settings').locator('summary').click();
    const field = page.getByLabel('NATS broker URL');
    await field.fill(`nats://photos:secret@127.0.0.1:${port}`);
    await page.getByRole('button', { name: 'Use this cluster' }).click();
    await expect(page.getByTestId('cluster-problem')).toContainText('NATS broker URL');
    await expect(page.getByTestId('cluster-problem')).toContainText('no user:password');
    await field.fill(url);
    await page.getByRole('button', { name: 'Use this cluster' }).click();
    await expect(page.getByTestId('cluster-on')).toContainText(url);
    const settings = () => (existsSync(join(config, 'settings.json')) ? readFileSync(join(config, 'settings.json'), 'utf8') : '');
    await expect.poll(settings, { timeout: 10_000 }).toContain(url);
    expect(settings()).not.toContain('secret');

    const input = join(tempDir(), 'in');
    cpSync(SAMPLES, input, { recursive: true });
    const out = join(tempDir(), 'out');
    await addByPath(page, input);
    await page.getByLabel('Output folder').fill(out);
    await page.getByRole('button', { name: 'Convert' }).click();
    await expect(page.getByTestId('summary')).toBeVisible({ timeout: 120_000 });
    const images = listFiles(input).filter((f) => /\.(jpe?g|png)$/i.test(f)).map((f) => relative(input, f).replace(/\.\w+$/, ''));
    expect(outputStems(out).sort()).toEqual(images.sort());
    await expect(page.getByTestId('remote-lane').filter({ hasText: 'e2ebox/0' })).toBeVisible();
    await expect(page.getByTestId('cluster-machines')).toContainText(/e2ebox \d+ files, [\d.]+ images\/s/);
  } finally {
    await ui.stop();
    await cluster.stop();
  }
});

test('Compare: this machine only against this machine + the cluster, one row each', async ({ page }) => {
  test.setTimeout(180_000);
  const cluster = await startCluster();
  const ui = await startUi({ PHOTOPOOL_NATS_ACK_WAIT_MS: '5000' });
  try {
    await page.goto(ui.url);
    await useCluster(page, cluster.url);
    const input = join(tempDir(), 'in');
    cpSync(SAMPLES, input, { recursive: true });
    await addByPath(page, input);
    await page.getByRole('tab', { name: 'Compare' }).click();
    for (const m of ['threads', 'processes', 'async']) await page.getByLabel(m, { exact: true }).setChecked(m === 'threads');
    const boxes = page.locator('input[id^="cmp-workers-"]');
    for (let i = 0; i < (await boxes.count()); i++) await boxes.nth(i).setChecked((await boxes.nth(i).getAttribute('id')) === 'cmp-workers-1');
    await page.getByLabel('Repeat').fill('1');
    await page.getByLabel('Also with the cluster').check();
    await page.getByRole('button', { name: 'Run comparison' }).click();
    await expect(page.getByTestId('bench-state')).toHaveText('Finished', { timeout: 150_000 });
    const rows = page.getByTestId('bench-row');
    await expect(rows).toHaveCount(2);
    const models = await rows.locator('[data-col="model"]').allInnerTexts();
    expect(models.map((m) => m.replace(/ \*$/, ''))).toEqual(['threads', 'threads + cluster']);
    for (const v of await rows.locator('[data-col="imagesPerSec"]').allInnerTexts()) expect(Number(v)).toBeGreaterThan(0);
  } finally {
    await ui.stop();
    await cluster.stop();
  }
});
