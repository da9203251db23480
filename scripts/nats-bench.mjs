#!/usr/bin/env node
// Scale-out benchmark (docs/scale-out.md, BENCHMARKS.md): the same batch through a local
// nats-server with N `photopool worker` processes vs the local pool, in one run.
// Prints images/s of both and their ratio, the bytes that cross the broker per image, the
// broker's CPU seconds per MB moved, the coordinator's peak RSS, and the CPU ms per image of
// each side (coordinator, workers with their conversion processes, broker), which load hardly
// changes. `npm run nats:bench` (speed: quiet machine only), `npm run nats:memory` (20 000 files).
//
//   node scripts/nats-bench.mjs [CORPUS] [--workers 2] [--threads 1] [--runs 1]
//   (default CORPUS /tmp/perf/corpus/photos-jpeg: bash ../shared/bench/corpus-from-photos.sh)
//   node scripts/nats-bench.mjs --files 200,2000 [--workers 2]   coordinator memory and broker
//   store size for N hard links to one small sample photo (through the broker only)
import { spawn, spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const workers = Number(opt('--workers', '2'));
const threads = Number(opt('--threads', '1'));
const runs = Number(opt('--runs', '1'));
const files = opt('--files', '');
const corpus = resolve(args[0] ?? '/tmp/perf/corpus/photos-jpeg');
const BIN = resolve(import.meta.dirname, '../bin/photopool');
const RECIPE = ['--gray', '--resize', '1024x1024', '--format', 'jpeg'];
const TICK = Number(spawnSync('getconf', ['CLK_TCK']).stdout.toString()) || 100;

const port = await new Promise((r) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => r(p));
  });
});
const url = `nats://127.0.0.1:${port}`;
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const [utime, stime] = f.slice(f.lastIndexOf(')') + 2).split(' ').slice(11, 13).map(Number);
  return (utime + stime) / TICK;
};

/** CPU seconds of `pid`, its reaped children and its live descendants (a worker's conversion processes). */
const stat = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return f.slice(f.lastIndexOf(')') + 2).split(' ');
};
const treeCpu = (pid) => {
  let s;
  try {
    s = stat(pid).slice(11, 15).map(Number).reduce((a, b) => a + b, 0) / TICK;
  } catch {
    return 0; // exited meanwhile
  }
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (Number(stat(d)[1]) === pid) s += treeCpu(Number(d));
    } catch {
      /* gone */
    }
  }
  return s;
};
/** CPU seconds of this script's reaped children: a `convert` run, its engine and pool included. */
const reapedCpu = () => stat('self').slice(13, 15).map(Number).reduce((a, b) => a + b, 0) / TICK;

const du = (dir) => {
  let n = 0;
  try {
    for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) if (e.isFile()) n += statSync(join(e.parentPath, e.name), { throwIfNoEntry: false })?.size ?? 0;
  } catch {
    /* a block file went away while we looked: the next sample counts it */
  }
  return n;
};

/** Consumers the broker keeps on disk (one folder each): what a leak of them would show. */
const consumerDirs = (dir) => {
  try {
    return readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isDirectory() && e.parentPath.endsWith('/obs')).length;
  } catch {
    return 0;
  }
};

/** One batch; resolves to its totals and the largest size the broker's store reached meanwhile. */
async function convert(input, extra) {
  const out = mkdtempSync(join(tmpdir(), 'pp-natsbench-'));
  const child = spawn(process.execPath, [BIN, 'convert', input, '-o', out, ...RECIPE, '--json', ...extra], { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  let storeMax = 0;
  const sampler = setInterval(() => (storeMax = Math.max(storeMax, du(store))), 250);
  child.stdout.on('data', (d) => (stdout += d));
  await new Promise((r) => child.on('close', r));
  clearInterval(sampler);
  rmSync(out, { recursive: true, force: true });
  const done = stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
  if (!done || done.totals.failed) throw new Error('batch failed');
  return { ...done.totals, storeMax };
}

const store = mkdtempSync(join(tmpdir(), 'pp-natsbench-store-'));
const server = spawn('nats-server', ['-js', '-sd', store, '-a', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 500));
const procs = Array.from({ length: workers }, (_, i) =>
  spawn(process.execPath, [BIN, 'worker', '--nats', url, '--workers', String(threads), '--name', `bench${i}`], { stdio: 'ignore' }),
);
await new Promise((r) => setTimeout(r, 1500));
const rows = [];
try {
  if (files) {
    const sample = resolve(import.meta.dirname, '../assets/samples/chelsea.jpg');
    console.log('| files | coordinator peak RSS | broker store at most | broker RSS after | broker consumers after | images/s | load average |');
    console.log('|---|---|---|---|---|---|---|');
    for (const n of files.split(',').map(Number)) {
      const farm = mkdtempSync(join(tmpdir(), 'pp-natsbench-farm-'));
      for (let i = 0; i < n; i++) {
        const sub = join(farm, `d${Math.floor(i / 500)}`);
        mkdirSync(sub, { recursive: true });
        linkSync(sample, join(sub, `${i}.jpg`));
      }
      const t = await convert(farm, ['--workers', '0', '--nats', url]);
      rmSync(farm, { recursive: true, force: true });
      const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
      const brokerRss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
      console.log(`| ${n} | ${(t.peakRssBytes / 1048576).toFixed(0)} MiB | ${(t.storeMax / 1e6).toFixed(1)} MB | ${brokerRss.toFixed(0)} MiB | ${consumerDirs(store)} | ${t.imagesPerSec.toFixed(1)} | ${load} |`);
    }
  }
  for (let i = 0; i < (files ? 0 : runs); i++) {
    const l0 = reapedCpu();
    const local = await convert(corpus, ['--workers', String(workers * threads)]);
    const localCpu = reapedCpu() - l0;
    process.stderr.write(`local: ${local.imagesPerSec.toFixed(2)} images/s\n`);
    const cpu0 = cpuSeconds(server.pid);
    const w0 = procs.reduce((s, p) => s + treeCpu(p.pid), 0);
    const c0 = reapedCpu();
    const remote = await convert(corpus, ['--workers', '0', '--nats', url]);
    const coordCpu = reapedCpu() - c0;
    const workerCpu = procs.reduce((s, p) => s + treeCpu(p.pid), 0) - w0;
    const brokerCpu = cpuSeconds(server.pid) - cpu0;
    const n = remote.done;
    const mb = (remote.inputBytes + remote.outputBytes) / 1e6;
    const per = (s) => (s / n) * 1000; // CPU ms per image
    rows.push({ local: local.imagesPerSec, remote: remote.imagesPerSec, perImageKB: (mb * 1000) / n, brokerCpuPerMB: brokerCpu / mb, brokerCpu, coordRssMiB: remote.peakRssBytes / 1048576, storeMB: remote.storeMax / 1e6, n, cpu: { local: per(localCpu), coord: per(coordCpu), workers: per(workerCpu), broker: per(brokerCpu) } });
  }
} finally {
  await Promise.all(procs.map((p) => new Promise((r) => (p.once('exit', r), p.kill('SIGTERM')))));
  server.kill('SIGTERM');
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
if (rows.length) console.log(`corpus ${corpus}: ${rows[0].n} files; ${workers} worker process(es) x ${threads} vs local pool of ${workers * threads}; load average at the end ${load}`);
if (rows.length) console.log('| run | local images/s | via broker images/s | ratio | bytes through the broker per image | broker CPU s per MB | coordinator peak RSS | broker store at most |');
if (rows.length) console.log('|---|---|---|---|---|---|---|---|');
rows.forEach((r, i) =>
  console.log(`| ${i + 1} | ${r.local.toFixed(2)} | ${r.remote.toFixed(2)} | ${(r.remote / r.local).toFixed(2)} | ${r.perImageKB.toFixed(0)} KB in+out (each stored once, read once) | ${r.brokerCpuPerMB.toFixed(4)} (${r.brokerCpu.toFixed(2)} s) | ${r.coordRssMiB.toFixed(0)} MiB | ${r.storeMB.toFixed(1)} MB |`),
);
// CPU per image does not depend much on the load (unlike images/s): it shows what the broker path costs
if (rows.length) console.log('\nCPU ms per image (all processes of each side; load-independent):\n\n| run | local pool (coordinator + its pool) | via broker: coordinator | workers (+ their conversion processes) | broker | via broker total | total / local |\n|---|---|---|---|---|---|---|');
rows.forEach((r, i) => {
  const total = r.cpu.coord + r.cpu.workers + r.cpu.broker;
  console.log(`| ${i + 1} | ${r.cpu.local.toFixed(1)} | ${r.cpu.coord.toFixed(1)} | ${r.cpu.workers.toFixed(1)} | ${r.cpu.broker.toFixed(1)} | ${total.toFixed(1)} | ${(total / r.cpu.local).toFixed(2)} |`);
});
rmSync(store, { recursive: true, force: true });
