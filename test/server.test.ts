/**
 * Browser-mode server (app/server): every guard answers with its exact status and nothing
 * happens behind it (no file served or staged, no command reaches the engine); uploads are
 * bounded (file size, files and bytes per drop, free space) and staged under the app's own
 * folder, swept after a crash.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import type { EngineCommand, EngineEvent } from '../common/events.js';
import { startUiServer, type UiServer } from '../app/server/server.js';
import { safeRelative } from '../app/server/uploads.js';
import { Session, type EngineLike } from '../app/session/session.js';
import { listFiles, tempDir } from './helpers.js';

/** An engine that records commands and never answers. */
function fakeEngine() {
  const sent: EngineCommand[] = [];
  const engine: EngineLike = {
    send: (c) => void sent.push(c),
    onEvent: (_fn: (e: EngineEvent) => void) => () => undefined,
    exited: new Promise(() => undefined),
    pid: undefined,
    close: () => undefined,
    kill: () => undefined,
  };
  return { engine, sent };
}

let servers: UiServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

async function start(opts: Partial<Parameters<typeof startUiServer>[0]> = {}) {
  const renderer = tempDir('renderer');
  mkdirSync(join(renderer, 'assets'));
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>PhotoPool</title>');
  const root = opts.stagingRoot ?? tempDir('staging');
  const { engine, sent } = fakeEngine();
  const session = new Session({ spawn: () => engine });
  const server = await startUiServer({ session, rendererDir: renderer, stagingRoot: root, ...opts });
  servers.push(server);
  return { server, sent, root };
}

interface Answer {
  status: number;
  body: string;
}
function http(server: UiServer, method: string, path: string, opts: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, method, path, headers: { host: `127.0.0.1:${server.port}`, ...opts.headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}
const put = (s: UiServer, drop: string, path: string, body: Buffer | string, headers: Record<string, string> = {}) =>
  http(s, 'PUT', `/api/upload?drop=${drop}&path=${encodeURIComponent(path)}`, { body, headers: { 'x-photopool-token': s.token, ...headers } });

describe('HTTP guards: exact status, nothing done', () => {
  it('token: missing or wrong is 403 and serves nothing; a file outside the batch is 403', async () => {
    const { server } = await start();
    const secret = join(tempDir('secret'), 'secret.txt');
    writeFileSync(secret, 'TOP SECRET');
    const path = `/api/file?path=${encodeURIComponent(secret)}`;
    for (const headers of [{}, { 'x-photopool-token': 'wrong' }, { 'x-photopool-token': server.token.slice(1) }] as Record<string, string>[]) {
      const a = await http(server, 'GET', path, { headers });
      expect(a).toEqual({ status: 403, body: 'bad or missing token' });
    }
    const b = await http(server, 'GET', path, { headers: { 'x-photopool-token': server.token } });
    expect(b).toEqual({ status: 403, body: 'not a file of the current batch' });
  });

  it('Host: any other than 127.0.0.1/localhost:<port> is 421, for the app and the API alike', async () => {
    const { server } = await start();
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      expect(await http(server, 'GET', '/', { headers: { host } })).toEqual({ status: 421, body: 'wrong host' });
      expect((await put(server, 'd1', 'a.jpg', 'x', { host })).status).toBe(421);
    }
    expect(listFiles(server.stagingDir)).toEqual([]);
    expect((await http(server, 'GET', '/')).status).toBe(200);
  });

  it('Origin: a page of another origin is refused (403) and uploads nothing', async () => {
    const { server } = await start();
    const a = await put(server, 'd1', 'a.jpg', 'x', { origin: 'http://evil.example' });
    expect(a).toEqual({ status: 403, body: 'origin refused' });
    expect(listFiles(server.stagingDir)).toEqual([]);
    expect((await put(server, 'd1', 'a.jpg', 'x', { origin: `http://127.0.0.1:${server.port}` })).status).toBe(200);
    expect(listFiles(server.stagingDir)).toEqual(['d1/a.jpg']);
  });

  it('methods: only GET/HEAD for the app (405); unknown API paths 404', async () => {
    const { server } = await start();
    expect(await http(server, 'POST', '/')).toEqual({ status: 405, body: 'method not allowed' });
    expect((await http(server, 'GET', '/api/nothing', { headers: { 'x-photopool-token': server.token } })).status).toBe(404);
  });

  it('WebSocket: no token or another origin 403, another host 421, an oversized message closes 1009; no command reaches the engine', async () => {
    const { server, sent } = await start();
    const connect = (token: string | null, headers: Record<string, string> = {}, origin = `http://127.0.0.1:${server.port}`) =>
      new Promise<WebSocket | number>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${server.port}/api/ws${token ? `?token=${token}` : ''}`, { origin, headers });
        ws.on('open', () => resolve(ws));
        ws.on('unexpected-response', (_q, res) => resolve(res.statusCode!));
        ws.on('error', () => resolve(-1));
      });
    expect(await connect(null)).toBe(403);
    expect(await connect('wrong')).toBe(403);
    expect(await connect(server.token, {}, 'http://evil.example')).toBe(403);
    expect(await connect(server.token, { host: 'evil.example' })).toBe(421);
    const ws = (await connect(server.token)) as WebSocket;
    const closed = new Promise<number>((r) => ws.on('close', (c) => r(c)));
    ws.send(JSON.stringify({ kind: 'request', id: 1, name: 'pause', payload: {}, pad: 'x'.repeat(1024 * 1024) }));
    expect(await closed).toBe(1009);
    expect(sent).toEqual([]);
  });
});

describe('uploads are bounded, named safely and staged in the app cache', () => {
  it('refuses a file over the size limit (413) and keeps nothing of it', async () => {
    const { server } = await start({ uploadLimits: { maxFileBytes: 1000 } });
    const a = await put(server, 'd1', 'big.jpg', Buffer.alloc(5000));
    expect(a.status).toBe(413);
    expect(a.body).toMatch(/^upload refused: big\.jpg is larger than 0 MiB: add the folder by its path instead/);
    expect(listFiles(server.stagingDir)).toEqual([]);
    // without a Content-Length (chunked), the stream is cut at the limit
    const chunked = await put(server, 'd1', 'big2.jpg', Buffer.alloc(5000), { 'transfer-encoding': 'chunked' });
    expect(chunked.status).toBe(413);
    expect(listFiles(server.stagingDir)).toEqual([]);
  });

  it('refuses the file after the last one a drop may hold (413), and a drop over its bytes', async () => {
    const { server } = await start({ uploadLimits: { maxDropFiles: 2, maxDropBytes: 250 } });
    expect((await put(server, 'd1', 'a.jpg', Buffer.alloc(100))).status).toBe(200);
    expect((await put(server, 'd1', 'b.jpg', Buffer.alloc(100))).status).toBe(200);
    const third = await put(server, 'd1', 'c.jpg', Buffer.alloc(10));
    expect(third).toEqual({ status: 413, body: 'upload refused: a drop holds at most 2 files: add the folder by its path instead (Add folder), which copies nothing' });
    expect((await put(server, 'd2', 'a.jpg', Buffer.alloc(200))).status).toBe(200);
    const over = await put(server, 'd2', 'b.jpg', Buffer.alloc(100));
    expect(over.status).toBe(413);
    expect(over.body).toMatch(/a drop holds at most 0 MiB/);
    expect(listFiles(server.stagingDir)).toEqual(['d1/a.jpg', 'd1/b.jpg', 'd2/a.jpg']);
  });

  it('refuses an upload that would leave the staging disk under its free-space reserve (507)', async () => {
    const { server } = await start({ uploadLimits: { minFreeBytes: 10 * 2 ** 20 }, freeBytes: async () => 10 * 2 ** 20 + 500 });
    expect((await put(server, 'd1', 'small.jpg', Buffer.alloc(400))).status).toBe(200);
    const a = await put(server, 'd1', 'big.jpg', Buffer.alloc(1000));
    expect(a.status).toBe(507);
    expect(a.body).toContain(`upload refused: the staging disk (${server.stagingDir}) would have less than 10 MiB free`);
    expect(listFiles(server.stagingDir)).toEqual(['d1/small.jpg']);
  });

  it('refuses names that escape or mean a device on Windows (400), staging nothing', async () => {
    const { server } = await start();
    for (const name of ['../evil.jpg', 'a/../../evil.jpg', 'C:evil.jpg', 'x:y/a.jpg', 'CON', 'con.jpg', 'trip/LPT1.txt', 'NUL.tar.gz', 'COM9', 'a\\b.jpg', 'a\u0001.jpg', '']) {
      const a = await put(server, 'd1', name, 'x');
      expect(a.status, name).toBe(400);
    }
    expect(listFiles(server.stagingDir)).toEqual([]);
    expect(safeRelative('trip/day 1/CONTROL.jpg')).toBe('trip/day 1/CONTROL.jpg');
    expect(safeRelative('console.jpg')).toBe('console.jpg');
  });

  it('closes with a request still in flight (a stalled upload): the connection is cut, nothing of it staged', async () => {
    const { server, root } = await start();
    servers = servers.filter((s) => s !== server);
    const socket = connect(server.port, '127.0.0.1');
    await new Promise((res) => socket.once('connect', res));
    const cut = new Promise((res) => socket.once('close', res));
    socket.on('error', () => undefined);
    // headers and 10 of the 1 000 bytes promised, then nothing more
    socket.write(`PUT /api/upload?drop=d1&path=a.jpg HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nx-photopool-token: ${server.token}\r\nContent-Length: 1000\r\n\r\n0123456789`);
    await new Promise((res) => setTimeout(res, 200));
    const closing = server.close();
    const outcome = await Promise.race([closing.then(() => 'closed'), new Promise((res) => setTimeout(() => res('still open after 5 s'), 5000))]);
    expect(outcome).toBe('closed');
    await cut;
    expect(listFiles(root)).toEqual([]);
  });

  it('stages under its own root, sweeps the folders of servers that died, keeps live ones, cleans up on close', async () => {
    const root = tempDir('staging-root');
    const dead = join(root, '999999999-abc123');
    mkdirSync(dead);
    writeFileSync(join(dead, 'left.jpg'), 'x');
    const sleeper = spawn('sleep', ['60'], { stdio: 'ignore' });
    onTestFinished(() => void sleeper.kill());
    const live = join(root, `${sleeper.pid}-def456`);
    mkdirSync(live);
    const { server } = await start({ stagingRoot: root });
    expect(server.stagingDir.startsWith(root + '/')).toBe(true);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect((await put(server, 'd1', 'a.jpg', 'x')).status).toBe(200);
    await servers.pop()!.close();
    expect(readdirSync(root)).toEqual([`${sleeper.pid}-def456`]);
  });
});
