/**
 * Browser-mode security: the page cannot reach Node, the WebSocket refuses bad payloads, other
 * origins, missing tokens and oversized messages; files outside the batch are not served.
 */
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { startUi, type Ui } from './helpers.js';

let ui: Ui;
test.beforeAll(async () => {
  ui = await startUi();
});
test.afterAll(async () => {
  expect(await ui.stop()).toBe(0);
});

const wsUrl = (token: string | null) => `${ui.origin.replace('http', 'ws')}/api/ws${token === null ? '' : `?token=${token}`}`;

/** Connect with the given Origin; resolves to the socket, or the HTTP status it was refused with. */
function connect(token: string | null, origin: string): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(wsUrl(token), { origin });
    ws.on('open', () => resolve(ws));
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(-1));
  });
}

test('the renderer cannot reach Node: require and process are undefined', async ({ page }) => {
  await page.goto(ui.url);
  await expect(page.getByRole('heading', { name: 'PhotoPool' })).toBeVisible();
  const globals = await page.evaluate(() => ({
    require: typeof (globalThis as { require?: unknown }).require,
    process: typeof (globalThis as { process?: unknown }).process,
    module: typeof (globalThis as { module?: unknown }).module,
  }));
  expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined' });
  const csp = (await page.request.get(ui.url)).headers()['content-security-policy'];
  expect(csp).toContain("script-src 'self'");
});

test('a request with a bad payload is refused with the field named; a good one is served', async ({ page }) => {
  await page.goto(ui.url);
  const replies = await page.evaluate(async (token) => {
    const ws = new WebSocket(`ws://${location.host}/api/ws?token=${token}`);
    await new Promise((r) => (ws.onopen = r));
    const ask = (m: unknown) =>
      new Promise<unknown>((resolve) => {
        const id = (m as { id: number }).id;
        const on = (ev: { data: unknown }) => {
          const d = JSON.parse(String(ev.data));
          if (d.kind === 'reply' && d.id === id) {
            ws.removeEventListener('message', on);
            resolve(d);
          }
        };
        ws.addEventListener('message', on);
        ws.send(JSON.stringify(m));
      });
    const out = [
      await ask({ kind: 'request', id: 1, name: 'setWorkers', payload: { workers: 'many' } }),
      await ask({ kind: 'request', id: 2, name: 'start', payload: { spec: { inputs: [], output: '/tmp/x', quality: 500 } } }),
      await ask({ kind: 'request', id: 3, name: 'setWorkers', payload: { workers: 2, extra: true } }),
      await ask({ kind: 'request', id: 4, name: 'deleteEverything', payload: {} }),
      await ask({ kind: 'request', id: 5, name: 'setWorkers', payload: { workers: 2 } }),
    ];
    ws.close();
    return out as { ok: boolean; error?: { message: string; problems?: { field: string }[] } }[];
  }, ui.token);
  expect(replies[0]!.ok).toBe(false);
  expect(replies[0]!.error!.problems!.map((p) => p.field)).toEqual(['workers']);
  expect(replies[1]!.ok).toBe(false);
  expect(replies[1]!.error!.problems!.map((p) => p.field).sort()).toEqual(['spec.inputs', 'spec.quality']);
  expect(replies[2]!.ok).toBe(false);
  expect(replies[3]!.ok).toBe(false);
  expect(replies[3]!.error!.message).toMatch(/malformed/);
  expect(replies[4]!.ok).toBe(true);
});

test('the WebSocket refuses other origins, a missing or wrong token, and oversized messages', async () => {
  expect(await connect(null, ui.origin)).toBe(403);
  expect(await connect('wrong-token', ui.origin)).toBe(403);
  expect(await connect(ui.token, 'http://evil.example')).toBe(403);
  const ws = await connect(ui.token, ui.origin);
  expect(ws).toBeInstanceOf(WebSocket);
  const closed = new Promise<number>((r) => (ws as WebSocket).on('close', (code) => r(code)));
  (ws as WebSocket).send('x'.repeat(1024 * 1024));
  expect(await closed).toBe(1009);
});

test('files are served only from the current batch and only with the token', async ({ request }) => {
  const base = ui.origin;
  expect((await request.get(`${base}/api/file?path=/etc/passwd&token=${ui.token}`)).status()).toBe(403);
  expect((await request.get(`${base}/api/file?path=/etc/passwd`)).status()).toBe(403);
  expect((await request.put(`${base}/api/upload?drop=x&path=../../evil.jpg&token=${ui.token}`, { data: 'x' })).status()).toBe(400);
  expect((await request.get(`${base}/..%2f..%2fetc/passwd`)).status()).not.toBe(200);
});
