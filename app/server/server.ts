/**
 * Browser mode: serves the built React app and the UI contract over a WebSocket, on 127.0.0.1
 * only, guarded by a random token (in the printed URL), the Host and Origin headers and a
 * message size limit. Every request payload is validated against common/contract.ts.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { UploadReply } from '../../common/contract.js';
import { ClientMessageSchema, MAX_MESSAGE_BYTES, type ServerMessage } from '../../common/wire.js';
import { wireError } from '../session/wire-error.js';
import { findRendererDir, reply, sendFile, serveStatic, tokenMatches } from './http.js';
import { frames } from './frames.js';
import { sendOutputsZip } from './outputs.js';
import { DEFAULT_UPLOAD_LIMITS, openStagingDir, stagingRoot, UploadRefused, Uploads, type UploadLimits } from './uploads.js';
import type { Session } from '../session/session.js';

export interface UiServer {
  /** The URL to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The folder dropped files are uploaded into. */
  readonly stagingDir: string;
  close(): Promise<void>;
}

export interface UiServerOptions {
  session: Session;
  /** 0 = any free port. */
  port?: number;
  /** Folder of the built app; default: dist/renderer. */
  rendererDir?: string;
  /** Bounds of dropped-file uploads (defaults: DEFAULT_UPLOAD_LIMITS). */
  uploadLimits?: Partial<UploadLimits>;
  /** Where drops are staged (default: {@link stagingRoot}). */
  stagingRoot?: string;
  /** Free bytes on the staging disk (tests inject it; default: statfs). */
  freeBytes?: (dir: string) => Promise<number>;
}

/**
 * Start the browser-mode server on 127.0.0.1.
 *
 * @example
 * const server = await startUiServer({ session: new Session({ spawn: (n) => spawnEngine({ maxWorkers: n }) }) });
 * console.log(server.url);
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { session } = options;
  const rendererDir = options.rendererDir ?? findRendererDir();
  if (!rendererDir) throw new Error('The UI is not built: dist/renderer is missing. Run "npm run build" first.');
  const token = randomBytes(24).toString('base64url');
  const stagingDir = openStagingDir(options.stagingRoot ?? stagingRoot());
  const uploads = new Uploads(stagingDir, { ...DEFAULT_UPLOAD_LIMITS, ...options.uploadLimits }, options.freeBytes);
  let port = 0;
  const origins = () => [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const originOk = (req: IncomingMessage, required: boolean) => (req.headers.origin === undefined ? !required : origins().includes(req.headers.origin));
  const csp = () =>
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' blob: data:",
      `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
      "object-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; ');

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostOk(req)) return reply(res, 421, 'wrong host');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!url.pathname.startsWith('/api/')) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(res, 405, 'method not allowed');
      return serveStatic(res, rendererDir!, url.pathname, csp());
    }
    const presented = req.headers['x-photopool-token'] ?? url.searchParams.get('token');
    if (!tokenMatches(Array.isArray(presented) ? presented[0] : presented, token)) return reply(res, 403, 'bad or missing token');
    if (!originOk(req, false)) return reply(res, 403, 'origin refused');
    if (url.pathname === '/api/file' && req.method === 'GET') {
      const path = url.searchParams.get('path') ?? '';
      if (!path || !session.isServable(path)) return reply(res, 403, 'not a file of the current batch');
      return sendFile(res, resolve(path), { 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'" });
    }
    if (url.pathname === '/api/outputs.zip' && req.method === 'GET') {
      const b = session.snapshot.batch;
      return sendOutputsZip(res, b && { output: b.spec.output, finished: b.state === 'done' });
    }
    if (url.pathname === '/api/upload' && req.method === 'PUT') {
      let root: string;
      try {
        ({ root } = await uploads.receive(req, url.searchParams.get('drop') ?? '', url.searchParams.get('path') ?? ''));
      } catch (err) {
        if (!(err instanceof UploadRefused)) throw err;
        if (!req.complete) res.setHeader('connection', 'close'); // the rest of the body is not read
        return reply(res, err.status, `upload refused: ${err.message}`);
      }
      const body: UploadReply = { root, files: 1 };
      return reply(res, 200, JSON.stringify(body), 'application/json');
    }
    return reply(res, 404, 'not found');
  }

  const http = createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) reply(res, 500, (err as Error).message);
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
  });
  http.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const refuse = (status: number, why: string) => {
      socket.end(`HTTP/1.1 ${status} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/api/ws') return refuse(404, 'Not Found');
    if (!hostOk(req)) return refuse(421, 'Misdirected Request');
    if (!tokenMatches(url.searchParams.get('token'), token)) return refuse(403, 'Forbidden');
    if (!originOk(req, true)) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => connected(ws));
  });

  function connected(ws: WebSocket): void {
    const out = frames((text) => ws.readyState === ws.OPEN && ws.send(text));
    const send = (m: Extract<ServerMessage, { kind: 'reply' }>) => out.reply(m);
    const off = session.subscribe((name, payload) => out.event(name, payload));
    ws.on('close', () => {
      off();
      out.close();
    });
    ws.on('error', () => ws.terminate());
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text only');
      let raw: unknown;
      try {
        raw = JSON.parse(data.toString());
      } catch {
        return ws.close(1007, 'not JSON');
      }
      const msg = ClientMessageSchema.safeParse(raw);
      if (!msg.success) {
        const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
        return send({ kind: 'reply', id, ok: false, error: { message: 'malformed message: ' + msg.error.issues.map((i) => i.message).join('; ') } });
      }
      const { id, name, payload } = msg.data;
      session.request(name, payload).then(
        (result) => send({ kind: 'reply', id, ok: true, result }),
        (err) => send({ kind: 'reply', id, ok: false, error: wireError(err) }),
      );
    });
  }

  await new Promise<void>((res, rej) => {
    http.once('error', rej);
    http.listen(options.port ?? 0, '127.0.0.1', () => res());
  });
  port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    stagingDir,
    close: async () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      const closed = new Promise<void>((res) => http.close(() => res()));
      // close() waits for every open connection: a page's request still in flight (an image, a
      // stalled upload) would hold the server, and `photopool ui`'s Ctrl-C, open for good
      http.closeAllConnections();
      await closed;
      rmSync(stagingDir, { recursive: true, force: true });
    },
  };
}
