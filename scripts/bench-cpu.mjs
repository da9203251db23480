#!/usr/bin/env node
/**
 * Where the CPU of the reference gray job goes, in figures the machine's load moves little:
 * runs `photopool convert` (gray, fit inside 1024, JPEG q80) RUNS times with
 * PHOTOPOOL_TRACE_CPU=1 and prints the median (min-max) of each figure: CPU seconds of the
 * whole process tree (getrusage of the children, via /usr/bin/time), of the CLI process, of the
 * engine's threads by kind, the main thread's CPU during the batch, its event-loop utilisation,
 * its GCs and scavenges, and the load average before and after.
 *
 * Thread kinds: every engine thread is named "node" but libvips' own; the WORKERS busiest are the
 * pool's threads, of the others the 4 first started (lowest ids) are V8's platform threads
 * (GC and compiler helpers, started with the process), the rest the libuv pool (fs calls).
 *
 * Usage: node scripts/bench-cpu.mjs [--runs 5] [--workers 2] [--corpus DIR] [--root CHECKOUT] [-- extra convert options]
 * (the corpus: ../shared/bench/corpus-from-photos.sh builds /tmp/perf/corpus/photos-jpeg)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values: o, positionals: extra } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, workers: { type: 'string', default: '2' }, corpus: { type: 'string', default: '/tmp/perf/corpus/photos-jpeg' }, root: { type: 'string' } },
  allowPositionals: true,
});
const root = resolve(o.root ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const workers = Number(o.workers);

/** The figures of one run, from the trace lines on stderr and /usr/bin/time's last line. */
function parse(stderr) {
  const num = (re) => Number(stderr.match(re)?.[1] ?? NaN);
  const f = {
    tree: num(/^tree-cpu ([\d.]+)/m),
    cli: num(/trace cli process CPU ([\d.]+)/),
    mainBatch: num(/main thread during the batch: ([\d.]+) s/),
    elu: num(/event-loop utilisation ([\d.]+)/),
    gcs: num(/; (\d+) GCs/),
    scavenges: num(/\((\d+) scavenges\)/),
  };
  const each = stderr.match(/cpu of each thread over 0\.01 s: (.*)/)?.[1] ?? '';
  const threads = [...each.matchAll(/([^,#]+)#(\d+) ([\d.]+)/g)].map((m) => ({ name: m[1].trim(), tid: Number(m[2]), s: Number(m[3]) }));
  const sum = (list) => list.reduce((a, t) => a + t.s, 0);
  const node = threads.filter((t) => t.name === 'node');
  const pool = [...node].sort((a, b) => b.s - a.s).slice(0, workers);
  const rest = node.filter((t) => !pool.includes(t)).sort((a, b) => a.tid - b.tid);
  Object.assign(f, {
    workers: sum(pool),
    libvips: sum(threads.filter((t) => t.name === 'libvips worker')),
    v8Platform: sum(rest.slice(0, 4)),
    libuv: sum(rest.slice(4)),
    main: sum(threads.filter((t) => t.name === 'main')),
  });
  f.notWorkers = f.tree - f.workers;
  return f;
}

const runs = [];
const load = [loadavg()[0]];
for (let i = 0; i < Number(o.runs); i++) {
  const out = mkdtempSync(join(tmpdir(), 'bench-cpu-'));
  const args = [join(root, 'bin/photopool'), 'convert', o.corpus, '-o', out, '--gray', '--resize', '1024x1024', '--format', 'jpeg', '--quality', '80', '--workers', String(workers), ...extra];
  const r = spawnSync('/usr/bin/time', ['-f', 'tree-cpu %U %S', process.execPath, ...args], { env: { ...process.env, PHOTOPOOL_TRACE_CPU: '1' }, encoding: 'utf8' });
  rmSync(out, { recursive: true, force: true });
  if (r.status !== 0) throw new Error(`run ${i + 1} failed (${r.status}): ${r.stderr}`);
  const stderr = r.stderr.replace(/^tree-cpu ([\d.]+) ([\d.]+)$/m, (_, u, s) => `tree-cpu ${Number(u) + Number(s)}`);
  runs.push(parse(stderr));
  process.stderr.write(`run ${i + 1}: ${JSON.stringify(runs.at(-1))}\n`);
}
load.push(loadavg()[0]);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(`bench-cpu: ${runs.length} runs of the gray job at ${workers} workers (${root}); load average ${load.map((l) => l.toFixed(1)).join(' -> ')}; median (min-max)`);
for (const key of Object.keys(runs[0])) {
  const xs = runs.map((r) => r[key]);
  const d = key === 'elu' ? 3 : key === 'gcs' || key === 'scavenges' ? 0 : 2;
  console.log(`  ${key.padEnd(11)} ${median(xs).toFixed(d).padStart(7)} (${Math.min(...xs).toFixed(d)}-${Math.max(...xs).toFixed(d)})`);
}
