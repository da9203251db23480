#!/usr/bin/env node
/**
 * Where the gray job's CPU goes, stage by stage: every JPEG of CORPUS through the luma lane's
 * steps in this one thread (sharp at concurrency 1), as workers/luma-lane.ts runs them: read,
 * header, chroma strip (progressive files), Y-plane decode at the DCT scale n/8, resize (linear,
 * libvips on this thread as the workers do, workers/vips-sync.ts; sharp where it is unavailable), encode (with optimised Huffman tables, as PhotoPool writes, and with the standard
 * tables, as OpenCV and vipsthumbnail write); in stored orientation (EXIF turns left out). CPU
 * seconds of the process (every thread), summed over ROUNDS passes and divided by ROUNDS; the
 * files' DCT scales and output bytes too.
 * Needs a build (npm run build): it imports dist/workers.
 *
 *   node scripts/bench/gray-stages.mjs [CORPUS] [--rounds 2] [--box 1024] [--quality 80]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { allowBlocking } from '../../dist/workers/blocking.js';
import { scanJpeg } from '../../dist/workers/jpeg-header.js';
import { dctScale, fitInside } from '../../dist/workers/luma-lane.js';
import { stripChroma } from '../../dist/workers/luma-strip.js';
import { decodeLuma, encodeLuma, lumaInfo, turboPath } from '../../dist/workers/turbojpeg.js';
import { vipsSync } from '../../dist/workers/vips-sync.js';

const { values: o, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string', default: '2' }, box: { type: 'string', default: '1024' }, quality: { type: 'string', default: '80' } } });
const dir = positionals[0] ?? '/tmp/perf/corpus/photos-jpeg';
const rounds = Number(o.rounds);
const box = Number(o.box);
const quality = Number(o.quality);
sharp.concurrency(1);
if (!turboPath()) throw new Error('libturbojpeg is not available: the luma lane is off');
allowBlocking(); // this script's thread does the work, as a worker's does
const vips = vipsSync();
const resizeStage = vips ? 'resize (libvips, this thread, linear)' : 'resize (sharp, linear)';

const files = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort().map((f) => join(dir, f));
const cpu = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};
const t = {};
const add = (k, since) => (t[k] = (t[k] ?? 0) + cpu() - since);
const scales = {};
let progressive = 0;
let resized = 0;
let bytes = { optimised: 0, standard: 0 };
for (let r = 0; r < rounds; r++) {
  for (const f of files) {
    let c = cpu();
    const input = readFileSync(f);
    add('read', c);
    c = cpu();
    const hdr = scanJpeg(input);
    const info = lumaInfo(input);
    add('header', c);
    if (!hdr?.srgb || !info) continue; // not for the lane
    const { width: W, height: H } = info;
    const [tw, th] = fitInside(W, H, box, box);
    const n = dctScale(W, H, tw, th);
    const sw = Math.ceil((W * n) / 8);
    const sh = Math.ceil((H * n) / 8);
    c = cpu();
    const gray = hdr.progressive ? stripChroma(input) : null;
    if (gray) add('chroma strip (progressive)', c);
    const luma = Buffer.alloc(sw * sh);
    c = cpu();
    await decodeLuma(gray ?? input, n, sw, sh, luma);
    add(hdr.progressive ? 'decode, progressive' : 'decode, baseline', c);
    let px = luma;
    c = cpu();
    if (sw !== tw || sh !== th) {
      if (vips) vips.resizeOriented(luma, sw, sh, tw, th, 1, 'linear', (px = Buffer.alloc(tw * th)));
      else px = await sharp(luma, { raw: { width: sw, height: sh, channels: 1 } }).resize(tw, th, { fit: 'fill', kernel: 'linear' }).toColourspace('b-w').raw().toBuffer();
    }
    add(resizeStage, c);
    c = cpu();
    const a = (await encodeLuma(px, tw, th, quality)).length;
    add('encode, optimised Huffman tables', c);
    c = cpu();
    const b = (await encodeLuma(px, tw, th, quality, false)).length;
    add('encode, standard tables', c);
    if (r === 0) {
      scales[`${n}/8`] = (scales[`${n}/8`] ?? 0) + 1;
      progressive += hdr.progressive ? 1 : 0;
      resized += px !== luma ? 1 : 0;
      bytes = { optimised: bytes.optimised + a, standard: bytes.standard + b };
    }
  }
}
console.log(`${files.length} files in ${dir}: ${progressive} progressive, ${resized} resized; DCT scales ${JSON.stringify(scales)}`);
console.log(`CPU seconds per pass (mean of ${rounds}), one thread:`);
for (const [k, v] of Object.entries(t)) console.log(`  ${k.padEnd(40)} ${(v / rounds / 1e6).toFixed(3)}`);
console.log(`output bytes: optimised ${bytes.optimised}, standard ${bytes.standard} (+${((bytes.standard / bytes.optimised - 1) * 100).toFixed(1)}%)`);
