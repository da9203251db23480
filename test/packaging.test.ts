/**
 * The packaged desktop app converts photos: `electron-builder --linux dir` with a stand-in
 * Electron distribution (the real binary cannot be downloaded here), its output outside the
 * project tree, then the packaged engine entry forked with plain Node over IPC, as Electron's
 * utilityProcess starts it. Outside the tree no checkout node_modules can hide a package left
 * inside app.asar (which a process started from app.asar.unpacked cannot read).
 *
 * What this cannot prove (needs the Electron binary): that the window opens and main reaches
 * the engine; e2e/electron.spec.ts covers that where Electron is installed.
 */
import { fork, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import type { JobSpecInput } from '../common/job.js';
import { HAVE_CJXL, HAVE_HEIF_ENC, makeHeic, makeJxl } from './fixtures/formats.js';
import { ROOT, SAMPLES, tempDir } from './helpers.js';

const require = createRequire(import.meta.url);
const ELECTRON_VERSION = (require('electron/package.json') as { version: string }).version;
/** @electron/fuses' sentinel; the wire after it: version 1, length, one byte per fuse ('0'/'1'). */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const FUSES = ['RunAsNode', 'EnableCookieEncryption', 'EnableNodeOptionsEnvironmentVariable', 'EnableNodeCliInspectArguments', 'EnableEmbeddedAsarIntegrityValidation', 'OnlyLoadAppFromAsar', 'LoadBrowserProcessSpecificV8Snapshot', 'GrantFileProtocolExtraPrivileges'];
const DEV_ONLY = ['electron', 'electron-builder', 'vite', 'typescript', 'vitest', '@playwright/test', 'playwright-core', 'esbuild', 'tsx', 'eslint'];

const work = tempDir('packaging');
const app = join(work, 'out', 'linux-unpacked');
const resources = join(app, 'resources');
const unpacked = join(resources, 'app.asar.unpacked');
const SAMPLE_IMAGES = ['chelsea.jpg', 'coffee.jpg', 'motorcycle-exif6.jpg', 'retina.jpg', 'nested/astronaut.jpg', 'nested/deeper/rocket.png'];
const FORMAT_FILES = ['coffee.heic', 'coffee.jxl'];
const HAVE_TOOLS = HAVE_HEIF_ENC && HAVE_CJXL;
/** HEIC and JPEG XL inputs made here (the formats the wasm and libheif decoders add) where the tools are installed. */
let formats: string | null = null;

/** A folder electron-builder accepts as an unpacked Electron: an `electron` file with a fuse wire. */
function standInElectron(dir: string): void {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([Buffer.from('#!/bin/sh\necho stand-in\n'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, FUSES.length]), Buffer.from('0'.repeat(FUSES.length))]);
  writeFileSync(join(dir, 'electron'), wire);
  chmodSync(join(dir, 'electron'), 0o755);
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

function sizeOf(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((n, name) => n + sizeOf(join(path, name)), 0);
}

/** Convert `inputs` with the packaged engine to 200 px gray; the file-done events, every output checked for its size. */
async function convertAll(inputs: string[], tag: string, model: 'threads' | 'processes' | 'async', heic: 'wasm' | 'native') {
  const events = await convertWithPackagedEngine({ inputs, output: join(work, tag), model, workers: 2, ops: { grayscale: true, resize: { width: 200, height: 200 } } }, { PHOTOPOOL_HEIC: heic });
  expect(events.filter((e) => e.type === 'file-failed')).toEqual([]);
  const done = events.filter((e): e is Extract<EngineEvent, { type: 'file-done' }> => e.type === 'file-done');
  for (const e of done) {
    const meta = await sharp(e.output).metadata();
    expect(Math.max(meta.width, meta.height), e.output).toBe(200);
  }
  return done;
}

/** Fork the packaged engine with plain Node (cwd outside the tree), run one batch, collect its events. */
function convertWithPackagedEngine(spec: JobSpecInput, extraEnv: NodeJS.ProcessEnv): Promise<EngineEvent[]> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, UV_THREADPOOL_SIZE: '4', MALLOC_ARENA_MAX: '2', ...extraEnv };
    delete env.PHOTOPOOL_TURBOJPEG;
    delete env.NODE_PATH;
    const child = fork(join(unpacked, 'dist/engine/host.js'), [], { cwd: work, env, execArgv: ['--max-semi-space-size=2'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d));
    const events: EngineEvent[] = [];
    child.on('message', (m) => {
      const e = m as EngineEvent;
      events.push(e);
      if (e.type === 'done' || e.type === 'fatal') child.disconnect();
    });
    child.send({ type: 'start', spec });
    child.on('exit', (code) => (events.some((e) => e.type === 'done') ? resolve(events) : reject(new Error(`packaged engine exited (${code}) without finishing:\n${stderr}\n${JSON.stringify(events.at(-1))}`))));
  });
}

/** The package closure the bundles leave external: what must be unpacked next to them. */
function externalClosure(): string[] {
  const bundle = readFileSync(join(ROOT, 'scripts/bundle.mjs'), 'utf8');
  const external = JSON.parse(/export const EXTERNAL = (\[[^\]]*\])/.exec(bundle)![1]!.replaceAll("'", '"')) as string[];
  const seen = new Set<string>();
  const visit = (name: string) => {
    const pkgJson = join(ROOT, 'node_modules', name, 'package.json');
    if (seen.has(name) || !existsSync(pkgJson)) return; // optional dependency of another platform
    seen.add(name);
    // Only the prebuilt libturbojpeg of this package is used: its build-from-source tools are not.
    if (name === '@julusian/jpeg-turbo') return;
    const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { dependencies?: object; optionalDependencies?: object };
    for (const dep of Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies })) visit(dep);
  };
  for (const name of external) if (name !== 'electron') visit(name);
  return [...seen].sort();
}

beforeAll(() => {
  if (HAVE_TOOLS) {
    formats = join(work, 'formats');
    mkdirSync(formats);
    makeHeic(join(SAMPLES, 'coffee.jpg'), join(formats, 'coffee.heic'), 60);
    makeJxl(join(SAMPLES, 'nested/deeper/rocket.png'), join(formats, 'coffee.jxl'), ['-d', '2']);
  }
  run(process.execPath, ['scripts/bundle.mjs']);
  const dist = join(work, 'electron-dist');
  standInElectron(dist);
  // Written straight outside the project tree (the same as building inside and moving it out).
  run(join(ROOT, 'node_modules/.bin/electron-builder'), ['--config', 'electron-builder.yml', '--linux', 'dir', `-c.electronDist=${dist}`, `-c.electronVersion=${ELECTRON_VERSION}`, '-c.npmRebuild=false', `-c.directories.output=${join(work, 'out')}`]);
  expect(relative(ROOT, app).startsWith('..')).toBe(true);
  console.log(`packaged size: app.asar ${(sizeOf(join(resources, 'app.asar')) / 1048576).toFixed(1)} MiB, app.asar.unpacked ${(sizeOf(unpacked) / 1048576).toFixed(1)} MiB`);
}, 90_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('packaged desktop app (electron-builder --linux dir, outside the project tree)', () => {
  it('app.asar holds main, preload, renderer and the README, and no dev-only package', async () => {
    const { listPackage } = (await import('@electron/asar')) as { listPackage(p: string, o: object): string[] };
    const files = new Set(listPackage(join(resources, 'app.asar'), {}).map((f) => f.replaceAll('\\', '/')));
    for (const f of ['/dist/electron/main.js', '/dist/electron/preload.cjs', '/dist/renderer/index.html', '/README.md', '/package.json']) expect(files, f).toContain(f);
    for (const dev of DEV_ONLY) {
      expect(files.has(`/node_modules/${dev}`), `${dev} inside app.asar`).toBe(false);
      expect(existsSync(join(unpacked, 'node_modules', dev)), `${dev} unpacked`).toBe(false);
    }
  });

  it('unpacks the engine, its workers, and every package the bundles leave external with their dependencies', () => {
    for (const f of ['dist/engine/host.js', 'dist/workers/convert.js', 'dist/workers/process.js', 'dist/workers/decode/thread.js']) expect(existsSync(join(unpacked, f)), f).toBe(true);
    const missing = externalClosure().filter((name) => !existsSync(join(unpacked, 'node_modules', name, 'package.json')));
    expect(missing, 'packages to add to asarUnpack in electron-builder.yml').toEqual([]);
    expect(existsSync(join(unpacked, `node_modules/@julusian/jpeg-turbo/prebuilds/jpeg-turbo-linux-${process.arch}/libturbojpeg.so.0`))).toBe(true);
  });

  it("the About dialog's luma-lane check finds the packaged libturbojpeg (app/capabilities loads the bundled workers/turbojpeg.js)", () => {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(pathToFileURL(join(unpacked, 'dist/workers/turbojpeg.js')).href)}); console.log(m.turboPath())`], { cwd: work, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(join(unpacked, `node_modules/@julusian/jpeg-turbo/prebuilds/jpeg-turbo-linux-${process.arch}/libturbojpeg.so.0`));
  });

  it("the workers' on-thread libvips is the packaged sharp's own, and loads in a worker thread", () => {
    const entry = pathToFileURL(join(unpacked, 'dist/workers/vips-sync.js')).href;
    // in a worker thread, as the pool runs it (the engine's own thread may not block, so it never loads there)
    const code = `const { Worker } = await import('node:worker_threads'); new Worker(${JSON.stringify(`import(${JSON.stringify(entry)}).then((v) => console.log(v.vipsLibraryPath(), v.vipsSync() !== null))`)}, { eval: true });`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: work, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [path, loads] = r.stdout.trim().split(' ');
    expect(path).toContain(join(unpacked, `node_modules/@img/sharp-libvips-linux-${process.arch}/lib/libvips-cpp.so.`));
    expect(loads).toBe('true');
  });

  it('flips the fuses of the Electron binary as electron-builder.yml says (RunAsNode stays on)', () => {
    const bin = readFileSync(join(app, 'photopool'));
    const at = bin.indexOf(FUSE_SENTINEL) + FUSE_SENTINEL.length;
    const fuses = Object.fromEntries(FUSES.map((name, i) => [name, String.fromCharCode(bin[at + 2 + i]!) === '1']));
    expect(fuses).toEqual({
      RunAsNode: true,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: false,
    });
  });

  it.each(['threads', 'processes', 'async'] as const)('the packaged engine converts the samples (%s model), JPEGs through the luma lane', async (model) => {
    const done = await convertAll([SAMPLES], `samples-${model}`, model, 'wasm');
    expect(done.map((e) => e.input).sort()).toEqual(SAMPLE_IMAGES.map((f) => join(SAMPLES, f)).sort());
    for (const e of done) expect(e.lane, e.input).toBe(e.input.endsWith('.jpg') ? 'luma' : 'sharp');
  });

  it.skipIf(!HAVE_TOOLS).each([
    ['threads', 'wasm'],
    ['processes', 'native'],
    ['async', 'wasm'],
  ] as const)('the packaged engine converts HEIC and JPEG XL inputs (%s model, %s HEIC decoder; needs heif-enc and cjxl to make them)', async (model, heic) => {
    const done = await convertAll([formats!], `formats-${model}`, model, heic);
    expect(done.map((e) => e.input).sort()).toEqual(FORMAT_FILES.map((f) => join(formats!, f)));
  });
});
