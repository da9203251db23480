/**
 * The application menu: File (add a folder), Edit, View, Window, and Help with the bundled README
 * (shown inside the app: a file inside app.asar cannot be opened by the system) and About.
 */
import { app, BrowserWindow, dialog, Menu, type MenuItemConstructorOptions } from 'electron';
import { capabilities } from '../app/capabilities.js';
import { HELP_URL } from './scheme.js';

/** The About dialog: versions, and whether the JPEG luma lane is on. */
async function about(parent: BrowserWindow | null): Promise<void> {
  const c = await capabilities().catch(() => null);
  const lane = c?.lumaLane ? `on (libturbojpeg: ${c.lumaLane})` : process.platform === 'linux' ? 'off: no TurboJPEG 3 library found, sharp alone' : 'off on this platform (its libturbojpeg builds are Linux-only): sharp alone';
  const detail = [
    `PhotoPool ${app.getVersion()}`,
    `Electron ${process.versions.electron}, Chromium ${process.versions.chrome}, Node ${process.versions.node}`,
    c ? `sharp ${c.sharp}, libvips ${c.libvips}` : 'sharp: could not be loaded',
    `JPEG luma lane: ${lane}`,
    `HEIC decoder: ${c?.heic ?? 'none'}`,
  ].join('\n');
  const opts = { type: 'info' as const, title: 'About PhotoPool', message: 'PhotoPool', detail, buttons: ['OK'] };
  await (parent ? dialog.showMessageBox(parent, opts) : dialog.showMessageBox(opts));
}

/** A window showing the bundled README. */
function help(): void {
  const w = new BrowserWindow({ width: 900, height: 800, title: 'PhotoPool help', webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false } });
  w.webContents.on('will-navigate', (e) => e.preventDefault());
  void w.loadURL(HELP_URL);
}

/**
 * @param addFolder the File menu's "Add Folder…"
 * @example
 * setMenu(() => win, () => void pickAndAdd());
 */
export function setMenu(win: () => BrowserWindow | null, addFolder: () => void): void {
  const aboutItem = { label: 'About PhotoPool', click: () => void about(win()) };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ label: app.name, submenu: [aboutItem, { type: 'separator' as const }, { role: 'quit' as const }] }] : []),
    { label: 'File', submenu: [{ label: 'Add Folder…', accelerator: 'CmdOrCtrl+O', click: addFolder }, { type: 'separator' }, process.platform === 'darwin' ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: [{ role: 'reload' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }] },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'PhotoPool Help (README)', accelerator: 'F1', click: help }, ...(process.platform === 'darwin' ? [] : [aboutItem])] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
