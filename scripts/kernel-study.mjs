#!/usr/bin/env node
/**
 * Which resize kernel (and which DCT scale) the gray job should use by default, from numbers:
 * quality against a float reference and CPU time, per photo, over a folder of JPEGs.
 *
 *   npm run build && node scripts/kernel-study.mjs [DIR=../shared/photos] [BOX=1024]
 *
 * Reference: the full-resolution decode (no DCT scaling), Rec.601 gray in float, a separable
 * lanczos3 resize in float64 sums written here (no shrink-on-load, no 8-bit rounding between
 * steps), rounded once for the comparison. Candidates: what the luma lane does, i.e. libjpeg-turbo's Y plane at
 * a DCT scale n/8, then a sharp resize with the kernel, 8-bit. Two scale rules: the smallest n/8
 * that covers the target (">=1x", the lane today) and the smallest that covers twice the target
 * (">=2x", more pixels for the kernel to work with). Metrics per output (before JPEG encoding,
 * which adds the same loss to all): mean absolute difference (gray levels) and SSIM (8x8
 * windows, step 4, on 0..255; the usual constants). CPU: user+system time of decode+resize,
 * single-threaded in this process, median of 5 per photo, summed over the folder. The machine
 * may be loaded: CPU time is less sensitive to that than wall time, but compare ratios only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';

const dist = new URL('../dist/workers/', import.meta.url);
const { lumaInfo, decodeLuma, turboPath } = await import(new URL('turbojpeg.js', dist).href);
const { fitInside } = await import(new URL('luma-lane.js', dist).href);
if (!turboPath()) {
  console.error('kernel-study: libturbojpeg 3 is not available here (the luma lane is off); nothing to compare');
  process.exit(1);
}
sharp.cache(false);
sharp.concurrency(1);

const dir = resolve(process.argv[2] ?? new URL('../../shared/photos', import.meta.url).pathname);
const BOX = Number(process.argv[3] ?? 1024);
const KERNELS = ['lanczos3', 'mitchell', 'cubic', 'linear'];
const RULES = { '>=1x': 1, '>=2x': 2 };
const REPS = 5;

function scaleFor(W, H, tw, th, factor) {
  let n = 1;
  while (n < 8 && (Math.ceil((W * n) / 8) < Math.min(W, tw * factor) || Math.ceil((H * n) / 8) < Math.min(H, th * factor))) n++;
  return n;
}

const sinc = (x) => (x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x));
const lanczos3 = (x) => (Math.abs(x) < 3 ? sinc(x) * sinc(x / 3) : 0);

/** Separable lanczos3 resize of one float plane (src w x h -> dw x dh), in float64 sums. */
function resizeFloat(src, w, h, dw, dh) {
  const pass = (input, inW, inH, outLen, horizontal) => {
    const n = horizontal ? inW : inH;
    const scale = n / outLen;
    const support = 3 * Math.max(1, scale);
    const out = new Float32Array(horizontal ? outLen * inH : inW * outLen);
    for (let o = 0; o < outLen; o++) {
      const centre = (o + 0.5) * scale - 0.5;
      const lo = Math.max(0, Math.ceil(centre - support));
      const hi = Math.min(n - 1, Math.floor(centre + support));
      const wts = [];
      let sum = 0;
      for (let i = lo; i <= hi; i++) {
        const wt = lanczos3((i - centre) / Math.max(1, scale));
        wts.push(wt);
        sum += wt;
      }
      if (horizontal) {
        for (let y = 0; y < inH; y++) {
          let acc = 0;
          const row = y * inW;
          for (let i = lo; i <= hi; i++) acc += wts[i - lo] * input[row + i];
          out[y * outLen + o] = acc / sum;
        }
      } else {
        for (let x = 0; x < inW; x++) {
          let acc = 0;
          for (let i = lo; i <= hi; i++) acc += wts[i - lo] * input[i * inW + x];
          out[o * inW + x] = acc / sum;
        }
      }
    }
    return out;
  };
  return pass(pass(src, w, h, dw, true), dw, h, dh, false);
}

async function reference(buf, tw, th) {
  const { data, info } = await sharp(buf, { autoOrient: false, limitInputPixels: false }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const gray = new Float32Array(info.width * info.height);
  const c = info.channels;
  for (let i = 0, j = 0; j < gray.length; i += c, j++) gray[j] = c >= 3 ? 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2] : data[i];
  return resizeFloat(gray, info.width, info.height, tw, th);
}

async function candidate(buf, W, H, n, tw, th, kernel) {
  const sw = Math.ceil((W * n) / 8);
  const sh = Math.ceil((H * n) / 8);
  const plane = Buffer.alloc(sw * sh);
  await decodeLuma(buf, n, sw, sh, plane);
  if (sw === tw && sh === th) return plane;
  return sharp(plane, { raw: { width: sw, height: sh, channels: 1 } }).resize(tw, th, { fit: 'fill', kernel }).toColourspace('b-w').raw().toBuffer();
}

function mad(ref, img) {
  let s = 0;
  for (let i = 0; i < ref.length; i++) s += Math.abs(Math.min(255, Math.max(0, Math.round(ref[i]))) - img[i]);
  return s / ref.length;
}

function ssim(ref, img, w, h) {
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  let total = 0;
  let windows = 0;
  for (let y = 0; y + 8 <= h; y += 4) {
    for (let x = 0; x + 8 <= w; x += 4) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let dy = 0; dy < 8; dy++) {
        for (let dx = 0; dx < 8; dx++) {
          const i = (y + dy) * w + x + dx;
          const a = ref[i];
          const b = img[i];
          sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
        }
      }
      const ma = sa / 64, mb = sb / 64;
      const va = saa / 64 - ma * ma, vb = sbb / 64 - mb * mb, cov = sab / 64 - ma * mb;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      windows++;
    }
  }
  return windows ? total / windows : 1;
}

function cpuMs(fn) {
  const t = process.cpuUsage();
  return fn().then(() => {
    const d = process.cpuUsage(t);
    return (d.user + d.system) / 1000;
  });
}

const files = readdirSync(dir).filter((f) => /\.jpe?g$/i.test(f)).sort();
const acc = new Map();
for (const f of files) {
  const buf = readFileSync(join(dir, f));
  const info = lumaInfo(buf);
  if (!info) continue;
  const { width: W, height: H } = info;
  const [tw, th] = fitInside(W, H, BOX, BOX);
  const ref = await reference(buf, tw, th);
  for (const [rule, factor] of Object.entries(RULES)) {
    const n = scaleFor(W, H, tw, th, factor);
    for (const kernel of KERNELS) {
      const key = `${kernel} ${rule}`;
      const img = await candidate(buf, W, H, n, tw, th, kernel);
      const times = [];
      for (let r = 0; r < REPS; r++) times.push(await cpuMs(() => candidate(buf, W, H, n, tw, th, kernel)));
      times.sort((a, b) => a - b);
      const a = acc.get(key) ?? { kernel, rule, mad: 0, ssim: 0, cpu: 0, n: 0, worst: { mad: 0, file: '' } };
      const m = mad(ref, img);
      a.mad += m;
      a.ssim += ssim(ref, img, tw, th);
      a.cpu += times[REPS >> 1];
      a.n++;
      if (m > a.worst.mad) a.worst = { mad: m, file: f };
      acc.set(key, a);
    }
  }
}
const rows = [...acc.values()];
const base = acc.get('lanczos3 >=1x');
console.log(`${files.length} photos from ${dir}, gray, fit inside ${BOX}x${BOX}; reference: full decode, float Rec.601, float lanczos3 (JS)`);
console.log('| kernel | DCT scale rule | mean abs diff (gray levels) | worst photo | mean SSIM | decode+resize CPU, s | CPU vs lanczos3 >=1x |');
console.log('|---|---|---|---|---|---|---|');
for (const r of rows.sort((a, b) => a.cpu - b.cpu)) {
  console.log(`| ${r.kernel} | ${r.rule} | ${(r.mad / r.n).toFixed(3)} | ${r.worst.mad.toFixed(2)} (${r.worst.file}) | ${(r.ssim / r.n).toFixed(4)} | ${(r.cpu / 1000).toFixed(2)} | ${(r.cpu / base.cpu).toFixed(2)}x |`);
}
