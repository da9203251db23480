#!/usr/bin/env node
// Memory check (issue 3): does the engine's peak RSS grow with the number of files?
// Converts N hard links of the shipped samples (default 200 and 20000) and prints the
// engine process's peak RSS (getrusage maxrss, reported in the "done" event) for each.
//   node scripts/mem-check.mjs [200 20000] [--src DIR] [--workers 2]
import { spawnSync } from 'node:child_process';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : dflt;
};
const src = opt('--src', new URL('../assets/samples', import.meta.url).pathname);
const workers = opt('--workers', '2');
const counts = args.length ? args.map(Number) : [200, 20000];
const files = readdirSync(src, { recursive: true, withFileTypes: true }).filter((d) => d.isFile() && /\.(jpe?g|png)$/i.test(d.name)).map((d) => join(d.parentPath, d.name));

const rows = [];
for (const n of counts) {
  const dir = mkdtempSync(join(tmpdir(), `pp-mem-${n}-`));
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'in', `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(sub, { recursive: true });
    linkSync(files[i % files.length], join(sub, `${i}-${i % files.length}.jpg`));
  }
  const r = spawnSync(process.execPath, ['bin/photopool', 'convert', join(dir, 'in'), '-o', join(dir, 'out'), '--gray', '--resize', '256x256', '--format', 'jpeg', '--workers', workers, '--json'], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
  const done = events.find((e) => e.type === 'done');
  const codes = {};
  for (const e of events) if (e.type === 'file-failed') codes[e.code] = (codes[e.code] ?? 0) + 1;
  if (Object.keys(codes).length) console.error(`${n} files: failures by code ${JSON.stringify(codes)}; ${JSON.stringify(events.find((e) => e.type === 'file-failed'))}`);
  if (!done) throw new Error(`no done event for ${n} files: ${r.stderr}`);
  const t = done.totals;
  rows.push({ files: n, ok: t.done, failed: t.failed, seconds: +(t.elapsedMs / 1000).toFixed(1), imagesPerSec: +t.imagesPerSec.toFixed(1), peakRssMiB: +(t.peakRssBytes / 1048576).toFixed(1) });
  rmSync(dir, { recursive: true, force: true });
}
console.table(rows);
if (rows.length >= 2) console.log(`peak RSS difference ${rows.at(-1).files} vs ${rows[0].files} files: ${(rows.at(-1).peakRssMiB - rows[0].peakRssMiB).toFixed(1)} MiB`);
