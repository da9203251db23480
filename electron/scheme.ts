/**
 * The UI is served from `app://photopool/` (a privileged, standard, secure scheme) rather than
 * file://: the page gets a real origin, the CSP arrives as a response header, and only files of
 * the built renderer (plus the bundled README, as the Help page) can be reached.
 */
import { net, protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

export const APP_ORIGIN = 'app://photopool';
export const INDEX_URL = `${APP_ORIGIN}/index.html`;
export const HELP_URL = `${APP_ORIGIN}/help`;

/** The page's Content-Security-Policy (sent as a header with every app:// response). */
export const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data: photopool-file:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Call before `app` is ready. */
export function registerSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    { scheme: 'photopool-file', privileges: { standard: true, secure: true, supportFetchAPI: false } },
  ]);
}

const escape = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/**
 * Serve `rendererDir` on app://photopool/ and `readme` (inside app.asar: the system cannot open
 * it) as the Help page.
 *
 * @example
 * handleAppScheme(join(app.getAppPath(), 'dist/renderer'), join(app.getAppPath(), 'README.md'));
 */
export function handleAppScheme(rendererDir: string, readme: string): void {
  const root = resolve(rendererDir);
  const headers = { 'content-security-policy': CSP, 'x-content-type-options': 'nosniff' };
  protocol.handle('app', async (req) => {
    const url = new URL(req.url);
    if (url.host !== 'photopool') return new Response('not found', { status: 404 });
    if (url.pathname === '/help') {
      const text = await readFile(readme, 'utf8').catch(() => 'The README is missing from this build.');
      const html = `<!doctype html><meta charset="utf-8"><title>PhotoPool help</title><style>body{font:14px/1.5 system-ui,sans-serif;margin:1.5rem;max-width:60rem}pre{white-space:pre-wrap}</style><pre>${escape(text)}</pre>`;
      return new Response(html, { headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
    }
    const file = resolve(join(root, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(root + sep)) return new Response('forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).href);
    return new Response(res.body, { status: res.status, headers: { ...headers, 'content-type': res.headers.get('content-type') ?? 'application/octet-stream' } });
  });
}
