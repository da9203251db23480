#!/usr/bin/env node
// Issue 5: do `photopool bench` (model threads) and the UI agree on images/s for the same batch?
//   node scripts/ui-vs-bench.mjs [CORPUS] [--workers N] [--repeat 3] [--rounds 1] [--warmup 1] [--json] [--profile DIR]
// CORPUS defaults to /tmp/perf/corpus/photos-jpeg, N to 2. Needs a built project (npm run build)
// and Chromium at /usr/bin/chromium (or PHOTOPOOL_CHROMIUM).
// 1. bench: `node bin/photopool bench CORPUS --workers N --models threads --repeat R --json`;
//    its figure is images / median wall time of all timed runs (each call: one warm-up, then R).
// 2. UI: `node bin/photopool ui`, driven in headless Chromium: add CORPUS by path, the bench's
//    reference recipe (grayscale, fit inside 1024x1024, never enlarge, JPEG q80), Workers N,
//    Convert into a fresh output folder, wait for "Finished", read the images/s the live view
//    shows for the finished batch; 1 warm-up batch, then R timed ones per round in the same page,
//    median of the timed ones: the same definition as the bench's (whose first run in its engine
//    is a warm-up too; a session's first batch also pays the page's first-time work: the recipe's
//    sample preview taken down, the chart made). The warm-up batch's figures are printed as well
//    (--warmup 0: none).
// The two take turns: --rounds K runs the bench call, then R UI batches, K times (alternated, as
// bench-peers.sh does), so that a slow spell of the machine weighs on both sides alike.
// Prints both figures, UI/bench and "within 5%: yes/no" (issue 17's target; or one JSON line with
// --json); exits 1 when they differ by more than 5%. Warns when another program used more than
// 15% of a core during the bench or a UI batch (the bench's own rule), as the figures then mean
// little. Per UI batch it also prints what does not depend on the load: the CPU seconds of the
// engine, the UI server and Chromium from Convert to the engine's "done" event (what the finished
// view loads afterwards is outside the batch's time), and the images the page loaded while it ran
// (outputs, inputs) and the previews it asked the app to render (0 since the live view shows
// outputs only), the WebSocket frames it received, and the renderer's own counters (Chrome DevTools
// Protocol Performance.getMetrics: layouts, style recalculations, script and task seconds).
// Chromium's CPU is also split at the moment the page sent its start command (before it: the
// click, which the batch does not wait for) and 0.3 s after it (the live view drawn as the batch
// starts, while its workers start), and the bench's engine CPU per run is printed beside the UI's.
// --profile DIR writes the renderer's CPU profile of each UI batch (DIR/ui-batch-N.cpuprofile,
// from Convert to the end; open it in Chromium's DevTools, Performance tab).
// Note: the UI batches share the machine with Chromium drawing the live view; on a machine with
// as many cores as workers that alone slows the batch down.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { machineBusySeconds, sampleTree } from '../dist/engine/proc.js';
import { median } from './bench/median.mjs';

/** Chromium's process type (renderer, gpu-process, utility: the network service; else the browser). */
function chromiumPart(pid) {
  try {
    const type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1];
    return type ?? 'browser';
  } catch {
    return 'browser';
  }
}

/** CPU seconds of the main thread of `pid` (in the renderer: scripts, style, layout, paint). */
function mainThreadCpu(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0; // ended meanwhile
  }
}

/**
 * CPU seconds of the processes under `root` by role: the engine, the UI server, Chromium, and
 * this script; Chromium's also by process type (`chromium.renderer`, ...) and its renderer's
 * main thread (`chromium.rendererMain`).
 */
function cpuByRole(root, uiPid) {
  const stats = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      stats.set(Number(d), { ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / 100 });
    } catch {
      // ended meanwhile
    }
  }
  const roles = { engine: 0, server: 0, chromium: 0 };
  const walk = (pid, role) => {
    const st = stats.get(pid);
    if (!st) return;
    if (pid !== root) roles[role] += st.cpu;
    if (pid !== root && role === 'chromium') {
      const part = `chromium.${chromiumPart(pid)}`;
      roles[part] = (roles[part] ?? 0) + st.cpu;
      if (part === 'chromium.renderer') roles['chromium.rendererMain'] = (roles['chromium.rendererMain'] ?? 0) + mainThreadCpu(pid);
    }
    for (const [c, cs] of stats) if (cs.ppid === pid) walk(c, pid === uiPid ? 'engine' : c === uiPid ? 'server' : role);
  };
  walk(root, 'chromium');
  return roles;
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CLI = join(ROOT, 'bin/photopool');
const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { profile: { type: 'string' }, workers: { type: 'string', short: 'w', default: '2' }, repeat: { type: 'string', short: 'r', default: '3' }, rounds: { type: 'string', default: '1' }, warmup: { type: 'string', default: '1' }, json: { type: 'boolean', default: false } },
});
const corpus = resolve(positionals[0] ?? '/tmp/perf/corpus/photos-jpeg');
const workers = Number(opt.workers);
const repeat = Number(opt.repeat);
const rounds = Number(opt.rounds);
const warmup = Number(opt.warmup);
if (!Number.isInteger(workers) || workers < 1 || !Number.isInteger(repeat) || repeat < 1 || !Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(warmup) || warmup < 0) {
  console.error('usage: node scripts/ui-vs-bench.mjs [CORPUS] [--workers N] [--repeat R] [--rounds 1] [--warmup 1] [--json] [--profile DIR]');
  process.exit(2);
}
const log = (s) => opt.json || console.error(s);
if (opt.profile) mkdirSync(opt.profile, { recursive: true });

// 1. the bench: `rounds` times, each a fresh `photopool bench` (its own warm-up run, then `repeat`
// timed ones), taken turns with the UI's batches, so that a slow spell of the machine hits both
const bench = { runsS: [], cpuRuns: [], images: 0, disturbed: false, get imagesPerSec() { return this.images / median(this.runsS); }, get cpu() { return median(this.cpuRuns); } };
function benchRound() {
  log(`bench: threads x${workers} on ${corpus}, 1 warm-up + ${repeat} runs...`);
  const b = spawnSync(process.execPath, [CLI, 'bench', corpus, '--workers', String(workers), '--models', 'threads', '--repeat', String(repeat), '--json'], { cwd: ROOT, encoding: 'utf8' });
  const benchEvents = b.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const row = benchEvents.find((e) => e.type === 'bench-row')?.row;
  if (!row) throw new Error(`bench gave no result (exit ${b.status}): ${b.stderr}${b.stdout}`);
  const cores = benchEvents.find((e) => e.type === 'bench-start')?.machine.cores ?? 1;
  // CPU seconds of the bench's engine tree per timed run (its row gives them as a share of the cores over the runs' wall)
  const cpu = (row.cpuPercent / 100) * cores * (row.runs.reduce((a, x) => a + x, 0) / row.runs.length);
  bench.runsS.push(...row.runs);
  bench.cpuRuns.push(cpu);
  bench.images = row.images;
  bench.disturbed ||= row.disturbed;
  log(`  bench runs: ${row.runs.map((x) => x.toFixed(2)).join(', ')} s; engine ${cpu.toFixed(2)} CPU-s per run`);
}

// 2. the UI
async function startUi() {
  // its own settings folder: nothing restored from an earlier session (inputs, workers) joins the batch
  const config = mkdtempSync(join(tmpdir(), 'pp-ui-vs-bench-config-'));
  const env = { ...process.env, PHOTOPOOL_CONFIG_DIR: config };
  const child = spawn(process.execPath, [CLI, 'ui', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const url = await new Promise((res, rej) => {
    let out = '';
    child.stdout.on('data', (d) => {
      const m = /PhotoPool UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec((out += d));
      if (m) res(m[1]);
    });
    child.on('exit', (code) => rej(new Error(`photopool ui exited (${code}) before printing its URL: ${err}`)));
    setTimeout(() => rej(new Error('photopool ui printed no URL in 20 s')), 20_000).unref();
  });
  const exited = new Promise((res) => child.on('exit', res));
  return { url, pid: child.pid, stop: () => (child.exitCode === null && child.kill('SIGINT'), exited.then(() => rmSync(config, { recursive: true, force: true }))) };
}

log(`UI: ${warmup} warm-up + ${rounds} x ${repeat} batches of threads x${workers} in browser mode, ${rounds} round(s) taking turns with the bench...`);
const scratch = mkdtempSync(join(tmpdir(), 'pp-ui-vs-bench-'));
const ui = await startUi();
const browser = await chromium.launch({
  executablePath: process.env.PHOTOPOOL_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
});
const uiRuns = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // what the page asks for while a batch runs: images (/api/file) and previews rendered by the app
  // (counted from the click to the engine's "done" event, when the CPU seconds are read too)
  const asked = { outputs: 0, inputs: 0, renders: 0, frames: 0, running: false, rolesAtDone: null, self0: null, selfAtDone: null, metricsAtDone: null, rolesAtStart: null, rolesAfterStart: null };
  // the renderer's own counters (Chrome DevTools Protocol): layouts, style recalculations, script and task seconds
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const METRICS = ['LayoutCount', 'RecalcStyleCount', 'ScriptDuration', 'TaskDuration', 'LayoutDuration', 'RecalcStyleDuration'];
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.filter((m) => METRICS.includes(m.name)).map((m) => [m.name, m.value]));
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (asked.running && u.pathname === '/api/file') asked[u.searchParams.get('path')?.startsWith(corpus + '/') ? 'inputs' : 'outputs']++;
  });
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => {
      if (!asked.running) return;
      if (/"name":"(renderPreview|estimateSize)"/.test(String(f.payload))) asked.renders++;
      if (/"name":"start"/.test(String(f.payload)) && !asked.rolesAtStart) {
        asked.rolesAtStart = cpuByRole(process.pid, ui.pid);
        setTimeout(() => (asked.rolesAfterStart = cpuByRole(process.pid, ui.pid)), 300);
      }
    });
    ws.on('framereceived', (f) => {
      if (asked.running) asked.frames++;
      // (events that came close together share a frame: app/server/frames.ts)
      if (!asked.running || !/"name":"engine","payload":\{"type":"done"/.test(String(f.payload))) return;
      asked.running = false;
      asked.rolesAtDone = cpuByRole(process.pid, ui.pid);
      asked.selfAtDone = process.cpuUsage(asked.self0);
      asked.metricsAtDone = metrics();
    });
  });
  await page.goto(ui.url);
  await page.getByLabel('Folder path', { exact: true }).fill(corpus);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const folder = page.getByTestId('folder').filter({ hasText: corpus });
  await folder.filter({ hasText: / images · /, hasNotText: 'scanning' }).waitFor({ timeout: 60_000 });
  // the bench's reference job (app/bench/run.ts REFERENCE_JOB); model threads is the spec default
  await page.getByLabel('Grayscale', { exact: true }).setChecked(true);
  await page.getByRole('checkbox', { name: 'Resize to fit a box' }).setChecked(true);
  await page.getByLabel('Width', { exact: true }).fill('1024');
  await page.getByLabel('Height', { exact: true }).fill('1024');
  await page.getByLabel('Fit', { exact: true }).selectOption('inside');
  await page.getByLabel('Never enlarge', { exact: true }).setChecked(true);
  await page.getByLabel('Format', { exact: true }).selectOption('jpeg');
  await page.getByLabel('Quality', { exact: true }).fill('80');
  await page.getByLabel('Workers', { exact: true }).fill(String(workers));
  // the recipe's sample preview and size estimate (engine work, 0.5 s after the last change) end
  // before the first batch is timed: a person does not press Convert within half a second either
  await page.getByRole('img', { name: 'After: sample through the recipe' }).waitFor({ timeout: 60_000 });
  await page.waitForTimeout(2000);
  // the finished batch's own figures, from its summary card (renderer/src/components/Summary.tsx)
  const summary = page.getByTestId('summary');
  const stat = (name) => summary.locator('dl.stats > div').filter({ has: page.getByText(name, { exact: true }) }).locator('dd');
  let i = 0;
  const uiBatch = async () => {
    const out = join(scratch, `out-${i}`);
    await page.getByLabel('Output folder', { exact: true }).fill(out);
    // other load on the machine during the batch: busy CPU not used by this process tree (UI server, engine, Chromium)
    const t0 = performance.now(), busy0 = machineBusySeconds(), own0 = sampleTree(process.pid).cpuSeconds;
    const roles0 = cpuByRole(process.pid, ui.pid);
    if (opt.profile) await cdp.send('Profiler.enable').then(() => cdp.send('Profiler.start'));
    const m0 = await metrics();
    Object.assign(asked, { outputs: 0, inputs: 0, renders: 0, frames: 0, running: true, rolesAtDone: null, self0: process.cpuUsage(), selfAtDone: null, metricsAtDone: null, rolesAtStart: null, rolesAfterStart: null });
    await page.getByRole('button', { name: 'Convert' }).click();
    await page.waitForFunction(
      (dir) => document.querySelector('[data-testid="summary-output"]')?.textContent === dir && /^(Finished|Cancelled|Stopped)/.test(document.querySelector('[data-testid="state"]')?.textContent ?? ''),
      out,
      { timeout: 600_000, polling: 500 }, // the figure read is the UI's own, so a slow poll costs no accuracy, only less CPU beside the batch
    );
    const wall = (performance.now() - t0) / 1000;
    if (opt.profile) writeFileSync(join(opt.profile, `ui-batch-${i + 1}.cpuprofile`), JSON.stringify((await cdp.send('Profiler.stop')).profile));
    const roles1 = asked.rolesAtDone ?? cpuByRole(process.pid, ui.pid);
    const cpu = Object.fromEntries(Object.keys(roles1).map((k) => [k, +(roles1[k] - (roles0[k] ?? 0)).toFixed(2)]));
    const self = asked.selfAtDone ?? process.cpuUsage(asked.self0);
    cpu.script = +((self.user + self.system) / 1e6).toFixed(2); // Playwright's driver receiving the page's events: measurement overhead
    const { rolesAtStart: atStart, rolesAfterStart: afterStart } = asked;
    const chromiumSplit = atStart && { beforeStart: +(atStart.chromium - roles0.chromium).toFixed(2), first300ms: afterStart ? +(afterStart.chromium - atStart.chromium).toFixed(2) : null, toDone: +(roles1.chromium - atStart.chromium).toFixed(2) };
    const { outputs, inputs, renders, frames } = asked;
    const loaded = { outputs, inputs, renders, frames };
    const m1 = (await asked.metricsAtDone) ?? (await metrics());
    const page$ = Object.fromEntries(METRICS.map((k) => [k, +(m1[k] - m0[k]).toFixed(k.endsWith('Count') ? 0 : 3)]));
    const other = machineBusySeconds() - busy0 - (sampleTree(process.pid).cpuSeconds - own0);
    const state = await page.getByTestId('state').textContent();
    const done = Number(await summary.getByTestId('count-done').textContent());
    const failed = Number(await summary.getByTestId('count-failed').textContent());
    if (state !== 'Finished' || failed || (bench.images && done !== bench.images)) throw new Error(`UI batch ${i + 1}: ${state}, ${done} done, ${failed} failed (bench converted ${bench.images})`);
    const r = { warmup: i < warmup, imagesPerSec: Number(await stat('images/s').textContent()), elapsed: await stat('Time').textContent(), lanes: (await summary.getByTestId('summary-lanes').textContent().catch(() => '')) ?? '', disturbed: other > 0.15 * wall, cpu, chromiumSplit, loaded, page: page$ };
    uiRuns.push(r);
    log(`  UI batch ${i + 1}${r.warmup ? ' (warm-up, not counted)' : ''}: ${r.imagesPerSec} images/s (elapsed shown: ${r.elapsed}; ${r.lanes}; other load ${(other / wall).toFixed(2)} cores)`);
    log(`    CPU s: engine ${cpu.engine}, UI server ${cpu.server}, Chromium ${cpu.chromium}, this script ${cpu.script}; the page loaded ${loaded.outputs} outputs and ${loaded.inputs} inputs, asked for ${loaded.renders} previews or estimates; ${loaded.frames} WebSocket frames received`);
    if (chromiumSplit) log(`    Chromium CPU s before the page sent "start" (the click) ${chromiumSplit.beforeStart}; from "start" to done ${chromiumSplit.toDone}, of which in its first 0.3 s ${chromiumSplit.first300ms ?? '-'}`);
    log(`    Chromium by process: ${Object.keys(cpu).filter((k) => k.startsWith('chromium.')).map((k) => `${k.slice(9)} ${cpu[k]}`).join(', ')}`);
    log(`    page: ${page$.LayoutCount} layouts (${page$.LayoutDuration} s), ${page$.RecalcStyleCount} style recalcs (${page$.RecalcStyleDuration} s), script ${page$.ScriptDuration} s, tasks ${page$.TaskDuration} s`);
    i++;
  };
  for (let w = 0; w < warmup; w++) await uiBatch();
  for (let r = 0; r < rounds; r++) {
    benchRound();
    for (let k = 0; k < repeat; k++) await uiBatch();
  }
} finally {
  await browser.close();
  await ui.stop();
  rmSync(scratch, { recursive: true, force: true });
}

// 3. the verdict
const warm = uiRuns.filter((r) => r.warmup);
uiRuns.splice(0, warm.length);
const uiRate = median(uiRuns.map((r) => r.imagesPerSec));
const ratio = uiRate / bench.imagesPerSec;
const within = Math.abs(ratio - 1) <= 0.05;
const disturbed = [...(bench.disturbed ? ['bench'] : []), ...uiRuns.flatMap((r, i) => (r.disturbed ? [`UI batch ${warm.length + i + 1}`] : []))];
if (opt.json) {
  const out = { corpus, workers, images: bench.images, bench: { imagesPerSec: +bench.imagesPerSec.toFixed(2), runsS: bench.runsS.map((s) => +s.toFixed(3)), engineCpuPerRun: +bench.cpu.toFixed(2) }, ui: { imagesPerSec: uiRate, runs: uiRuns.map((r) => r.imagesPerSec), warmupRuns: warm.map((r) => r.imagesPerSec), cpu: uiRuns.map((r) => r.cpu), chromiumSplit: uiRuns.map((r) => r.chromiumSplit), loaded: uiRuns.map((r) => r.loaded), page: uiRuns.map((r) => r.page) } };
  console.log(JSON.stringify({ ...out, ratio: +ratio.toFixed(3), within5: within, load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '), disturbed }));
} else {
  console.log(`corpus: ${corpus} (${bench.images} images), threads x${workers}`);
  console.log(`bench: ${bench.imagesPerSec.toFixed(1)} images/s (median of ${bench.runsS.length} runs: ${bench.runsS.map((s) => s.toFixed(2)).join(', ')} s; engine ${bench.cpu.toFixed(2)} CPU-s per run)`);
  console.log(`UI:    ${uiRate.toFixed(1)} images/s (median of ${uiRuns.length} batches: ${uiRuns.map((r) => r.imagesPerSec.toFixed(1)).join(', ')}${warm.length ? `; after ${warm.length} warm-up: ${warm.map((r) => r.imagesPerSec.toFixed(1)).join(', ')}` : ''})`);
  console.log(`ratio UI/bench: ${ratio.toFixed(3)}`);
  console.log(`within 5%: ${within ? 'yes' : 'no'}`);
  console.log(`load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  if (disturbed.length) console.log(`WARNING: other load on the machine (> 15% of a core) during ${disturbed.join(', ')}: the figures are not comparable; rerun on a quiet machine`);
}
process.exitCode = within ? 0 : 1;
