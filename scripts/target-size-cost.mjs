#!/usr/bin/env node
// What a target file size (--max-size) costs per file: the worker pipeline (dist/workers) on each
// photo, resized into a box and encoded as JPEG, once without a target and once per target,
// interleaved, one file at a time on one thread. Prints encodes per file and milliseconds.
// Usage: npm run build && node scripts/target-size-cost.mjs [DIR=../shared/photos] [--box 1600] [--q 90] [--targets 300KB,100KB] [--rounds 3]
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

const { encode } = await import(new URL('../dist/workers/pipeline.js', import.meta.url).href);
const { JobSpecSchema } = await import(new URL('../dist/common/job.js', import.meta.url).href);
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const box = Number(opt('--box', '1600'));
const quality = Number(opt('--q', '90'));
const targets = opt('--targets', '300KB,100KB').split(',');
const rounds = Number(opt('--rounds', '3'));
const dir = args[0] ?? new URL('../../shared/photos', import.meta.url).pathname;
const files = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort();

const task = (maxSize) => {
  const spec = JobSpecSchema.parse({ inputs: ['x'], output: 'y', quality, ops: { resize: { width: box, height: box }, ...(maxSize && { maxSize }) } });
  return { input: '', inputFormat: 'jpeg', tmp: '', format: 'jpeg', quality, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false };
};
const configs = [['none', task()], ...targets.map((t) => [t, task(t)])];
const ms = new Map(configs.map(([n]) => [n, []]));
const encodes = new Map(configs.map(([n]) => [n, []]));
const under = new Map(configs.map(([n]) => [n, []]));
const load = loadavg()[0];
for (let r = 0; r < rounds; r++) {
  for (const f of files) {
    const input = readFileSync(join(dir, f));
    for (const [name, t] of configs) {
      const started = performance.now();
      const out = await encode(input, t);
      ms.get(name).push(performance.now() - started);
      if (r === 0) {
        encodes.get(name).push(out.encodes ?? 1);
        if (name !== 'none') under.get(name).push(out.data.length / JobSpecSchema.shape.ops.unwrap().shape.maxSize.parse(name));
      }
    }
  }
}
const sum = (a) => a.reduce((s, x) => s + x, 0);
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const base = sum(ms.get('none')) / rounds;
console.log(`${files.length} photos from ${dir}, fit inside ${box}x${box}, JPEG, quality ceiling ${quality}, ${rounds} rounds interleaved; ${cpus()[0].model}, load average ${load.toFixed(1)} at the start`);
console.log('\n| target | encodes per file (mean / median / max) | ms per file (mean) | time vs no target | output / target (mean, min) |');
console.log('|---|---|---|---|---|');
for (const [name] of configs) {
  const e = encodes.get(name);
  const total = sum(ms.get(name)) / rounds;
  const u = under.get(name);
  console.log(
    `| ${name} | ${(sum(e) / e.length).toFixed(2)} / ${median(e)} / ${Math.max(...e)} | ${(total / files.length).toFixed(0)} | ${(total / base).toFixed(2)}x | ${u.length ? `${(sum(u) / u.length).toFixed(2)}, ${Math.min(...u).toFixed(2)}` : '-'} |`,
  );
}
