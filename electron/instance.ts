/**
 * One PhotoPool window: a second launch, "Open with PhotoPool" on folders or images, and a drop
 * onto the dock/taskbar icon hand their paths to the running app, which adds them as inputs.
 */
import { app } from 'electron';
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';

/** Paths among command-line arguments (not flags, not the app folder itself). */
export function pathsIn(argv: readonly string[], cwd: string): string[] {
  const args = argv.slice(app.isPackaged ? 1 : 2); // packaged: [exe, ...]; dev: [electron, app, ...]
  return args.filter((a) => !a.startsWith('-')).map((a) => (isAbsolute(a) ? a : resolve(cwd, a))).filter((p) => existsSync(p));
}

/**
 * Take the single-instance lock; false means another PhotoPool runs (it received our paths):
 * quit. `open` receives paths from later launches, "Open with" and dock drops (macOS open-file).
 *
 * @example
 * if (!singleInstance((paths) => paths.forEach(addInput), focusWindow)) app.quit();
 */
export function singleInstance(open: (paths: string[]) => void, focus: () => void): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', (_e, argv, cwd) => {
    focus();
    const paths = pathsIn(argv, cwd);
    if (paths.length) open(paths);
  });
  app.on('open-file', (e, path) => {
    e.preventDefault();
    if (app.isReady()) open([path]);
    else pendingAtStart.push(path);
  });
  return true;
}

const pendingAtStart: string[] = [];

/** Paths this launch was given (argv, and macOS open-file before ready). */
export function startPaths(): string[] {
  return [...pathsIn(process.argv, process.cwd()), ...pendingAtStart.splice(0)];
}
