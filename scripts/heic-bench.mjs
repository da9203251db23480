#!/usr/bin/env node
// HEIC decode speed per decoder (issue 14): the system libheif through koffi and libheif's
// WebAssembly build, on the same files, interleaved, N rounds; prints a markdown table.
// Usage: npm run build && node scripts/heic-bench.mjs [FILE.heic...] [--rounds 5]
// Without files it makes the 12 MP file of BENCHMARKS.md: lomiri16_Dragonfly_by_Bolly.jpg of
// ../shared/photos cropped to 4000x3000 and encoded with heif-enc -q 50 (in the temp folder).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg, cpus, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import sharp from 'sharp';

const { heicBackend } = await import(new URL('../dist/workers/decode/heic-backend.js', import.meta.url).href);
const args = process.argv.slice(2);
const ri = args.indexOf('--rounds');
const rounds = ri >= 0 ? Number(args.splice(ri, 2)[1]) : 5;
const files = args.length ? args : [await twelveMegapixels()];

/** The 12 MP HEIC of BENCHMARKS.md, made once in the temp folder. */
async function twelveMegapixels() {
  const dir = join(tmpdir(), 'photopool-heic-bench');
  const heic = join(dir, 'dragonfly-4000x3000.heic');
  if (existsSync(heic)) return heic;
  mkdirSync(dir, { recursive: true });
  const src = new URL('../../shared/photos/lomiri16_Dragonfly_by_Bolly.jpg', import.meta.url).pathname;
  if (!existsSync(src)) {
    console.error(`usage: node scripts/heic-bench.mjs FILE.heic... [--rounds N] (no file given, and ${src} to make one is missing)`);
    process.exit(2);
  }
  const jpeg = join(dir, 'dragonfly-4000x3000.jpg');
  await sharp(src).resize(4000, 3000, { fit: 'cover' }).jpeg({ quality: 95 }).toFile(jpeg);
  execFileSync('heif-enc', ['-q', '50', '-o', heic, jpeg]);
  return heic;
}
const backends = ['native', 'wasm'].map((w) => {
  const t = performance.now();
  const b = heicBackend(w);
  return { want: w, b, loadMs: performance.now() - t };
});
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
console.log(`${cpus()[0].model}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at start`);
console.log('\n| file | size | decoder | load (first use) | decode median (wall) | min | max | CPU time median |\n|---|---|---|---|---|---|---|---|');
for (const f of files) {
  const bytes = readFileSync(f);
  const times = new Map(backends.map((x) => [x.want, []]));
  const cpu = new Map(backends.map((x) => [x.want, []]));
  let dims = '';
  for (let r = 0; r < rounds; r++) {
    for (const { want, b } of r % 2 ? [...backends].reverse() : backends) {
      if (!b) continue;
      const t = performance.now();
      const c = process.cpuUsage();
      const px = b.decode(bytes, 268e6);
      times.get(want).push(performance.now() - t);
      const used = process.cpuUsage(c); // all threads of this process: less sensitive to other load than wall time
      cpu.get(want).push((used.user + used.system) / 1000);
      dims = `${px.width}x${px.height} (${((px.width * px.height) / 1e6).toFixed(1)} MP)`;
    }
  }
  for (const { want, b, loadMs } of backends) {
    const t = times.get(want);
    if (!b) console.log(`| ${basename(f)} | ${dims} | ${want}: not available | | | | | |`);
    else console.log(`| ${basename(f)} | ${dims} | ${b.name} | ${loadMs.toFixed(0)} ms | ${median(t).toFixed(0)} ms | ${Math.min(...t).toFixed(0)} ms | ${Math.max(...t).toFixed(0)} ms | ${median(cpu.get(want)).toFixed(0)} ms |`);
  }
}
console.log(`\nload average ${loadavg().map((l) => l.toFixed(2)).join(' ')} at the end; ${rounds} rounds, decoders interleaved`);
