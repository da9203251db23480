/**
 * The luma lane (libturbojpeg Y-plane decode) against the sharp pipeline: same size, same
 * orientation, same gray (Rec.601 luma), and it steps aside for every file it cannot do exactly.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConvertTask } from '../common/task.js';
import { fitInside } from '../workers/luma-lane.js';
import { encode, encodeWithSharp } from '../workers/pipeline.js';
import { scanJpeg } from '../workers/jpeg-header.js';
import { turboPath } from '../workers/turbojpeg.js';
import { SAMPLES } from './helpers.js';

function task(over: Partial<ConvertTask> = {}, box = 256): ConvertTask {
  return {
    input: 'test.jpg',
    inputFormat: 'jpeg',
    tmp: '/nonexistent',
    format: 'jpeg',
    quality: 95,
    ops: { grayscale: true, autoRotate: true, resize: { width: box, height: box, fit: 'inside', withoutEnlargement: true, kernel: 'linear' } },
    limits: { maxPixels: 100_000_000, timeoutSeconds: 60, maxFileBytes: 1 << 30, maxMemoryMiB: 2048 },
    keepExif: false,
    keepIcc: false,
    keepMtime: false,
    ...over,
  };
}

async function gray(jpeg: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number }> {
  const { channels } = await sharp(jpeg).metadata(); // what the file holds
  const { data, info } = await sharp(jpeg).toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels };
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

const coffee = readFileSync(join(SAMPLES, 'coffee.jpg')); // 600x400 colour

// The lane exists where @julusian/jpeg-turbo ships libturbojpeg.so (Linux); elsewhere PhotoPool
// runs on sharp alone by design, which the other suites cover.
describe.runIf(process.platform === 'linux')('luma lane', () => {
  beforeAll(() => {
    expect(turboPath(), 'libturbojpeg 3 should load from @julusian/jpeg-turbo').toBeTruthy();
  });

  it('agrees with the sharp pipeline for all 8 EXIF orientations (size, orientation, gray)', async () => {
    for (let o = 1; o <= 8; o++) {
      const input = await sharp(coffee).withMetadata({ orientation: o }).jpeg({ quality: 95 }).toBuffer();
      expect(scanJpeg(input)?.orientation).toBe(o);
      const fast = await encode(input, task());
      const slow = await encodeWithSharp(input, task());
      expect(fast.lane, `orientation ${o}`).toBe('luma');
      expect([fast.outWidth, fast.outHeight], `orientation ${o}`).toEqual([slow.outWidth, slow.outHeight]);
      expect([fast.outWidth, fast.outHeight]).toEqual(o >= 5 ? [171, 256] : [256, 171]);
      const a = await gray(fast.data);
      const b = await gray(slow.data);
      expect(a.channels).toBe(1);
      expect(b.channels).toBe(1);
      // A wrong rotation or mirror differs by tens of levels; resampling and JPEG noise by ~1.
      expect(meanAbsDiff(a.data, b.data), `orientation ${o}`).toBeLessThan(2);
    }
  });

  it('writes Rec.601 luma, as the sharp lane does', async () => {
    const { data: rgb, info } = await sharp(coffee).raw().toBuffer({ resolveWithObject: true });
    const luma = Buffer.alloc(info.width * info.height);
    for (let i = 0; i < luma.length; i++) luma[i] = Math.round(0.299 * rgb[i * 3]! + 0.587 * rgb[i * 3 + 1]! + 0.114 * rgb[i * 3 + 2]!);
    const noResize = task({ quality: 100, ops: { grayscale: true, autoRotate: true } });
    for (const out of [await encode(coffee, noResize), await encodeWithSharp(coffee, noResize)]) {
      const g = await gray(out.data);
      expect([g.width, g.height]).toEqual([info.width, info.height]);
      // The Y plane of a JPEG is exactly this luma (up to quantisation); libvips' own b-w is
      // linear-light luminance and differs by several levels on this photo.
      expect(meanAbsDiff(g.data, luma), out.lane).toBeLessThan(1.5);
    }
    const bw = await sharp(coffee).toColourspace('b-w').raw().toBuffer();
    expect(meanAbsDiff(bw, luma)).toBeGreaterThan(2);
  });

  it('takes progressive and one-component JPEGs, with the same result as sharp', async () => {
    const inputs = [await sharp(coffee).jpeg({ progressive: true }).toBuffer(), await sharp(coffee).toColourspace('b-w').jpeg().toBuffer()];
    for (const input of inputs) {
      const fast = await encode(input, task());
      expect(fast.lane).toBe('luma');
      expect(meanAbsDiff((await gray(fast.data)).data, (await gray((await encodeWithSharp(input, task())).data)).data)).toBeLessThan(2);
    }
  });

  it('steps aside for what it cannot do exactly: CMYK, non-sRGB profiles, colour or PNG output, kept EXIF, other fits', async () => {
    const cmyk = await sharp(coffee).toColourspace('cmyk').jpeg().toBuffer();
    const p3 = await sharp(coffee).withIccProfile('p3').jpeg().toBuffer();
    expect(scanJpeg(p3)?.srgb).toBe(false);
    expect((await encode(cmyk, task())).lane).toBe('sharp');
    expect((await encode(p3, task())).lane).toBe('sharp');
    expect((await encode(coffee, task({ format: 'png' }))).lane).toBe('sharp');
    expect((await encode(coffee, task({ keepExif: true }))).lane).toBe('sharp');
    expect((await encode(coffee, task({ ops: { grayscale: false, autoRotate: true } }))).lane).toBe('sharp');
    const cover = task();
    cover.ops = { ...cover.ops, resize: { ...cover.ops.resize!, fit: 'cover' } };
    expect((await encode(coffee, cover)).lane).toBe('sharp');
  });

  it('leaves broken and oversized files to sharp, which says what is wrong', async () => {
    await expect(encode(coffee.subarray(0, coffee.length >> 1), task())).rejects.toThrow(/premature|truncat|end of/i);
    const limited = task();
    limited.limits = { ...limited.limits, maxPixels: 1000 };
    await expect(encode(coffee, limited)).rejects.toThrow(/pixel limit/);
  });

  it('fits inside a box as sharp does, never enlarging', () => {
    expect(fitInside(4000, 3000, 1024, 1024)).toEqual([1024, 768]);
    expect(fitInside(3000, 4000, 1024, 1024)).toEqual([768, 1024]);
    expect(fitInside(600, 400, 1024, 1024)).toEqual([600, 400]);
    expect(fitInside(600, 400, 256)).toEqual([256, 171]);
    expect(fitInside(600, 400, undefined, 100)).toEqual([150, 100]);
  });
});
