/**
 * Start-up of `photopool convert` (issue 17): the engine's main thread holds libvips without
 * loading sharp's JavaScript (engine/hold-libvips.ts), the workers load no zod schemas, nor the
 * Node modules sharp imports for paths they never take, an engine started early warms one
 * worker first, and a batch still converts real images with sharp loaded by its workers alone.
 */
import { execFileSync, fork } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Worker } from 'node:worker_threads';
import { engineEnv, spawnEngine } from '../app/engine-client.js';
import { ROOT, runCli, tempDir } from './helpers.js';

let dir: string;

beforeAll(async () => {
  execFileSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs')], { cwd: ROOT }); // the bundled workers, tested below (and run by the CLI's batch)
  dir = tempDir('startup');
  const input = join(dir, 'in');
  execFileSync('mkdir', ['-p', input]);
  // three real colour photos-to-be: gradients with noise, 1600 x 1200
  for (let i = 0; i < 3; i++) {
    const raw = Buffer.alloc(1600 * 1200 * 3);
    for (let p = 0; p < raw.length; p++) raw[p] = (p * (i + 7) + ((p * 2654435761) >>> 27)) & 255;
    await sharp(raw, { raw: { width: 1600, height: 1200, channels: 3 } }).jpeg({ quality: 90 }).toFile(join(input, `p${i}.jpg`));
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('start-up of the engine', () => {
  it('the main thread holds libvips by opening the addon alone: no sharp JavaScript loaded', () => {
    const script = join(dir, 'hold.ts');
    writeFileSync(
      script,
      [
        `import { readFileSync } from 'node:fs';`,
        `import { createRequire } from 'node:module';`,
        `import { holdLibvips } from ${JSON.stringify(join(ROOT, 'engine/hold-libvips.ts'))};`,
        `const mapped = () => readFileSync('/proc/self/maps', 'utf8').includes('libvips-cpp');`,
        `const before = mapped();`,
        `const held = holdLibvips();`,
        `const sharpJs = Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\\\/]sharp[\\\\/]dist[\\\\/]/.test(k));`,
        `console.log(JSON.stringify({ before, held, after: mapped(), sharpJs }));`,
      ].join('\n'),
    );
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8' }));
    expect(out).toEqual({ before: false, held: 'addon', after: true, sharpJs: [] });
  });

  it('the engine process runs without V8 heap flags (they slow every thread\'s load), under the environment it needs', async () => {
    const engine = spawnEngine({ maxWorkers: 3 });
    try {
      const cmdline = readFileSync(`/proc/${engine.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline.some((a) => /^--(max|min)-(semi|old)-space-size/.test(a)), cmdline.join(' ')).toBe(false);
      expect(cmdline.some((a) => a.endsWith('engine/host.js') || a.endsWith('engine/host.ts')), cmdline.join(' ')).toBe(true);
      const env = readFileSync(`/proc/${engine.pid}/environ`, 'utf8').split('\0');
      expect(env).toContain('MALLOC_ARENA_MAX=2');
    } finally {
      engine.close();
      await engine.exited;
    }
  });

  it('an engine that will not connect to NATS starts without NODE_EXTRA_CA_CERTS (Node 20 parses that file at every start); one that may keeps it', async () => {
    const before = process.env.NODE_EXTRA_CA_CERTS;
    process.env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
    try {
      for (const nats of [false, true]) {
        const engine = spawnEngine({ maxWorkers: 2, nats });
        try {
          const env = readFileSync(`/proc/${engine.pid}/environ`, 'utf8').split('\0');
          expect(env.includes('NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt'), `nats: ${nats}`).toBe(nats);
          expect(env).toContain('MALLOC_ARENA_MAX=2');
        } finally {
          engine.close();
          await engine.exited;
        }
      }
    } finally {
      if (before === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
      else process.env.NODE_EXTRA_CA_CERTS = before;
    }
  });

  it('the workers load no zod (the schemas are the engine\'s)', async () => {
    for (const entry of ['workers/convert.ts', 'workers/preview.ts']) {
      const r = await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', write: false, metafile: true, outdir: join(dir, 'meta'), external: ['sharp', 'koffi', 'piscina', '@julusian/jpeg-turbo', 'libheif-js', '@jsquash/jxl'], logLevel: 'silent' });
      const zod = Object.keys(r.metafile.inputs).filter((k) => k.includes('node_modules/zod/'));
      expect(zod, entry).toEqual([]);
    }
  });

  it("the bundled workers leave node:child_process and node:crypto unloaded until used (sharp imports them for a build from source, Rosetta, ldd)", async () => {
    for (const entry of ['workers/convert.js', 'workers/preview.js']) {
      const url = new URL(`file://${join(ROOT, 'dist/bundle', entry)}`).href;
      const code = `await import(${JSON.stringify(url)}); (await import('node:worker_threads')).parentPort.postMessage(process.moduleLoadList);`;
      const w = new Worker(code, { eval: true });
      const loaded = await new Promise<string[]>((done, fail) => w.once('message', done).once('error', fail));
      await w.terminate();
      expect(loaded.filter((m) => /^NativeModule (child_process|crypto|net|dgram)$/.test(m)), entry).toEqual([]);
    }
  });

  it('an engine started early (the CLI does) starts one warm worker thread; the others start when the batch needs them', async () => {
    const child = fork(join(ROOT, 'dist/engine/host.js'), [], {
      env: { ...engineEnv(4), PHOTOPOOL_PREWARM: '2', PHOTOPOOL_TRACE_STARTUP: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let trace = '';
    child.stderr!.on('data', (d: Buffer) => (trace += d));
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    await expect.poll(() => trace, { timeout: 20_000 }).toMatch(/engine: worker \d+ loaded/);
    await new Promise((r) => setTimeout(r, 1500)); // time enough for a second thread to load, were it started
    child.disconnect();
    expect(await exited).toBe(0);
    expect(trace).toMatch(/a warm worker thread starting \(of 2\)/);
    expect(trace.match(/engine: worker \d+ loaded/g), trace).toHaveLength(1);
  });

  it("the bundled engine carries piscina's code (none of its files loaded at start) and its worker threads still start from piscina's own worker file", async () => {
    const child = fork(join(ROOT, 'dist/bundle/engine/host.js'), [], {
      env: { ...engineEnv(4), PHOTOPOOL_PREWARM: '1', PHOTOPOOL_TRACE_STARTUP: '1', NODE_DEBUG: 'module' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let log = '';
    child.stderr!.on('data', (d: Buffer) => (log += d));
    const exited = new Promise<number | null>((done) => child.once('exit', done));
    await expect.poll(() => log, { timeout: 20_000 }).toMatch(/engine: worker \d+ loaded/);
    child.disconnect();
    expect(await exited).toBe(0);
    const loads = log.split('\n').filter((l) => /^MODULE \d+: load ".*[\\/]piscina[\\/]/.test(l)).map((l) => /[\\/]piscina[\\/](dist[\\/][^"]+)"/.exec(l)![1]!.replaceAll('\\', '/'));
    expect(loads).toContain('dist/worker.js'); // the worker thread's entry, by path
    expect(loads.filter((f) => /^dist\/(main|index)\.js$/.test(f))).toEqual([]); // the pool itself: bundled
  });

  it('a batch converts real images with sharp loaded by the workers only, and traces when a worker began', async () => {
    const out = join(dir, 'out');
    const run = await runCli(['convert', join(dir, 'in'), '-o', out, '--gray', '--resize', '1024x1024', '--format', 'jpeg', '--quality', '80', '-q'], { env: { PHOTOPOOL_TRACE_STARTUP: '1' } });
    expect(run.code, run.stderr).toBe(0);
    const step = (what: string) => {
      const m = new RegExp(`^startup\\s+([\\d.]+) ms {2}${what}`, 'm').exec(run.stderr);
      expect(m, `${what} in\n${run.stderr}`).not.toBeNull();
      return Number(m![1]);
    };
    expect(run.stderr).toMatch(/engine: libvips held \(addon\)/);
    const handed = step('batch: first file started');
    const began = step('engine: a file began converting in a worker');
    expect(began).toBeGreaterThan(step('engine: process started'));
    expect(began).toBeGreaterThanOrEqual(handed - 1); // a worker cannot begin a file before it is handed over
    const files = readdirSync(out).filter((f) => f.endsWith('.jpg')).sort();
    expect(files).toEqual(['p0.jpg', 'p1.jpg', 'p2.jpg']);
    for (const f of files) {
      const m = await sharp(join(out, f)).metadata();
      expect([m.format, m.width, m.height, m.channels]).toEqual(['jpeg', 1024, 768, 1]);
    }
  });
});
