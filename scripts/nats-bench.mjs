#!/usr/bin/env node
// Scale-out benchmark (docs/scale-out.md, BENCHMARKS.md): the same batch through a local
// nats-server with N `photopool worker` processes vs the local pool, in one run.
// Prints images/s of both, the bytes that cross the broker per image, the broker's CPU
// seconds per MB moved, and the coordinator's peak RSS.
//
//   node scripts/nats-bench.mjs [CORPUS] [--workers 2] [--threads 1] [--runs 1]
//   (default CORPUS /tmp/perf/corpus/photos-jpeg: bash ../shared/bench/corpus-from-photos.sh)
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

function convert(extra) {
  const out = mkdtempSync(join(tmpdir(), 'pp-natsbench-'));
  const r = spawnSync(process.execPath, [BIN, 'convert', corpus, '-o', out, ...RECIPE, '--json', ...extra], { maxBuffer: 1 << 30 });
  rmSync(out, { recursive: true, force: true });
  const done = r.stdout.toString().trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'done');
  if (!done || done.totals.failed) throw new Error(`batch failed: ${r.stderr}`);
  return done.totals;
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
  for (let i = 0; i < runs; i++) {
    const local = convert(['--workers', String(workers * threads)]);
    process.stderr.write(`local: ${local.imagesPerSec.toFixed(2)} images/s\n`);
    const cpu0 = cpuSeconds(server.pid);
    const remote = convert(['--workers', '0', '--nats', url]);
    const brokerCpu = cpuSeconds(server.pid) - cpu0;
    const n = remote.done;
    const mb = (remote.inputBytes + remote.outputBytes) / 1e6;
    rows.push({ local: local.imagesPerSec, remote: remote.imagesPerSec, perImageKB: (mb * 1000) / n, brokerCpuPerMB: brokerCpu / mb, brokerCpu, coordRssMiB: remote.peakRssBytes / 1048576, n });
  }
} finally {
  await Promise.all(procs.map((p) => new Promise((r) => (p.once('exit', r), p.kill('SIGTERM')))));
  server.kill('SIGTERM');
}
const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`corpus ${corpus}: ${rows[0].n} files; ${workers} worker process(es) x ${threads} vs local pool of ${workers * threads}; load average at the end ${load}`);
console.log('| run | local images/s | via broker images/s | ratio | bytes through the broker per image | broker CPU s per MB | coordinator peak RSS |');
console.log('|---|---|---|---|---|---|---|');
rows.forEach((r, i) =>
  console.log(`| ${i + 1} | ${r.local.toFixed(2)} | ${r.remote.toFixed(2)} | ${(r.remote / r.local).toFixed(2)} | ${r.perImageKB.toFixed(0)} KB in+out (each stored once, read once) | ${r.brokerCpuPerMB.toFixed(4)} (${r.brokerCpu.toFixed(2)} s) | ${r.coordRssMiB.toFixed(0)} MiB |`),
);
rmSync(store, { recursive: true, force: true });
