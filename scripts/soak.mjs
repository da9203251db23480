#!/usr/bin/env node
// The soak (npm run soak [files] [--model threads|processes] [--probe]; not part of npm test): N hard links
// of the samples converted through the UI session (app/session, as browser mode and Electron
// drive it), the pool resized every 2 s between 1 and 4 workers, paused for 1 s every 10 s,
// cancelled at 60 %, then resumed. Checks: every input has exactly one output and was converted
// exactly once over both runs; no temporary file or lock is left; the engine's thread and
// process counts are back to their baseline; peak RSS of the engine tree against a 1 000-file
// batch of the same job. Prints a JSON report (and writes it to .tmp/soak.json).
import { mkdirSync, linkSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadavg, tmpdir } from 'node:os';

const ROOT = resolve(import.meta.dirname, '..');
const { Session } = await import(join(ROOT, 'dist/app/session/session.js'));
const { spawnEngine } = await import(join(ROOT, 'dist/app/engine-client.js'));
const { sampleTree } = await import(join(ROOT, 'dist/engine/proc.js'));

const args = process.argv.slice(2);
const N = Number(args.find((a) => /^\d+$/.test(a)) ?? 100_000);
const model = args.includes('--model') ? args[args.indexOf('--model') + 1] : 'threads';
// --probe: the engine writes its heap and RSS every 500 ms (scripts/mem-probe.cjs); the report
// gives their maxima per phase, to tell V8's heap from native memory and threads.
const PROBE = args.includes('--probe') ? join(ROOT, `.tmp/soak-probe-${process.pid}.ndjson`) : null;
if (PROBE) {
  mkdirSync(join(ROOT, '.tmp'), { recursive: true });
  rmSync(PROBE, { force: true });
  process.env.MEMPROBE_OUT = PROBE;
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${join(ROOT, 'scripts/mem-probe.cjs')}`.trim();
}
const BASELINE = 1000;
/**
 * Thread and process counts are taken once nothing idle is left: libvips' idle worker threads
 * live 15 s (its threadset.c), a finished batch's thread pool waits 60 s for the next batch
 * (engine/pools/warm.ts PARK_MS); plus a margin.
 */
const SETTLE_MS = 62_000;
const work = join(tmpdir(), `photopool-soak-${process.pid}`); // one per run: two soaks may run at once
const SAMPLES = join(ROOT, 'assets/samples');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const log = (...a) => console.error(new Date().toISOString().slice(11, 19), ...a);

function farm(dir, count) {
  const files = readdirSync(SAMPLES).filter((f) => /\.jpe?g$/i.test(f));
  for (let i = 0; i < count; i++) {
    const sub = join(dir, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    linkSync(join(SAMPLES, files[i % files.length]), join(sub, `${String(i).padStart(6, '0')}-${files[i % files.length]}`));
  }
}
function walk(dir, out = []) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) walk(join(dir, e.name), out);
    else out.push(join(dir, e.name));
  }
  return out;
}
/** Threads of a process, and its child processes (Linux /proc). */
function counts(pid) {
  const threads = Number(/Threads:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
  let children = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[1]) === pid) children++;
    } catch {}
  }
  const names = {};
  for (const t of readdirSync(`/proc/${pid}/task`)) {
    try {
      const n = readFileSync(`/proc/${pid}/task/${t}/comm`, 'utf8').trim();
      names[n] = (names[n] ?? 0) + 1;
    } catch {}
  }
  return { threads, children, names };
}

/** Maxima of the engine's probe rows per phase (MiB; threads as a count). */
function probeSummary(phases) {
  const rows = readFileSync(PROBE, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const out = {};
  for (const [name, [from, to]] of Object.entries(phases)) {
    const sub = rows.filter((r) => r.t >= from && r.t <= to);
    out[name] = Object.fromEntries(['rss', 'anon', 'heapUsed', 'heapTotal', 'arrayBuffers', 'threads'].map((k) => [k, Math.round(Math.max(...sub.map((r) => r[k])) * 10) / 10]));
  }
  return out;
}

/** A session with its engine's pid, and every engine event kept by type. */
function openSession() {
  let pid;
  const session = new Session({ spawn: (n) => { const e = spawnEngine({ maxWorkers: n }); pid = e.pid; return e; } });
  const seen = { done: [], fileDone: new Map(), failed: [], pool: 0, states: [] };
  let waiters = [];
  session.subscribe((name, e) => {
    if (name !== 'engine') return;
    if (e.type === 'file-done') seen.fileDone.set(e.input, (seen.fileDone.get(e.input) ?? 0) + 1);
    else if (e.type === 'file-failed') seen.failed.push(e);
    else if (e.type === 'pool') seen.pool++;
    else if (e.type === 'state') seen.states.push(e.state);
    else if (e.type === 'done') seen.done.push(e);
    for (const w of waiters) w(e);
  });
  const until = (pred) => new Promise((r) => waiters.push((e) => pred(e) && r(e)));
  return { session, pid: () => pid, seen, until };
}

function peakSampler(pid) {
  let peak = 0;
  const t = setInterval(() => { try { peak = Math.max(peak, sampleTree(pid).rssBytes); } catch {} }, 200);
  return { stop: () => (clearInterval(t), peak) };
}

const spec = (input, output) => ({ inputs: [input], output, ops: { grayscale: true, resize: { width: 256, height: 256 } }, format: 'jpeg', workers: 2, model });

rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// A crash still removes the 100 000 links and outputs (unless .tmp/soak-keep exists).
process.on('exit', () => existsSync(join(ROOT, '.tmp/soak-keep')) || rmSync(work, { recursive: true, force: true }));
// The machine's 1-minute load average over the run, printed beside the durations (they mean
// little on a shared machine).
const loads = [loadavg()[0]];
const loadTimer = setInterval(() => loads.push(loadavg()[0]), 10_000);
log(`farm: ${N} + ${BASELINE} hard links`);
farm(join(work, 'in'), N);
farm(join(work, 'in-base'), BASELINE);

// 1. Baseline: the same job on 1 000 files at the largest pool the soak uses (4), in the same
// session and engine; its idle thread and process counts after it are the reference.
const s = openSession();
let sampler = peakSampler(s.pid());
let t0 = Date.now();
const tBase = t0;
const baseDone = s.until((e) => e.type === 'done');
await s.session.request('start', { spec: { ...spec(join(work, 'in-base'), join(work, 'out-base')), workers: 4 } });
await baseDone;
const baseline = { files: BASELINE, workers: 4, seconds: (Date.now() - t0) / 1000, peakRssMiB: sampler.stop() / 2 ** 20 };
// libvips's idle threads and the kept thread pool: counts are taken once they are gone, here and at the end.
await sleep(SETTLE_MS);
const before = counts(s.pid());
s.seen.fileDone.clear();
log('baseline', baseline, before);

// 2. The soak.
sampler = peakSampler(s.pid());
t0 = Date.now();
const tFirst = t0;
const out = join(work, 'out');
let first = s.until((e) => e.type === 'done');
await s.session.request('start', { spec: spec(join(work, 'in'), out) });
let resized = 0, pauses = 0, cancelled = false, phase = 'first';
/** A request to the running batch; false when the batch ended meanwhile (the engine refuses it). */
async function drive(name, args) {
  try {
    await s.session.request(name, args);
    return true;
  } catch (err) {
    if (/No batch is running/.test(err.message) || s.session.snapshot.batch?.state === 'done') return false;
    throw err;
  }
}
const driver = (async () => {
  for (let tick = 1; phase !== 'end'; tick++) {
    await sleep(2000);
    if (phase === 'end') break;
    const b = s.session.snapshot.batch;
    if (!b || b.state === 'done') continue;
    if (await drive('setWorkers', { workers: 1 + (tick % 4) })) resized++;
    if (tick % 5 === 0 && (await drive('pause', {}))) {
      await sleep(1000);
      if (await drive('continue', {})) pauses++;
    }
    const done = s.seen.fileDone.size;
    if (phase === 'first' && !cancelled && done >= 0.6 * N) {
      cancelled = true;
      log(`cancel at ${done} files`);
      await drive('cancel', {});
    }
  }
})();
const firstDone = await first;
const firstPeak = sampler.stop();
sampler = peakSampler(s.pid());
log('first run done', { cancelled: firstDone.cancelled, done: firstDone.totals.done, s: (Date.now() - t0) / 1000 });
phase = 'second';
const tResume = Date.now();
const second = s.until((e) => e.type === 'done');
await s.session.request('resume', { output: out });
const secondDone = await second;
phase = 'end';
await driver;
const seconds = (Date.now() - t0) / 1000;
const resumedPeak = sampler.stop();
const phases = { baseline: [tBase, tFirst], first: [tFirst, tResume], resumed: [tResume, Date.now()] };
const peak = Math.max(firstPeak, resumedPeak);
log('resumed run done', { done: secondDone.totals.done, doneBefore: secondDone.totals.doneBefore, s: seconds });

// 3. Checks.
let after;
const tEnd = Date.now();
while (Date.now() - tEnd < SETTLE_MS + 10_000) {
  after = counts(s.pid());
  if (after.threads <= before.threads && after.children <= before.children) break;
  await sleep(200);
}
const countsBackAfterS = (Date.now() - tEnd) / 1000;
const inputs = walk(join(work, 'in'));
const outputs = walk(out);
const images = outputs.filter((f) => f.endsWith('.jpg'));
const twice = [...s.seen.fileDone.values()].filter((n) => n > 1).length;
const missing = inputs.filter((f) => !s.seen.fileDone.has(f)).length;
const leftovers = outputs.filter((f) => f.includes('.photopool-tmp') || f.endsWith('.photopool-lock'));
await s.session.dispose();
clearInterval(loadTimer);
const report = {
  files: N, model, seconds, loadAverage: { min: Math.min(...loads), max: Math.max(...loads) }, resizes: resized, pauses, cancelledFirstRunAt: firstDone.totals.done,
  outputs: images.length, convertedTwice: twice, neverConverted: missing, failed: s.seen.failed.length, leftovers: leftovers.length,
  threads: { before: before.threads, after: after.threads, ...(after.threads > before.threads && { namesBefore: before.names, namesAfter: after.names }) }, childProcesses: { before: before.children, after: after.children },
  countsBackAfterS, peakRssMiB: peak / 2 ** 20, peakRssMiBByRun: { first: firstPeak / 2 ** 20, resumed: resumedPeak / 2 ** 20 }, baseline,
  rssOverBaselineMiB: peak / 2 ** 20 - baseline.peakRssMiB,
  // the target is 50 MB (decimal: 47.7 MiB)
  rssOverBaselineMB: (peak - baseline.peakRssMiB * 2 ** 20) / 1e6,
};
if (PROBE) report.probeMiB = probeSummary(phases);
report.ok = images.length === N && twice === 0 && missing === 0 && leftovers.length === 0 && after.threads <= before.threads && after.children <= before.children && report.rssOverBaselineMB <= 50 && firstDone.cancelled && cancelled;
mkdirSync(join(ROOT, '.tmp'), { recursive: true });
writeFileSync(join(ROOT, '.tmp/soak.json'), JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
process.exit(report.ok ? 0 : 1);
