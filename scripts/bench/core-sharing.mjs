#!/usr/bin/env node
// How much a second busy process slows the first on this machine: the same work alone and two
// copies at once, ROUNDS alternated rounds, medians. Two kinds of work: an arithmetic loop
// (slows down only if the two CPUs are hyperthreads of one core) and sharp on photos (fit
// inside 1024, gray, JPEG q80, one libvips thread, nothing cached: the caches and memory
// bandwidth the two cores share). Two processes scale by 2 x alone / at once: the most two
// workers can get here, whatever runs them (BENCHMARKS.md "Session 12").
//
//   node scripts/bench/core-sharing.mjs [CORPUS] [--rounds N] [--files N]
//     (default /tmp/perf/corpus/photos-jpeg, 4 rounds, 60 files)
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './median.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '4' }, files: { type: 'string', default: '60' }, child: { type: 'string' } },
});
const corpus = positionals[0] ?? '/tmp/perf/corpus/photos-jpeg';

/** One copy of the work: prints its own milliseconds. */
async function child(kind) {
  if (kind === 'loop') {
    const t0 = performance.now();
    let x = 0;
    for (let i = 0; i < 1.5e9; i++) x = (x + i * 2654435761) | 0;
    console.log(performance.now() - t0, x & 1); // x printed, so the loop cannot be dropped
    return;
  }
  const sharp = createRequire(import.meta.url)('sharp');
  sharp.concurrency(1);
  sharp.cache(false);
  const names = readdirSync(corpus).sort().slice(0, Number(values.files));
  const photos = names.map((f) => readFileSync(join(corpus, f)));
  const t0 = performance.now();
  for (const b of photos) await sharp(b).resize(1024, 1024, { fit: 'inside', withoutEnlargement: true }).grayscale().jpeg({ quality: 80 }).toBuffer();
  console.log(performance.now() - t0);
}

if (values.child) {
  await child(values.child);
} else {
  for (const [name, value] of [['--rounds', values.rounds], ['--files', values.files]]) {
    if (!(Number.isInteger(Number(value)) && Number(value) > 0)) throw new Error(`${name}: expected a whole number above 0, got ${value}`);
  }
  const self = fileURLToPath(import.meta.url);
  /** n copies at once: each one's milliseconds. */
  const copies = (kind, n) =>
    Promise.all(
      Array.from({ length: n }, () => {
        const c = spawn(process.execPath, [self, corpus, '--files', values.files, '--child', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout.on('data', (d) => (out += d));
        return new Promise((res, rej) => c.on('exit', (code) => (code === 0 ? res(Number.parseFloat(out)) : rej(new Error(`core-sharing: a ${kind} copy exited ${code}`)))));
      }),
    );
  console.log(`| work | alone, ms | two at once, ms each | slower beside a second copy | two processes over one |`);
  console.log('|---|---|---|---|---|');
  for (const kind of ['loop', 'sharp']) {
    const alone = [];
    const both = [];
    for (let r = 0; r < Number(values.rounds); r++) {
      alone.push(...(await copies(kind, 1)));
      both.push(...(await copies(kind, 2)));
    }
    const [a, b] = [median(alone), median(both)];
    const label = kind === 'loop' ? 'arithmetic loop' : `sharp, ${values.files} photos of ${corpus}`;
    console.log(`| ${label} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${((b / a - 1) * 100).toFixed(1)}% | ${((2 * a) / b).toFixed(2)}x |`);
  }
}
