/**
 * Electron main: one window with the React UI (dist/renderer), an app menu, native dialogs, the
 * engine as a utility process (electron/engine.ts), and the contract's requests as IPC handlers
 * that check the sender and validate every payload.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, net, protocol, session as electronSession, shell, type IpcMainInvokeEvent, type MenuItemConstructorOptions, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REQUEST_NAMES, type EventName, type EventOf } from '../common/contract.js';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../common/wire.js';
import { InvalidOptionsError } from '../common/validate.js';
import { Session } from '../app/session/session.js';
import { forkEngine } from './engine.js';

const here = join(app.getAppPath(), 'dist');
const INDEX = join(here, 'renderer', 'index.html');
const INDEX_URL = pathToFileURL(INDEX).href;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data: photopool-file:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

let win: BrowserWindow | null = null;
let session: Session | null = null;

protocol.registerSchemesAsPrivileged([{ scheme: 'photopool-file', privileges: { standard: true, secure: true, supportFetchAPI: false } }]);

/** Only our own top frame, showing our own page, may call the API. */
function trusted(frame: WebFrameMain | null): boolean {
  return !!win && !!frame && frame === win.webContents.mainFrame && frame.url.split('?')[0] === INDEX_URL;
}

function emit<N extends EventName>(name: N, payload: EventOf<N>): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_EVENT_CHANNEL, { name, payload });
}

function registerIpc(s: Session): void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(ipcChannel(name), async (event: IpcMainInvokeEvent, payload: unknown) => {
      if (!trusted(event.senderFrame)) return { ok: false, error: { message: 'refused: unknown sender' } };
      try {
        return { ok: true, result: await s.request(name, payload) };
      } catch (err) {
        const problems = err instanceof InvalidOptionsError ? err.problems : undefined;
        return { ok: false, error: { message: (err as Error).message, problems } };
      }
    });
  }
}

function menu(): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: () => void session?.request('pickFolder', { purpose: 'input' }).then(async (r) => { if (r.path) await session?.request('addFolder', { path: r.path }); }) },
        { type: 'separator' },
        process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'PhotoPool on GitHub', click: () => void shell.openExternal('https://github.com/') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

function createWindow(): void {
  win = new BrowserWindow({
    width: 1400,
    height: 950,
    title: 'PhotoPool',
    show: false,
    webPreferences: {
      preload: join(here, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.once('ready-to-show', () => win?.show());
  win.on('closed', () => (win = null));
  void win.loadFile(INDEX);
}

app.on('web-contents-created', (_e, contents) => {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.whenReady().then(() => {
  // The same app-side session as browser mode, with native dialogs and show-in-folder.
  session = new Session({
    spawn: forkEngine,
    pickFolder: async (purpose) => {
      const opts = { title: purpose === 'input' ? 'Add a folder of images' : 'Choose the output folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    showInFolder: (path) => shell.showItemInFolder(path),
  });
  const s = session;
  s.subscribe(emit);
  // Files of the current batch only (before/after preview).
  protocol.handle('photopool-file', (req) => {
    const path = new URL(req.url).searchParams.get('path') ?? '';
    if (!path || !s.isServable(path)) return new Response('forbidden', { status: 403 });
    return net.fetch(pathToFileURL(path).href);
  });
  registerIpc(s);
  // A strict CSP on every response of the window's session (the page also carries it in a meta tag).
  electronSession.defaultSession.webRequest.onHeadersReceived((details, cb) => cb({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } }));
  menu();
  createWindow();
  app.on('activate', () => {
    if (!BrowserWindow.getAllWindows().length) createWindow();
  });
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting || !session) return;
  e.preventDefault();
  quitting = true;
  void session.dispose().finally(() => app.quit());
});
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
