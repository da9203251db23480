#!/usr/bin/env node
// Where `--workers 2` loses against `--workers 1` on the gray job (fit 1024, JPEG q80): PAIRS
// alternated pairs of `photopool convert` with PHOTOPOOL_TRACE_CPU=1 (engine/batch/trace.ts),
// medians of the command's wall time, the batch alone (the engine's batch-start to done, the
// "Done ... in X s" line), and the CPU seconds of the engine's threads, of its main thread and
// of the CLI process. At 1 worker the main thread, the CLI and the helper threads run on the
// idle core; at 2 they take their time from the workers, and start-up and exit (~0.25 s) are in
// both commands, so the end-to-end ratio sits below the batch's own. Each pair also runs the
// machine's ceiling for that design: two `--workers 1` commands at once, each on half the
// corpus, sharing nothing but the cores and the memory (the 1-worker time over theirs).
//
//   node scripts/bench/workers-split.mjs [CORPUS] [--pairs N] [--json FILE]
//     (default /tmp/perf/corpus/photos-jpeg, 3 pairs; run after npm run build && npm run bundle)
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { median } from './median.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { pairs: { type: 'string', default: '3' }, json: { type: 'string' } } });
const corpus = positionals[0] ?? '/tmp/perf/corpus/photos-jpeg';
const pairs = Number(values.pairs);
if (!(Number.isInteger(pairs) && pairs > 0)) throw new Error(`--pairs: expected a whole number above 0, got ${values.pairs}`);
const bin = new URL('../../bin/photopool', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'workers-split-'));

const JOB = ['--gray', '--resize', '1024x1024', '--format', 'jpeg', '--quality', '80'];

/** One batch: its figures, read from the trace lines. */
function run(workers) {
  const out = join(work, `w${workers}`);
  rmSync(out, { recursive: true, force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [bin, 'convert', corpus, '-o', out, ...JOB, '--workers', String(workers)], {
    env: { ...process.env, PHOTOPOOL_TRACE_CPU: '1' },
    encoding: 'utf8',
  });
  const wall = (performance.now() - t0) / 1000;
  const text = r.stdout + r.stderr;
  const num = (re) => {
    const m = re.exec(text);
    if (!m) throw new Error(`workers-split: no ${re} in the output of --workers ${workers} (exit ${r.status}):\n${text.slice(-2000)}`);
    return Number(m[1]);
  };
  const byThread = /trace cpu by thread since the engine started \(s\): (.*)/.exec(text)?.[1] ?? '';
  const engine = [...byThread.matchAll(/ ([\d.]+)(?:,|$)/g)].reduce((a, m) => a + Number(m[1]), 0);
  return { wall, batch: num(/^Done: .* in ([\d.]+) s/m), engine, main: num(/trace cpu main thread during the batch: ([\d.]+) s/), cli: num(/trace cli process CPU ([\d.]+) s/) };
}

// the corpus in two halves (every other file: hard links, copies on another file system), for
// the two commands at once
const halves = [join(work, 'half-a'), join(work, 'half-b')];
for (const h of halves) mkdirSync(h);
readdirSync(corpus)
  .sort()
  .forEach((f, i) => {
    const [from, to] = [join(corpus, f), join(halves[i % 2], f)];
    try {
      linkSync(from, to);
    } catch {
      copyFileSync(from, to);
    }
  });

/** Two `--workers 1` commands at once, each on one half: wall seconds until both have ended. */
async function twoAtOnce() {
  const t0 = performance.now();
  await Promise.all(
    halves.map((h, i) => {
      const out = join(work, `h${i}`);
      rmSync(out, { recursive: true, force: true });
      const child = spawn(process.execPath, [bin, 'convert', h, '-o', out, ...JOB, '--workers', '1'], { stdio: 'ignore' });
      return new Promise((res, rej) => child.on('exit', (code) => (code === 0 ? res() : rej(new Error(`workers-split: a half-corpus command exited ${code}`)))));
    }),
  );
  return (performance.now() - t0) / 1000;
}

const runs = { 1: [], 2: [] };
const apart = [];
for (let i = 0; i < pairs; i++) {
  for (const w of [1, 2]) runs[w].push(run(w));
  apart.push(await twoAtOnce());
}
rmSync(work, { recursive: true, force: true });

const med = (w, k) => median(runs[w].map((r) => r[k]));
console.log(`gray job, ${corpus}, ${pairs} alternated pairs, medians:`);
console.log('| workers | command wall s | batch alone s | engine CPU-s (all threads) | engine main thread CPU-s, during the batch | CLI CPU-s |');
console.log('|---|---|---|---|---|---|');
for (const w of [1, 2]) console.log(`| ${w} | ${med(w, 'wall').toFixed(2)} | ${med(w, 'batch').toFixed(2)} | ${med(w, 'engine').toFixed(2)} | ${med(w, 'main').toFixed(2)} | ${med(w, 'cli').toFixed(2)} |`);
const result = {
  endToEnd: med(1, 'wall') / med(2, 'wall'),
  batch: med(1, 'batch') / med(2, 'batch'),
  extraEngineCpu: med(2, 'engine') - med(1, 'engine'),
  outsideBatch: median([1, 2].flatMap((w) => runs[w].map((r) => r.wall - r.batch))),
  twoCommands: med(1, 'wall') / median(apart),
};
console.log(`2 workers over 1: end to end ${result.endToEnd.toFixed(2)}x, the batch alone ${result.batch.toFixed(2)}x; the command outside the batch (start-up, exit) ${result.outsideBatch.toFixed(2)} s; the engine's CPU at 2 workers ${result.extraEngineCpu >= 0 ? '+' : ''}${result.extraEngineCpu.toFixed(2)} s`);
console.log(`the ceiling of two workers on this machine: two --workers 1 commands at once, each on half the corpus, ${median(apart).toFixed(2)} s: ${result.twoCommands.toFixed(2)}x the 1-worker command`);
if (values.json) writeFileSync(values.json, JSON.stringify(result));
