/**
 * HTTP helpers for browser mode: guards (token, host, origin), static files and the
 * token-guarded file endpoint (uploads: uploads.ts).
 */
import { createReadStream, existsSync, promises as fs } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { extname, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
};

/** Content type for a file name. */
export function contentType(file: string): string {
  return TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(presented: string | null | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Send a short plain-text answer. */
export function reply(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  res.end(body);
}

/** Stream a file with its content type; 404 when it is not a regular file. */
export async function sendFile(res: ServerResponse, file: string, headers: Record<string, string> = {}): Promise<void> {
  const st = await fs.stat(file).catch(() => null);
  if (!st?.isFile()) return reply(res, 404, 'not found');
  res.writeHead(200, { 'content-type': contentType(file), 'content-length': String(st.size), 'x-content-type-options': 'nosniff', ...headers });
  await pipeline(createReadStream(file), res).catch(() => res.destroy());
}

/** Locate the built React app (dist/renderer), from the built server or from its sources. */
export function findRendererDir(): string | null {
  const here = new URL('.', import.meta.url);
  for (const rel of ['../../renderer/', '../../dist/renderer/']) {
    const dir = new URL(rel, here);
    if (existsSync(new URL('index.html', dir)) && existsSync(new URL('assets/', dir))) return decodeURIComponent(dir.pathname);
  }
  return null;
}

/** Serve a file of the built app; the path is confined to `root`. */
export async function serveStatic(res: ServerResponse, root: string, urlPath: string, csp: string): Promise<void> {
  const rel = decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath);
  const file = resolve(root, '.' + rel);
  if (!file.startsWith(resolve(root) + sep)) return reply(res, 403, 'forbidden');
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  if (file.endsWith('.html')) Object.assign(headers, { 'content-security-policy': csp, 'x-frame-options': 'DENY', 'referrer-policy': 'no-referrer' });
  await sendFile(res, file, headers);
}
