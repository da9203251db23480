#!/usr/bin/env node
// Heap allocated per scanned file (node scripts/scan-alloc.mjs [files]; needs npm run build): the
// scan (engine/scan.ts: walk, head read, sniff) over `files` hard links of assets/samples, under
// V8's sampling heap profiler keeping the objects already collected, so garbage counts too. Prints
// bytes per file, in all and by allocating function. Does not depend on the machine's load.
import { Session } from 'node:inspector/promises';
import { linkSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const { scan } = await import(join(ROOT, 'dist/engine/scan.js'));
const N = Number(process.argv[2] ?? 5000);
const dir = join(tmpdir(), `photopool-scan-alloc-${process.pid}`);
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const samples = readdirSync(join(ROOT, 'assets/samples')).filter((f) => /\.jpe?g$/i.test(f));
for (let i = 0; i < N; i++) {
  const sub = join(dir, `d${Math.floor(i / 1000)}`);
  if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
  linkSync(join(ROOT, 'assets/samples', samples[i % samples.length]), join(sub, `${i}-${samples[i % samples.length]}`));
}
for await (const _ of scan([join(dir, 'd0')])); // warm up (modules, code)
const s = new Session();
s.connect();
await s.post('HeapProfiler.enable');
await s.post('HeapProfiler.startSampling', { samplingInterval: 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
const ab = process.memoryUsage().arrayBuffers;
let n = 0;
for await (const _ of scan([dir])) n++;
const { profile } = await s.post('HeapProfiler.stopSampling');
const by = new Map();
let total = 0;
(function walk(node) {
  const f = node.callFrame;
  const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}`;
  total += node.selfSize;
  if (node.selfSize) by.set(name, (by.get(name) ?? 0) + node.selfSize);
  node.children.forEach(walk);
})(profile.head);
console.log(`${n} files: ${Math.round(total / n)} bytes of heap allocated per file (sampled, collected objects included); array buffers now ${((process.memoryUsage().arrayBuffers - ab) / 2 ** 20).toFixed(1)} MiB above the start`);
for (const [k, v] of [...by].sort((a, b) => b[1] - a[1]).slice(0, 12)) console.log(String(Math.round(v / n)).padStart(7), k);
