/**
 * Issue 13, "true numbers": the throughput chart shows the batch's own values under the pointer
 * (not "--"), and a pause is shaded on the canvas over the paused seconds, and only there.
 * Browser mode, Debian's Chromium, real photos; everything is read from what the page shows.
 */
import { expect, test, type Page } from '@playwright/test';
import { join } from 'node:path';
import { addByPath, photoFarm, tempDir, useUi } from './helpers.js';

const ui = useUi();
const done = async (page: Page) => Number(await page.getByTestId('count-done').first().textContent());
const readout = (page: Page) => page.getByTestId('chart-readout');
const HOVER = /at (\d+\.\d) s: (\d+\.\d) images\/s · (\d+\.\d) MP\/s/;
/** The values under the pointer (not the latest sample's, shown when the pointer is off the data). */
const HOVER_HERE = /— at (\d+\.\d) s: (\d+\.\d) images\/s · (\d+\.\d) MP\/s/;

/**
 * Point at x (CSS px from the plot area's left; kept a pixel inside its edges, where uPlot may
 * count the pointer as outside) and read the values the chart shows there.
 */
async function hoverAt(page: Page, x: number): Promise<{ t: number; ips: number; mps: number }> {
  await page.locator('.chart').scrollIntoViewIfNeeded();
  const box = (await page.locator('.chart .u-over').boundingBox())!;
  const at = Math.min(Math.max(x, 1), box.width - 2);
  await page.mouse.move(box.x + at, box.y + box.height / 2);
  // the readout of THIS position: until uPlot's cursor hook has run, it still shows the last one
  await expect.poll(async () => Math.abs(Number((await readout(page).getAttribute('data-cursor-left')) ?? NaN) - at)).toBeLessThanOrEqual(1);
  await expect(readout(page)).toHaveText(HOVER_HERE);
  const m = HOVER.exec((await readout(page).textContent())!)!;
  return { t: Number(m[1]), ips: Number(m[2]), mps: Number(m[3]) };
}

/** Share of pixels in each column of the plot area that carry the pause shading (grey at ~12% alpha). */
async function shadedColumns(page: Page): Promise<number[]> {
  return page.evaluate(() => {
    const over = document.querySelector('.chart .u-over')!.getBoundingClientRect();
    const canvas = document.querySelector('.chart canvas') as HTMLCanvasElement;
    const c = canvas.getBoundingClientRect();
    const k = canvas.width / c.width; // device pixels per CSS pixel
    const [x0, y0, w, h] = [(over.left - c.left) * k, (over.top - c.top) * k, over.width * k, over.height * k].map(Math.round) as [number, number, number, number];
    const px = canvas.getContext('2d')!.getImageData(x0, y0, w, h).data;
    const cols: number[] = [];
    for (let x = 0; x < w; x += Math.round(k) || 1) {
      let shaded = 0;
      let n = 0;
      // the middle 60% of the height: away from the axes' edges and the "paused" label
      for (let y = Math.round(h * 0.2); y < Math.round(h * 0.8); y++, n++) {
        const i = (y * w + x) * 4;
        const [r, g, b, a] = [px[i]!, px[i + 1]!, px[i + 2]!, px[i + 3]!];
        if (a > 15 && a < 60 && Math.abs(r - g) < 12 && Math.abs(g - b) < 12 && r > 60 && r < 220) shaded++;
      }
      cols.push(shaded / n);
    }
    return cols;
  });
}

test('the chart shows the batch values under the pointer and shades a pause there and only there', async ({ page }) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.emulateMedia({ colorScheme: 'light' });
  const input = photoFarm(1500);
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  await page.getByLabel('Workers', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect.poll(() => done(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(10);
  await page.waitForTimeout(2000);
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Paused/);
  await page.waitForTimeout(7000); // longer than the engine's 5 s rate window: the rate falls to 0
  await page.getByRole('button', { name: 'Resume' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Converting/);
  const resumedAt = await done(page);
  await expect.poll(() => done(page), { timeout: 60_000 }).toBeGreaterThanOrEqual(resumedAt + 10);
  await page.waitForTimeout(2000);
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('state')).toHaveText(/^Cancelled at/, { timeout: 30_000 });
  const converted = await done(page);

  // the pause as listed under the chart
  const mark = (await page.getByTestId('pause-mark').textContent())!;
  const [, from, length] = /paused at (\d+\.\d) s for (\d+\.\d) s/.exec(mark)!.map(Number) as [number, number, number];
  expect(length).toBeGreaterThan(6);
  const until = from + length;

  // without the pointer: the latest sample (time and values); with it at the right edge: that
  // sample, or the one before it (the engine samples every 0.2 s, and once in CI the pointer two
  // pixels from the edge read the sample 0.2 s before the final one)
  const box = (await page.locator('.chart .u-over').boundingBox())!;
  await page.mouse.move(0, 0);
  const latest = /latest, at (\d+\.\d) s: (\d+\.\d) images\/s · (\d+\.\d) MP\/s/.exec((await readout(page).textContent())!)!.slice(1).map(Number) as [number, number, number];
  const right = await hoverAt(page, box.width - 1);
  const left = await hoverAt(page, 0);
  const pxTime = (latest[0] - left.t) / box.width;
  expect(Math.abs(right.t - latest[0])).toBeLessThanOrEqual(2 * pxTime + 0.25);
  // the same sample, or one 0.2 s before it: a 5 s rate window hardly moves in that time
  expect(Math.abs(right.ips - latest[1])).toBeLessThanOrEqual(Math.max(0.2, latest[1] * 0.05));
  expect(Math.abs(right.mps - latest[2])).toBeLessThanOrEqual(Math.max(0.5, latest[2] * 0.05));
  await expect(readout(page)).not.toContainText('--');

  // sweep the plot: every point has numbers, time grows with x, and the values are the batch's:
  // near zero by the end of the pause, above zero while converting, and their integral over time is
  // about the number of files converted (the engine's rate is over a sliding window of up to 5 s,
  // shorter at the start and after a resume, which leans high; the last seconds count partly)
  const samples = new Map<number, { t: number; ips: number; mps: number }>();
  for (let x = 0; x < box.width; x += 5) {
    const s = await hoverAt(page, x);
    samples.set(s.t, s);
  }
  const points = [...samples.values()].sort((a, b) => a.t - b.t);
  expect(points.length).toBeGreaterThan(20);
  const first = points[0]!;
  const last = points.at(-1)!;
  const inPauseEnd = points.filter((p) => p.t > until - 1.5 && p.t < until - 0.3);
  expect(inPauseEnd.length).toBeGreaterThan(0);
  const peak = Math.max(...points.filter((p) => p.t < from).map((p) => p.ips));
  expect(peak).toBeGreaterThan(0);
  // (the files in flight when Pause was pressed still finish, so the window may hold one or two)
  for (const p of inPauseEnd) expect(p.ips, `images/s at ${p.t} s, the end of the pause`).toBeLessThanOrEqual(Math.max(0.2, peak * 0.1));
  expect(Math.max(...points.map((p) => p.mps))).toBeGreaterThan(0);
  let integral = 0;
  for (let i = 1; i < points.length; i++) integral += ((points[i]!.ips + points[i - 1]!.ips) / 2) * (points[i]!.t - points[i - 1]!.t);
  expect(integral).toBeGreaterThan(converted * 0.5);
  expect(integral).toBeLessThan(converted * 1.7);

  // the shading: x of a time from the hovered range of the axis (first sample at the left edge, last at the right)
  await page.mouse.move(0, 0);
  const cols = await shadedColumns(page);
  const colOf = (t: number) => Math.round(((t - first.t) / (last.t - first.t)) * (cols.length - 1));
  const margin = Math.ceil(cols.length * 0.02) + 2;
  const inside = cols.slice(colOf(from) + margin, colOf(until) - margin);
  const outside = [...cols.slice(0, Math.max(0, colOf(from) - margin)), ...cols.slice(colOf(until) + margin)];
  expect(inside.length).toBeGreaterThan(10);
  expect(outside.length).toBeGreaterThan(10);
  const share = (list: number[], min: number) => list.filter((v) => v >= min).length / list.length;
  expect(share(inside, 0.6), 'columns of the pause that are shaded').toBeGreaterThan(0.9);
  expect(share(outside, 0.2), 'columns outside the pause that are shaded').toBe(0);
});

test('a new batch draws on the same chart: no plot is made again as it starts (BENCHMARKS.md "UI and bench, session 6")', async ({ page }) => {
  const input = photoFarm(6);
  await page.goto(ui().url);
  await addByPath(page, input);
  for (const run of ['first', 'second']) {
    const out = join(tempDir(), `out-${run}`);
    await page.getByLabel('Output folder').fill(out);
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await expect(page.getByTestId('summary-output')).toHaveText(out, { timeout: 60_000 }); // this batch's summary
    await expect(page.getByTestId('state')).toHaveText('Finished');
    await expect(readout(page)).toHaveText(/latest, at \d+\.\d s: \d+\.\d images\/s/);
    // uPlot's canvas is not React's: a mark on it lasts as long as the plot does
    if (run === 'first') await page.locator('.chart canvas').evaluate((c) => c.setAttribute('data-first-plot', ''));
  }
  await expect(page.locator('.chart canvas')).toHaveCount(1);
  await expect(page.locator('.chart canvas[data-first-plot]')).toHaveCount(1);
  expect(await done(page)).toBe(6);
});
