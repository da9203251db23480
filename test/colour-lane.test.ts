/**
 * The colour lane (libturbojpeg RGB decode at n/8, libvips resize and encode on the worker's
 * thread) against the sharp pipeline: same size, same orientation, the same colours within
 * resampling noise, JPEG and WebP; and it steps aside for every file or recipe it does not do.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConvertTask } from '../common/task.js';
import { allowBlocking } from '../workers/blocking.js';
import { MAX_DECODED_BYTES } from '../workers/colour-lane.js';
import { encode, encodeWithSharp } from '../workers/pipeline.js';
import { scanJpeg } from '../workers/jpeg-header.js';
import { encodeWebpRgb, webpLibrary } from '../workers/libwebp.js';
import { turboPath } from '../workers/turbojpeg.js';
import { vipsSync } from '../workers/vips-sync.js';
import { convertTask, SAMPLES } from './helpers.js';

/** Colour, fit inside `box` with the default kernel, JPEG q90; `over` replaces fields. */
function task(over: Partial<ConvertTask> = {}, box = 256): ConvertTask {
  return convertTask({ quality: 90, ops: { grayscale: false, autoRotate: true, resize: { width: box, height: box, fit: 'inside', withoutEnlargement: true, kernel: 'auto' } }, ...over });
}

/** Decoded RGB of an output, and what it holds. */
async function rgb(file: Buffer): Promise<{ data: Buffer; width: number; height: number; channels: number; format?: string; exif: boolean; icc: boolean }> {
  const meta = await sharp(file).metadata();
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels, format: meta.format, exif: !!meta.exif, icc: !!meta.icc };
}

function meanAbsDiff(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length;
}

const coffee = readFileSync(join(SAMPLES, 'coffee.jpg')); // 600x400 colour
const motorcycle = readFileSync(join(SAMPLES, 'motorcycle-exif6.jpg')); // a real photo stored sideways, EXIF orientation 6

describe.runIf(process.platform === 'linux')('colour lane', () => {
  beforeAll(() => {
    allowBlocking(); // what a worker does: the lane runs only where its thread may block
    expect(turboPath(), 'libturbojpeg 3 should load from @julusian/jpeg-turbo').toBeTruthy();
    expect(vipsSync(), "sharp's libvips should load on this thread").not.toBeNull();
  });

  it('agrees with the sharp pipeline for all 8 EXIF orientations (size, orientation, colours)', async () => {
    for (let o = 1; o <= 8; o++) {
      const input = await sharp(coffee).withMetadata({ orientation: o }).jpeg({ quality: 95 }).toBuffer();
      expect(scanJpeg(input)?.orientation).toBe(o);
      const fast = await encode(input, task());
      const slow = await encodeWithSharp(input, task());
      expect(fast.lane, `orientation ${o}`).toBe('colour');
      expect(slow.lane).toBe('sharp');
      expect([fast.outWidth, fast.outHeight], `orientation ${o}`).toEqual([slow.outWidth, slow.outHeight]);
      expect([fast.outWidth, fast.outHeight]).toEqual(o >= 5 ? [171, 256] : [256, 171]);
      const a = await rgb(fast.data);
      const b = await rgb(slow.data);
      expect([a.format, a.channels, a.width, a.height]).toEqual(['jpeg', 3, fast.outWidth, fast.outHeight]);
      // A wrong rotation or mirror differs by tens of levels; the lane's decode at 1/2 (sharp
      // decodes it whole: 600x400 to 256x171 leaves less than 2x for its kernel) and JPEG noise by ~3.
      expect(meanAbsDiff(a.data, b.data), `orientation ${o}`).toBeLessThan(4);
    }
  });

  it('writes WebP as sharp does, and a real sideways photo upright', async () => {
    const webp = task({ format: 'webp', quality: 75 }, 400);
    const fast = await encode(motorcycle, webp);
    const slow = await encodeWithSharp(motorcycle, webp);
    expect(fast.lane).toBe('colour');
    expect([fast.outWidth, fast.outHeight]).toEqual([slow.outWidth, slow.outHeight]);
    expect([fast.outWidth, fast.outHeight]).toEqual([400, 270]); // EXIF 6: stored 500x741, shown 741x500
    const a = await rgb(fast.data);
    expect([a.format, a.channels, a.exif, a.icc]).toEqual(['webp', 3, false, false]);
    // WebP at q75 strays ~4 levels from its source, and a one-level difference before the encode
    // can move a block's choice: each output is held to the upright, resized photo instead
    const upright = await sharp(motorcycle).autoOrient().resize(400, 270, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer();
    const ours = meanAbsDiff(a.data, upright);
    const sharps = meanAbsDiff((await rgb(slow.data)).data, upright);
    expect(ours).toBeLessThan(sharps + 0.5);
    expect(ours).toBeLessThan(6); // mirrored or turned: tens of levels
    // the same encoder settings: within a few % of sharp's file size
    expect(Math.abs(fast.data.length / slow.data.length - 1)).toBeLessThan(0.05);
  });

  it("encodes WebP with the system's libwebp, the same image as libvips' own encoder writes", async () => {
    // .ci/run installs Debian's libwebp7; elsewhere the lane may fall back to libvips' encoder
    if (process.env.CI) expect(webpLibrary(), 'libwebp.so.7 should load (apt-get install libwebp7)').not.toBeNull();
    const vips = vipsSync()!;
    for (const photo of [coffee, motorcycle]) {
      const { data, info } = await sharp(photo).removeAlpha().raw().toBuffer({ resolveWithObject: true });
      for (const quality of [30, 75, 95]) {
        const ours = encodeWebpRgb(data, info.width, info.height, quality);
        const libvips = vips.save(data, info.width, info.height, 'webp', quality);
        if (!webpLibrary()) {
          expect(ours).toBeNull();
          continue;
        }
        // byte-identical for Debian 12's 1.2.4 against sharp's 1.6.0; another release may choose
        // a block differently, so the test holds the decoded image and the size instead
        const a = await rgb(ours!);
        const b = await rgb(libvips);
        expect([a.format, a.width, a.height, a.channels, a.exif, a.icc]).toEqual(['webp', info.width, info.height, 3, false, false]);
        expect(meanAbsDiff(a.data, b.data), `q${quality}`).toBeLessThan(0.5);
        expect(Math.abs(ours!.length / libvips.length - 1), `q${quality}`).toBeLessThan(0.02);
      }
    }
    expect(() => encodeWebpRgb(Buffer.alloc(10), 4, 4, 75)).toThrow(/10 bytes, not 4x4x3/);
  });

  it('keeps a small photo at its size (never enlarges) and converts one without a resize', async () => {
    for (const ops of [task({}, 4000).ops, { grayscale: false, autoRotate: true }]) {
      const out = await encode(coffee, task({ ops }));
      expect(out.lane).toBe('colour');
      expect([out.outWidth, out.outHeight]).toEqual([600, 400]);
      expect(meanAbsDiff((await rgb(out.data)).data, (await rgb((await encodeWithSharp(coffee, task({ ops }))).data)).data)).toBeLessThan(1.5);
    }
  });

  it('steps aside for what it does not do: gray, CMYK or one-channel input, non-sRGB profiles, other formats, kept metadata, other fits, recipe steps', async () => {
    const cmyk = await sharp(coffee).toColourspace('cmyk').jpeg().toBuffer();
    const p3 = await sharp(coffee).withIccProfile('p3').jpeg().toBuffer();
    const oneChannel = await sharp(coffee).toColourspace('b-w').jpeg().toBuffer();
    expect((await encode(cmyk, task())).lane).toBe('sharp');
    expect((await encode(p3, task())).lane).toBe('sharp');
    expect((await encode(oneChannel, task())).lane).toBe('sharp');
    expect((await encode(coffee, task({ format: 'png' }))).lane).toBe('sharp');
    expect((await encode(coffee, task({ format: 'avif' }))).lane).toBe('sharp');
    expect((await encode(coffee, task({ keepExif: true }))).lane).toBe('sharp');
    expect((await encode(coffee, task({ keepIcc: true }))).lane).toBe('sharp');
    const base = task();
    expect((await encode(coffee, { ...base, ops: { ...base.ops, grayscale: true } })).lane).toBe('luma');
    expect((await encode(coffee, { ...base, ops: { ...base.ops, sharpen: true } })).lane).toBe('sharp');
    expect((await encode(coffee, { ...base, ops: { ...base.ops, resize: { ...base.ops.resize!, fit: 'cover' } } })).lane).toBe('sharp');
    expect((await encode(coffee, { ...base, ops: { ...base.ops, resize: { ...base.ops.resize!, withoutEnlargement: false } } })).lane).toBe('sharp');
    expect((await encode(await sharp(coffee).png().toBuffer(), { ...base, inputFormat: 'png' })).lane).toBe('sharp');
  });

  it('leaves a large photo kept at full size to sharp, which streams it', async () => {
    // 5600x4000 (22.4 MP): 67 MB of RGB whole, more than the lane holds; fitted in 1600, 1/2 of it
    const big = await sharp({ create: { width: 5600, height: 4000, channels: 3, background: '#3a6ea5' } }).jpeg({ quality: 70 }).toBuffer();
    expect(5600 * 4000 * 3).toBeGreaterThan(MAX_DECODED_BYTES);
    expect((await encode(big, task({ ops: { grayscale: false, autoRotate: true } }))).lane).toBe('sharp');
    const fitted = await encode(big, task({}, 1600));
    expect([fitted.lane, fitted.outWidth, fitted.outHeight]).toEqual(['colour', 1600, 1143]);
  });

  it('leaves broken and oversized files to sharp, which says what is wrong', async () => {
    await expect(encode(coffee.subarray(0, coffee.length >> 1), task())).rejects.toThrow(/premature|truncat|end of/i);
    const limited = task();
    limited.limits = { ...limited.limits, maxPixels: 1000 };
    await expect(encode(coffee, limited)).rejects.toThrow(/pixel limit/);
  });
});
