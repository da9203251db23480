/**
 * luma-strip.ts: a progressive YCbCr JPEG rewritten with its Y component alone decodes to the
 * very same luma plane, at every DCT scale, for every subsampling and odd sizes, with libjpeg's
 * own and mozjpeg's scan scripts; what it cannot rewrite it leaves alone; and the decoder then
 * holds Y's coefficients alone (the chroma ones were half to two thirds of its memory).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type JpegOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { scanJpeg } from '../workers/jpeg-header.js';
import { encode, encodeWithSharp } from '../workers/pipeline.js';
import { stripChroma } from '../workers/luma-strip.js';
import { decodeLuma, lumaInfo, turboPath } from '../workers/turbojpeg.js';
import { convertTask, SAMPLES } from './helpers.js';

const coffee = readFileSync(join(SAMPLES, 'coffee.jpg')); // 600x400 colour

async function progressive(width: number, height: number, opts: JpegOptions): Promise<Buffer> {
  return sharp(coffee).resize(width, height, { fit: 'fill' }).jpeg({ quality: 90, progressive: true, ...opts }).toBuffer();
}

async function luma(jpeg: Buffer, n: number): Promise<Buffer> {
  const info = lumaInfo(jpeg)!;
  const w = Math.ceil((info.width * n) / 8);
  const h = Math.ceil((info.height * n) / 8);
  const out = Buffer.alloc(w * h);
  await decodeLuma(jpeg, n, w, h, out);
  return out;
}

/** Bytes libjpeg holds for a progressive decode: 128 per 8x8 block of every component in the frame. */
function coefficientBytes(jpeg: Buffer): number {
  const hdr = scanJpeg(jpeg)!;
  expect(hdr.progressive).toBe(true);
  let i = 2;
  while (jpeg[i + 1] !== 0xc2) i += 2 + jpeg.readUInt16BE(i + 2);
  const [height, width, nf] = [jpeg.readUInt16BE(i + 5), jpeg.readUInt16BE(i + 7), jpeg[i + 9]!];
  const comps = Array.from({ length: nf }, (_, k) => jpeg[i + 11 + 3 * k]!);
  const hmax = Math.max(...comps.map((s) => s >> 4));
  const vmax = Math.max(...comps.map((s) => s & 15));
  return comps.reduce((sum, s) => sum + Math.ceil((width * (s >> 4)) / hmax / 8) * Math.ceil((height * (s & 15)) / vmax / 8) * 128, 0);
}

// The decoder is libturbojpeg from @julusian/jpeg-turbo's Linux builds (as in luma-lane.test.ts).
describe.runIf(process.platform === 'linux')('progressive JPEG without its chroma', () => {
  it('decodes to the same luma plane at every scale (4:2:0, 4:4:4, odd sizes, libjpeg and mozjpeg scans)', async () => {
    expect(turboPath(), 'libturbojpeg 3 should load from @julusian/jpeg-turbo').toBeTruthy();
    const cases: [number, number, JpegOptions][] = [
      [600, 400, { chromaSubsampling: '4:2:0' }],
      [333, 217, { chromaSubsampling: '4:2:0' }],
      [257, 129, { chromaSubsampling: '4:4:4' }],
      [401, 299, { chromaSubsampling: '4:2:0', mozjpeg: true }],
      [403, 301, { chromaSubsampling: '4:4:4', mozjpeg: true }],
    ];
    for (const [w, h, opts] of cases) {
      const jpeg = await progressive(w, h, opts);
      const gray = stripChroma(jpeg);
      const what = `${w}x${h} ${JSON.stringify(opts)}`;
      expect(gray, what).not.toBeNull();
      expect((await sharp(gray!).metadata()).channels, what).toBe(1);
      expect(lumaInfo(gray!), what).toEqual({ width: w, height: h });
      for (const n of [1, 2, 3, 8]) expect((await luma(gray!, n)).equals(await luma(jpeg, n)), `${what} at ${n}/8`).toBe(true);
    }
  });

  it('leaves the decoder only the coefficients of Y to hold: a third of them in 4:4:4, two thirds in 4:2:0', async () => {
    for (const [sub, share] of [['4:4:4', 1 / 3], ['4:2:0', 2 / 3]] as const) {
      const jpeg = await progressive(600, 400, { chromaSubsampling: sub });
      const gray = stripChroma(jpeg)!;
      expect(coefficientBytes(gray), sub).toBe(Math.ceil(600 / 8) * Math.ceil(400 / 8) * 128);
      expect(coefficientBytes(gray) / coefficientBytes(jpeg), sub).toBeCloseTo(share, 2);
    }
  });

  it('a progressive photo still goes through the luma lane, rotated and sized as by sharp', async () => {
    const jpeg = await sharp(coffee).withMetadata({ orientation: 6 }).jpeg({ quality: 95, progressive: true }).toBuffer();
    const task = convertTask({ quality: 95 });
    const fast = await encode(jpeg, task);
    const slow = await encodeWithSharp(jpeg, task);
    expect(fast.lane).toBe('luma');
    expect([fast.outWidth, fast.outHeight]).toEqual([171, 256]);
    const [a, b] = await Promise.all([fast, slow].map((o) => sharp(o.data).raw().toBuffer()));
    let diff = 0;
    for (let i = 0; i < a!.length; i++) diff += Math.abs(a![i]! - b![i]!);
    expect(diff / a!.length).toBeLessThan(2); // a wrong rotation or lost detail differs by tens
  });

  it('leaves alone what it does not rewrite: baseline, gray, cut short, restart markers, extraneous bytes, not a JPEG', async () => {
    const baseline = await sharp(coffee).jpeg().toBuffer();
    const gray = await sharp(coffee).toColourspace('b-w').jpeg({ progressive: true }).toBuffer();
    const whole = await progressive(600, 400, {});
    expect(stripChroma(baseline)).toBeNull();
    expect(stripChroma(gray)).toBeNull(); // one component: nothing to strip
    expect(stripChroma(whole.subarray(0, whole.length >> 1))).toBeNull();
    expect(stripChroma(Buffer.from('not a jpeg at all'))).toBeNull();
    // a restart interval (DRI) before the first scan
    let i = 2;
    while (whole[i + 1] !== 0xda) i += 2 + whole.readUInt16BE(i + 2);
    const dri = Buffer.concat([whole.subarray(0, i), Buffer.from([0xff, 0xdd, 0, 4, 0, 8]), whole.subarray(i)]);
    expect(stripChroma(dri)).toBeNull();
    // bytes left over after the first (interleaved DC) scan's data: not a stream it can vouch for
    const first = i + 2 + whole.readUInt16BE(i + 2);
    let next = first;
    while (!(whole[next] === 0xff && whole[next + 1] !== 0 && !(whole[next + 1]! >= 0xd0 && whole[next + 1]! <= 0xd7))) next++;
    const extra = Buffer.concat([whole.subarray(0, next), Buffer.from([0x12, 0x34, 0x56]), whole.subarray(next)]);
    expect(stripChroma(extra)).toBeNull();
  });
});
