/**
 * What the page redraws while a batch converts (each redraw takes Chromium CPU from the batch,
 * BENCHMARKS.md "The bench against the UI"): the live view follows the batch, while the inputs,
 * the recipe, the output folder and the cluster settings are held still (renderer/src/components/
 * Still.tsx counts its renders); they are drawn again once the batch has finished.
 */
import { expect, test } from '@playwright/test';
import { join } from 'node:path';
import { addByPath, photoFarm, tempDir, useUi } from './helpers.js';

const ui = useUi();

test('during a batch the inputs, recipe and settings are not re-rendered; the live view is, several times but at most once a second', async ({ page }) => {
  const input = photoFarm(80);
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Workers', { exact: true }).fill('1'); // a longer batch: several redraws while it converts
  await page.getByLabel('Output folder').fill(join(tempDir(), 'out'));
  // every change of the live count: the state line and the held parts' render counts at that moment
  await page.evaluate(() => {
    const log: { state: string; done: string; held: string[]; t: number }[] = [];
    (window as unknown as { redraws: typeof log }).redraws = log;
    new MutationObserver(() => {
      const done = document.querySelector('.live [data-testid="count-done"]')?.textContent;
      if (done === undefined || done === null) return;
      const state = document.querySelector('[data-testid="state"]')?.textContent ?? '';
      if (log.at(-1)?.done === done && log.at(-1)?.state === state) return;
      log.push({ state, done, held: Array.from(document.querySelectorAll('.still'), (e) => e.getAttribute('data-renders') ?? ''), t: performance.now() });
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const heldBefore = await page.locator('.still').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-renders'))));
  expect(heldBefore).toHaveLength(3); // inputs + recipe, output folder, cluster settings
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(page.getByTestId('state')).toHaveText('Finished', { timeout: 120_000 });
  const log = await page.evaluate(() => (window as unknown as { redraws: { state: string; done: string; held: string[]; t: number }[] }).redraws);
  const converting = log.filter((l) => l.state.startsWith('Converting') && Number(l.done) > 0);
  expect(converting.length, `redraws seen while converting: ${JSON.stringify(log)}`).toBeGreaterThanOrEqual(2);
  // at most one redraw a second while converting (renderer/src/model.ts UPDATES_PER_SEC_CONVERTING):
  // each one costs Chromium CPU that the workers need (BENCHMARKS.md "UI and bench, session 6")
  const gaps = converting.slice(1).map((l, i) => l.t - converting[i]!.t);
  expect(Math.min(...gaps), `ms between redraws while converting: ${gaps.map(Math.round).join(', ')}`).toBeGreaterThanOrEqual(900);
  // the held parts rendered once as the batch began (disabled), then never while it converted
  expect(new Set(converting.map((l) => l.held.join(','))).size).toBe(1);
  // and they are drawn again at the end (enabled again)
  const after = await page.locator('.still').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-renders'))));
  after.forEach((n, i) => expect(n).toBeGreaterThan(Number(converting[0]!.held[i])));
  await expect(page.getByLabel('Width', { exact: true })).toBeEnabled();
});

test('during a batch the page renders once per update of its model: nothing else re-renders it as the batch starts, and an announcement (each 10%) re-renders the announcer alone', async ({ page }) => {
  const input = photoFarm(60);
  await page.goto(ui().url);
  await addByPath(page, input);
  await page.getByLabel('Workers', { exact: true }).fill('1');
  const app = page.locator('.app');
  const counts = async () => ({ renders: Number(await app.getAttribute('data-renders')), updates: Number(await app.getAttribute('data-version')) });
  // the second batch on the same inputs (the first one also takes down the recipe's sample preview)
  for (const run of ['first', 'second']) {
    const out = join(tempDir(), `out-${run}`);
    await page.getByLabel('Output folder').fill(out);
    const before = await counts();
    await page.getByRole('button', { name: 'Convert', exact: true }).click();
    await expect(page.getByTestId('summary-output')).toHaveText(out, { timeout: 120_000 }); // this batch's summary
    await expect(page.getByTestId('state')).toHaveText('Finished');
    await expect(page.getByTestId('announcer')).toContainText('Finished'); // the end was announced (every 10% before it)
    const after = await counts();
    const [renders, updates] = [after.renders - before.renders, after.updates - before.updates];
    if (run === 'first') continue;
    expect(updates).toBeGreaterThanOrEqual(3);
    // beside them, at most two renders as the batch starts (App's own effects); Convert itself
    // renders nothing on inputs already converted, and the announcements (start, each 10%, end)
    // re-render the announcer only (10 renders for 4 updates when they re-rendered the page)
    expect(renders, `${renders} renders for ${updates} updates of the model`).toBeLessThanOrEqual(updates + 2);
  }
});
