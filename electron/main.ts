/**
 * Electron main: one window (single instance) with the React UI served from app://photopool/
 * (electron/scheme.ts), the engine as a utility process (electron/engine.ts), the contract's
 * requests as IPC handlers that check the sender and validate every payload, the shared
 * settings file (window bounds too), taskbar progress and a notification when a batch ends.
 * Every permission request is denied except notifications.
 */
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session as electronSession, shell, type IpcMainInvokeEvent, type WebFrameMain } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { REQUEST_NAMES, type EventName, type EventOf } from '../common/contract.js';
import type { EngineEvent } from '../common/events.js';
import { IPC_EVENT_CHANNEL, ipcChannel } from '../common/wire.js';
import { wireError } from '../app/session/wire-error.js';
import { Session } from '../app/session/session.js';
import { SettingsStore } from '../app/settings.js';
import { forkEngine } from './engine.js';
import { setMenu } from './menu.js';
import { batchFeedback } from './notify.js';
import { handleAppScheme, INDEX_URL, registerSchemes } from './scheme.js';
import { singleInstance, startPaths } from './instance.js';

const here = join(app.getAppPath(), 'dist');
let win: BrowserWindow | null = null;
let session: Session | null = null;
const settings = new SettingsStore();

registerSchemes();

/** Only our own top frame, showing our own page, may call the API. */
function trusted(frame: WebFrameMain | null): boolean {
  return !!win && !!frame && frame === win.webContents.mainFrame && frame.url.split(/[?#]/)[0] === INDEX_URL;
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
        return { ok: false, error: wireError(err) };
      }
    });
  }
}

/** Add paths (second launch, "Open with", a drop on the dock icon) as inputs. */
function addPaths(paths: string[]): void {
  for (const path of paths) void session?.request('addFolder', { path }).catch((err: Error) => dialog.showErrorBox('PhotoPool could not add it', `${path}: ${err.message}`));
}

function focus(): void {
  if (!win) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

function createWindow(): void {
  const bounds = settings.get().window;
  win = new BrowserWindow({
    ...(bounds ?? { width: 1400, height: 950 }),
    title: 'PhotoPool',
    show: false,
    webPreferences: { preload: join(here, 'electron', 'preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, spellcheck: false },
  });
  win.webContents.on('will-navigate', (e) => e.preventDefault());
  win.webContents.on('will-redirect', (e) => e.preventDefault());
  win.once('ready-to-show', () => win?.show());
  win.on('close', () => {
    if (!win || win.isMinimized() || win.isFullScreen()) return;
    try {
      settings.update({ window: win.getNormalBounds() });
    } catch {
      // an unwritable config folder must not stop the window from closing
    }
  });
  win.on('closed', () => (win = null));
  void win.loadURL(INDEX_URL);
}

if (!singleInstance(addPaths, focus)) {
  app.quit(); // the running PhotoPool received our paths
} else {
  app.on('web-contents-created', (_e, contents) => {
    contents.on('will-attach-webview', (e) => e.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });

  app.whenReady().then(() => {
    // Deny every permission (camera, geolocation, ...) but notifications.
    const allowed = (permission: string) => permission === 'notifications';
    electronSession.defaultSession.setPermissionRequestHandler((_wc, permission, cb) => cb(allowed(permission)));
    electronSession.defaultSession.setPermissionCheckHandler((_wc, permission) => allowed(permission));
    handleAppScheme(join(here, 'renderer'), join(app.getAppPath(), 'README.md'));

    // The same app-side session as browser mode, with native dialogs and the system file manager.
    session = new Session({
      spawn: forkEngine,
      settings,
      pickFolder: async (purpose) => {
        const opts = { title: purpose === 'input' ? 'Add a folder of images' : 'Choose the output folder', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
        const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
        return r.canceled ? null : (r.filePaths[0] ?? null);
      },
      showInFolder: (path) => shell.showItemInFolder(path),
      openPath: async (path) => (await shell.openPath(path)) || null,
    });
    const s = session;
    const feedback = batchFeedback(() => win);
    s.subscribe((name, payload) => {
      emit(name, payload);
      if (name === 'engine') feedback(payload as EngineEvent);
    });
    // Files of the current batch only (before/after preview).
    protocol.handle('photopool-file', (req) => {
      const path = new URL(req.url).searchParams.get('path') ?? '';
      if (!path || !s.isServable(path)) return new Response('forbidden', { status: 403 });
      return net.fetch(pathToFileURL(path).href);
    });
    registerIpc(s);
    setMenu(
      () => win,
      () => void s.request('pickFolder', { purpose: 'input' }).then((r) => r.path && addPaths([r.path])),
    );
    createWindow();
    addPaths(startPaths());
    if (settings.problem) void dialog.showMessageBox({ type: 'warning', title: 'PhotoPool settings', message: 'Your settings file could not be used', detail: settings.problem });
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
}
