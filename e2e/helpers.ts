/**
 * Test helpers: start browser mode (`photopool ui --port 0`) and read its URL, and build input
 * folders from real photos (hard links, so hundreds of files cost no disk).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';

export const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
/** The 47 shared photos beside the project (may be absent in a bare clone). */
export const SHARED_PHOTOS = resolve(ROOT, '../shared/photos');
/** The project's own small sample images. */
export const SAMPLES = join(ROOT, 'assets/samples');

export interface Ui {
  url: string;
  origin: string;
  token: string;
  process: ChildProcess;
  /** Ctrl-C the server (cancels a running batch) and wait for it to exit. */
  stop(): Promise<number | null>;
}

/**
 * Start `node bin/photopool ui --port 0` (with `env` added to this process's) and wait for its URL.
 * Its settings live in a fresh config folder unless `env.PHOTOPOOL_CONFIG_DIR` names one.
 */
export async function startUi(env: Record<string, string> = {}): Promise<Ui> {
  const config = { PHOTOPOOL_CONFIG_DIR: tempDir('config') };
  const child = spawn(process.execPath, [join(ROOT, 'bin/photopool'), 'ui', '--port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...config, ...env } });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    const timer = setTimeout(() => rej(new Error(`photopool ui printed no URL in 20 s: ${out} ${err}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PhotoPool UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        res(m[1]!);
      }
    });
    child.on('exit', (code) => rej(new Error(`photopool ui exited (${code}): ${err}`)));
  });
  const u = new URL(url);
  const exited = new Promise<number | null>((res) => child.on('exit', (code) => res(code)));
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    process: child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const t = setTimeout(() => child.kill('SIGKILL'), 20_000);
      const code = await exited;
      clearTimeout(t);
      return code;
    },
  };
}

const created: string[] = [];

/** A fresh temporary folder (removed by {@link removeTempDirs}). */
export function tempDir(prefix = 'pp-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  created.push(dir);
  return dir;
}

/** Remove every folder {@link tempDir} made. */
export function removeTempDirs(): void {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** JPEG photos to test with: the shared photos when present, else the project's samples. */
export function photoFiles(): string[] {
  const dir = existsSync(SHARED_PHOTOS) ? SHARED_PHOTOS : SAMPLES;
  return listFiles(dir).filter((f) => /\.jpe?g$/i.test(f));
}

/** Every regular file below `dir`, recursively (absolute paths, sorted). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/** A folder of `count` photos (hard links to the real ones, copies where links fail). */
export function photoFarm(count: number, files = photoFiles()): string {
  const dir = tempDir('pp-farm-');
  for (let i = 0; i < count; i++) {
    const src = files[i % files.length]!;
    const dst = join(dir, `${String(i).padStart(4, '0')}_${basename(src)}`);
    try {
      linkSync(src, dst);
    } catch {
      copyFileSync(src, dst);
    }
  }
  return dir;
}

/** A folder with `good` real photos and three broken "JPEGs" (truncated, garbage, text). */
export function corruptFolder(good: number): { dir: string; bad: string[] } {
  const dir = photoFarm(good);
  const src = readFileSync(photoFiles()[0]!);
  const bad = ['truncated.jpg', 'garbage.jpg', 'text.jpg'];
  writeFileSync(join(dir, bad[0]!), src.subarray(0, Math.floor(src.length / 3)));
  writeFileSync(join(dir, bad[1]!), Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4096, 0x5a)]));
  writeFileSync(join(dir, bad[2]!), 'this is not an image\n'.repeat(50));
  return { dir, bad };
}

/** Output files (not temporary) under `dir`, relative names without extension. */
export function outputStems(dir: string): string[] {
  return listFiles(dir)
    .filter((f) => !f.endsWith('.photopool-tmp') && !basename(f).startsWith('.'))
    .map((f) => relative(dir, f).slice(0, -extname(f).length));
}

/** Leftover temporary files of a batch below `dir`. */
export function tmpLeftovers(dir: string): string[] {
  return listFiles(dir).filter((f) => f.endsWith('.photopool-tmp'));
}

/** True when `file` is a complete JPEG (SOI at the start, EOI at the end). */
export function isCompleteJpeg(file: string): boolean {
  const b = readFileSync(file);
  return statSync(file).size > 4 && b[0] === 0xff && b[1] === 0xd8 && b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9;
}

/** Make a folder (recursive) and return it. */
export function ensureDir(p: string): string {
  mkdirSync(p, { recursive: true });
  return p;
}

/**
 * Start browser mode before each test of the calling file and stop it (expecting a clean exit)
 * after, removing the test's temporary folders; returns a getter for the running UI.
 */
export function useUi(): () => Ui {
  let ui: Ui | undefined;
  test.beforeEach(async () => {
    ui = await startUi();
  });
  test.afterEach(async () => {
    expect(await ui!.stop()).toBe(0);
    removeTempDirs();
  });
  return () => ui!;
}

/** Drop `files` (real files on disk, sent by name) onto the drop zone as a browser drop does. */
export async function dropFiles(page: Page, files: string[]): Promise<void> {
  const payload = files.map((f) => ({ name: basename(f), b64: readFileSync(f).toString('base64') }));
  await expect(page.getByTestId('dropzone')).toBeVisible();
  await page.evaluate((items) => {
    const dt = new DataTransfer();
    for (const it of items) {
      const bin = Uint8Array.from(atob(it.b64), (c) => c.charCodeAt(0));
      dt.items.add(new File([bin], it.name, { type: 'image/jpeg' }));
    }
    const zone = document.querySelector('[data-testid="dropzone"]')!;
    for (const type of ['dragenter', 'dragover', 'drop']) zone.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: dt }));
  }, payload);
}

/** Add a folder by typing its path, and wait until its quick count shows. */
export async function addByPath(page: Page, dir: string): Promise<void> {
  await page.getByLabel('Folder path').fill(dir);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  await expect(page.getByTestId('folder').filter({ hasText: dir })).toContainText('images');
}

/**
 * Start a batch of `n` photos on one worker into a new output folder and pause it at once, so
 * that whatever the test does next lands mid-batch on any machine (a quiet machine can finish a
 * small batch before a click). Returns the input and output folders.
 */
export async function startPausedBatch(page: Page, url: string, n: number): Promise<{ input: string; out: string }> {
  const input = photoFarm(n);
  const out = join(tempDir(), 'out');
  await page.goto(url);
  await addByPath(page, input);
  await page.getByLabel('Output folder').fill(out);
  await page.getByLabel('Workers', { exact: true }).fill('1');
  await page.getByRole('button', { name: 'Convert', exact: true }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeFocused();
  await page.keyboard.press('Enter'); // Pause, from the keyboard: focus moved to it
  await expect(page.getByTestId('state')).toHaveText(new RegExp(`^Paused at \\d+ of ${n}$`), { timeout: 30_000 });
  return { input, out };
}
