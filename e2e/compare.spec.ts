/**
 * The Compare view in browser mode, on real photos (hard links to assets/samples): run a small
 * comparison (threads + async at 1 and 2 workers, one timed run each), see both charts drawn,
 * one table row per model x workers, the last batch on the throughput axis, PNG and CSV export
 * (the CSV in the exact format of `photopool bench --csv`), the results after a reload, Cancel.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { join } from 'node:path';
import { benchCsv as cliCsv } from '../common/bench.js';
import { addByPath, listFiles, photoFarm, SAMPLES, tempDir, useUi, type Ui } from './helpers.js';

const ui = useUi();

const samples = () => listFiles(SAMPLES).filter((f) => /\.jpe?g$/i.test(f));


/** Tick exactly `models` and `workers`, set Repeat. */
async function choose(page: Page, models: string[], workers: number[], repeat: number): Promise<void> {
  for (const m of ['threads', 'processes', 'async']) await page.getByLabel(m, { exact: true }).setChecked(models.includes(m));
  const boxes = page.locator('input[id^="cmp-workers-"]');
  for (let i = 0; i < (await boxes.count()); i++) {
    const box = boxes.nth(i);
    const n = Number((await box.getAttribute('id'))!.slice('cmp-workers-'.length));
    await box.setChecked(workers.includes(n));
  }
  await page.getByLabel('Repeat').fill(String(repeat));
}

/** Pixels of a chart canvas that are not transparent (a drawn chart has thousands). */
async function inkedPixels(chart: Locator): Promise<number> {
  return chart.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) n++;
    return n;
  });
}

const CELLS = [
  ['threads', 1],
  ['threads', 2],
  ['async', 1],
  ['async', 2],
] as const;

test('a small comparison of the current recipe draws both charts, one row per model x workers, fits 1280 px, and exports PNG and CSV', async ({ page }) => {
  const input = photoFarm(24, samples());
  await page.setViewportSize({ width: 1280, height: 800 });
  const sent: string[] = [];
  page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Width').fill('640');
  // a batch first: its throughput is the reference on the Compare chart
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 60_000 });

  // the tabs are keyboard reachable: focus Convert, arrow right selects Compare
  await page.getByRole('tab', { name: 'Convert' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tab', { name: 'Compare' })).toBeFocused();
  await expect(page.getByRole('checkbox', { name: input })).toBeChecked(); // the added folder, chosen by default

  await choose(page, ['threads', 'async'], [1, 2], 1);
  // by default the comparison measures the Convert recipe; each model is explained in one sentence
  await expect(page.getByRole('radio', { name: /^Your recipe \(grayscale, fit inside 640×1024, jpeg q80\)$/ })).toBeChecked();
  // the reference job stays one click away
  await expect(page.getByRole('radio', { name: /^The reference job \(grayscale, fit inside 1024×1024, JPEG q80\)/ })).toBeEnabled();
  await expect(page.getByTestId('model-sentence')).toHaveCount(3);
  await expect(page.getByTestId('model-sentence').first()).toHaveText(/^[A-Z][^.]+\.$/);
  await page.getByRole('button', { name: 'Run comparison' }).click();
  const start = sent.map((m) => JSON.parse(m) as { name: string; payload: { options: { job?: { ops?: { resize?: { width?: number } } } } } }).find((m) => m.name === 'startBench');
  expect(start?.payload.options.job?.ops?.resize?.width).toBe(640);
  await expect(page.getByRole('progressbar', { name: 'Comparison progress' })).toBeVisible();
  await expect(page.getByTestId('bench-state')).toHaveText('Finished', { timeout: 100_000 });

  const rows = page.getByTestId('bench-row');
  await expect(rows).toHaveCount(CELLS.length);
  const shown: { model: string; workers: number; imagesPerSec: number }[] = [];
  for (let i = 0; i < CELLS.length; i++) {
    const row = rows.nth(i);
    const cell = (col: string) => row.locator(`[data-col="${col}"]`).innerText();
    shown.push({ model: (await cell('model')).replace(/ \*$/, ''), workers: Number(await cell('workers')), imagesPerSec: Number(await cell('imagesPerSec')) });
  }
  expect(shown.map((r) => [r.model, r.workers])).toEqual(CELLS.map((c) => [...c]));
  for (const r of shown) expect(r.imagesPerSec, `${r.model} x${r.workers}`).toBeGreaterThan(0);
  await expect(page.getByTestId('bench-machine')).toContainText('cores');
  // the Convert batch (other files, maybe another recipe) is left out unless asked for, then labelled
  await expect(page.getByTestId('batch-reference')).toHaveCount(0);
  await page.getByLabel(/Also show the Convert batch/).check();
  await expect(page.getByTestId('batch-reference')).toContainText(/batch: \d+ workers?, [\d.]+ images\/s/);
  // the table fits 1280 px
  expect(await page.locator('.table-scroll').evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);

  for (const id of ['chart-throughput', 'chart-memory']) {
    const chart = page.getByTestId(id);
    await expect(chart.locator('canvas')).toHaveCount(1);
    expect(await inkedPixels(chart), id).toBeGreaterThan(1000);
  }

  const png = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export chart PNG' }).click();
  const pngBytes = readFileSync(await (await png).path());
  expect(pngBytes.subarray(1, 4).toString()).toBe('PNG');
  expect(pngBytes.length).toBeGreaterThan(5000);

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export table CSV' }).click();
  const text = readFileSync(await (await download).path(), 'utf8');
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toMatch(/^# .*cores; .*UV_THREADPOOL_SIZE \d+$/);
  const header = cliCsv([], { cpu: '', cores: 1, memoryGiB: 1, os: '', node: '', sharp: '', libvips: '', uvThreadpoolSize: 1 }).split('\n')[1];
  expect(lines[1]).toBe(header);
  const cols = lines[1]!.split(',');
  const data = lines.slice(2).map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
  expect(data.map((d) => [d.model, Number(d.workers)])).toEqual(CELLS.map((c) => [...c]));
  data.forEach((d, i) => {
    expect(Number(d.images)).toBe(24);
    expect(Number(d.imagesPerSec).toFixed(1)).toBe(shown[i]!.imagesPerSec.toFixed(1));
  });

  // the results survive a reload (they live in the server's snapshot)
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Compare' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('bench-row')).toHaveCount(CELLS.length);
  expect(await inkedPixels(page.getByTestId('chart-throughput'))).toBeGreaterThan(1000);
});

test('Cancel comparison stops it and a new one can start', async ({ page }) => {
  const input = photoFarm(60, samples());
  await page.goto(ui().url);
  await page.getByRole('tab', { name: 'Compare' }).click();
  await addByPath(page, input);
  await choose(page, ['threads', 'processes', 'async'], [1, 2], 3);
  await page.getByRole('button', { name: 'Run comparison' }).click();
  await expect(page.getByTestId('bench-state')).toContainText(/run [1-9]\d* of 24/, { timeout: 60_000 });
  await page.getByRole('button', { name: 'Cancel comparison' }).click();
  await expect(page.getByTestId('bench-state')).toHaveText('Cancelled', { timeout: 30_000 });
  await expect(page.getByRole('button', { name: 'Run comparison' })).toBeEnabled();
  // a batch may start again once the comparison stopped
  await page.getByRole('tab', { name: 'Convert' }).click();
  await expect(page.getByRole('button', { name: 'Convert' })).toBeEnabled();
});

type Reply = { kind: 'reply'; id: number; ok: boolean; error?: { message: string; problems?: { field: string }[] } };

/** A WebSocket client of the browser-mode server; `ask` sends one request and resolves with its reply. */
async function client(u: Ui): Promise<{ ask: (name: string, payload: unknown) => Promise<Reply>; close: () => void }> {
  const ws = new WebSocket(`${u.origin.replace('http', 'ws')}/api/ws?token=${u.token}`, { origin: u.origin });
  await new Promise((r) => ws.once('open', r));
  let id = 0;
  return {
    ask: (name, payload) =>
      new Promise((resolve) => {
        const my = ++id;
        const on = (data: Buffer) => {
          const m = JSON.parse(data.toString()) as Reply | { kind: 'event' };
          if (m.kind !== 'reply' || m.id !== my) return;
          ws.off('message', on);
          resolve(m);
        };
        ws.on('message', on);
        ws.send(JSON.stringify({ kind: 'request', id: my, name, payload }));
      }),
    close: () => ws.close(),
  };
}

test('startBench validates its options with the bench schema and is refused while a batch runs', async () => {
  const c = await client(ui());
  const bad = await c.ask('startBench', { options: { inputs: [], models: ['fibers'], workers: [0], repeat: 1 } });
  expect(bad.ok).toBe(false);
  expect(bad.error!.problems!.map((p) => p.field.split('.').slice(0, 2).join('.')).sort()).toEqual(['options.inputs', 'options.models', 'options.workers']);
  const input = photoFarm(300, samples());
  expect((await c.ask('start', { spec: { inputs: [input], output: join(tempDir(), 'out'), workers: 1 } })).ok).toBe(true);
  const busy = await c.ask('startBench', { options: { inputs: [input], workers: [1], repeat: 1 } });
  expect(busy.ok).toBe(false);
  expect(busy.error!.message).toMatch(/batch is running/);
  expect((await c.ask('cancel', {})).ok).toBe(true);
  c.close();
});
