#!/usr/bin/env node
// verify-colour.mjs IN OUT EXT BOX: one output per input (stem.EXT), colour for a colour input (a gray
// input may stay one channel, as vipsthumbnail keeps it), fits BOX x BOX,
// never enlarged, aspect kept (within a pixel). Exit 1 with the first problem.
import { readdirSync } from 'node:fs';
import { join, parse } from 'node:path';
import sharp from 'sharp';

const [inDir, outDir, ext, boxArg] = process.argv.slice(2);
const box = Number(boxArg);
const inputs = readdirSync(inDir).filter((f) => /\.jpe?g$/i.test(f));
let ok = 0;
for (const f of inputs) {
  const out = join(outDir, parse(f).name + '.' + ext);
  const [a, b] = await Promise.all([sharp(join(inDir, f)).metadata(), sharp(out).metadata()]).catch((e) => {
    console.error(`${out}: ${e.message}`);
    process.exit(1);
  });
  const [iw, ih] = (a.orientation ?? 1) >= 5 ? [a.height, a.width] : [a.width, a.height];
  const s = Math.min(1, box / iw, box / ih);
  if (b.channels < Math.min(3, a.channels) || Math.abs(b.width - iw * s) > 1.01 || Math.abs(b.height - ih * s) > 1.01) {
    console.error(`${out}: ${b.width}x${b.height}x${b.channels}, expected about ${Math.round(iw * s)}x${Math.round(ih * s)}x${Math.min(3, a.channels)}`);
    process.exit(1);
  }
  ok++;
}
console.log(JSON.stringify({ ok, of: inputs.length }));
