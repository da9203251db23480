#!/usr/bin/env node
/**
 * Start-up of `photopool convert`: the time from starting the command to its first file
 * started, median over N runs, with the median of each step of the breakdown that
 * PHOTOPOOL_TRACE_STARTUP=1 prints (engine/batch/trace.ts).
 *
 * "Started" is a worker beginning to convert it (`engine: a file began converting in a worker`:
 * the first file-done's arrival less the worker's own time, so no earlier than the real start),
 * not the hand-over to the pool (`batch: first file started`, the `file-start` event), which can
 * come before any worker has loaded sharp. Both are printed; the first is the figure.
 *
 *   node scripts/bench-startup.mjs [--runs N] [--corpus DIR] [--cpu] [--json]   (after npm run build; npm run bundle for the bundles)
 *
 * --cpu: each step also with the CPU its process had used by then (main thread, other threads;
 * scripts/startup-cpu.cjs), medians: figures a busy machine moves little, unlike the times (and
 * the probe itself costs a little time, so the times of a --cpu run are not the figure).
 *
 * Timed from spawn(): each step's time plus the CLI's time origin as seen from here (a line's
 * arrival less the time it reports). The job is the reference one (gray, fit inside 1024, JPEG q80, default workers) on
 * the first 4 photos of the corpus (so each run ends soon after).
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './bench/median.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(arg('--runs', 11));
const withCpu = process.argv.includes('--cpu');
const preload = fileURLToPath(new URL('./startup-cpu.cjs', import.meta.url));
const corpus = arg('--corpus', '/tmp/perf/corpus/photos-jpeg');
const bin = fileURLToPath(new URL('../bin/photopool', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'pp-startup-'));
const input = join(work, 'in');
mkdirSync(input);
for (const f of readdirSync(corpus).filter((f) => /\.jpe?g$/i.test(f)).sort().slice(0, 4)) copyFileSync(join(corpus, f), join(input, f));


/** One run: { outside: ms from spawn() to the CLI's time origin, steps: Map(step -> ms since the CLI started), cpu: Map(step -> { main, threads }) }. */
function once(i) {
  const out = join(work, `out-${i}`);
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let outside;
    const steps = new Map();
    const cpu = new Map();
    const child = spawn(process.execPath, [bin, 'convert', input, '-o', out, '--gray', '--resize', '1024x1024', '--format', 'jpeg', '--quality', '80', '-q'], {
      env: { ...process.env, PHOTOPOOL_TRACE_STARTUP: '1', ...(withCpu && { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${preload}` }) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      for (let n; (n = buf.indexOf('\n')) >= 0; buf = buf.slice(n + 1)) {
        const m = /^startup\s+([\d.]+) ms {2}(\w+): (.*?)( \(.*\))?( \[cpu main=(\d+) threads=(\d+)\])?$/.exec(buf.slice(0, n));
        if (!m) continue;
        const step = `${m[2]}: ${m[3]}`;
        if (!steps.has(step)) steps.set(step, Number(m[1]));
        if (m[5] && !cpu.has(step)) cpu.set(step, { main: Number(m[6]), threads: Number(m[7]) });
        if (step === 'cli: bin/photopool entered') outside ??= performance.now() - t0 - Number(m[1]); // spawn -> the CLI's time origin
      }
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      rmSync(out, { recursive: true, force: true });
      if (code !== 0 || !steps.has(BEGAN)) reject(new Error(`run ${i}: exit code ${code}, "${BEGAN}" ${steps.has(BEGAN) ? 'seen' : 'never seen'}`));
      else resolve({ outside, steps, cpu });
    });
  });
}

const BEGAN = 'engine: a file began converting in a worker';
const HANDED = 'batch: first file started';
const load0 = loadavg()[0];
const all = [];
try {
  await once(-1); // warm-up: page cache
  for (let i = 0; i < runs; i++) all.push(await once(i));
} finally {
  rmSync(work, { recursive: true, force: true });
}
const names = [...new Set(all.flatMap((r) => [...r.steps.keys()]))];
const cpuOf = (n, k) => (withCpu ? median(all.map((r) => r.cpu.get(n)?.[k]).filter((x) => x !== undefined)) : undefined);
const rows = names.map((n) => ({ step: n, ms: median(all.map((r) => r.steps.get(n)).filter((x) => x !== undefined)), cpuMain: cpuOf(n, 'main'), cpuThreads: cpuOf(n, 'threads') })).sort((a, b) => a.ms - b.ms);
const load = [load0, loadavg()[0]].map((l) => l.toFixed(2)).join(' -> ');
// from spawn(): the CLI's own time origin comes a few ms after it
const fromSpawn = all.map((r) => r.outside + r.steps.get(BEGAN));
const began = median(fromSpawn);
const handed = median(all.map((r) => r.outside + r.steps.get(HANDED)));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify({ runs, loadavg1: load, beganMs: began, handedMs: handed, steps: rows }));
} else {
  console.log(`start-up, median of ${runs} runs (1-min load average ${load}; figures are only worth publishing when it stays low):`);
  console.log(`  spawn -> a worker began converting the first file: ${began.toFixed(0)} ms (min ${Math.min(...fromSpawn).toFixed(0)}, max ${Math.max(...fromSpawn).toFixed(0)})  <- the issue's figure (target < 250 ms)`);
  console.log(`  spawn -> the first file handed to the pool (file-start): ${handed.toFixed(0)} ms`);
  console.log(`  steps (median, ms since the CLI process started${withCpu ? "; CPU ms its process had used by then: main thread + other threads (worker threads, V8's and libuv's)" : ''}):`);
  for (const r of rows) console.log(`  ${r.ms.toFixed(1).padStart(8)} ms  ${r.step}${withCpu ? `  [cpu ${r.cpuMain} + ${r.cpuThreads}]` : ''}`);
}
