/**
 * A JPEG tagged with an sRGB profile skips sharp's ICC transform (pipeline.ts srgbAlready): the
 * output is the same as through the transform, with and without a resize, in colour and gray;
 * --keep-icc still keeps the profile. (Other profiles are still applied: test/colour.test.ts.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { ConvertTask } from '../common/task.js';
import { scanJpeg } from '../workers/jpeg-header.js';
import { encodeWithSharp } from '../workers/pipeline.js';
import { convertTask, SAMPLES } from './helpers.js';

/** Colour, fit inside 300x300 with lanczos3, JPEG q90. */
const task = (over: Partial<ConvertTask> = {}): ConvertTask =>
  convertTask({ quality: 90, ops: { grayscale: false, autoRotate: true, resize: { width: 300, height: 300, fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' } }, ...over });

/** The output's pixels as stored, whatever profile it carries. */
async function pixels(jpeg: Buffer): Promise<Buffer> {
  return sharp(jpeg).keepIccProfile().raw().toBuffer();
}

describe('JPEG with an sRGB profile', () => {
  it('converts to the same pixels as through the ICC transform, in colour and gray, resized or not', async () => {
    const tagged = await sharp(readFileSync(join(SAMPLES, 'coffee.jpg'))).withIccProfile('srgb').jpeg({ quality: 95 }).toBuffer();
    expect(scanJpeg(tagged)?.srgb).toBe(true);
    expect((await sharp(tagged).metadata()).icc?.length).toBeGreaterThan(100);
    for (const ops of [task().ops, { ...task().ops, resize: undefined }, { ...task().ops, grayscale: true }]) {
      const t = task({ ops });
      const ours = await encodeWithSharp(tagged, t);
      // the reference: the same recipe with sharp applying the profile (what PhotoPool did before)
      let ref = sharp(tagged).autoOrient();
      if (ops.resize) ref = ref.resize({ width: 300, height: 300, fit: 'inside', withoutEnlargement: true, kernel: 'lanczos3' });
      if (ops.grayscale) ref = ref.recomb([[0.299, 0.587, 0.114], [0.299, 0.587, 0.114], [0.299, 0.587, 0.114]]).extractChannel(0);
      const want = await ref.jpeg({ quality: 90 }).toBuffer();
      expect((await pixels(ours.data)).equals(await pixels(want)), JSON.stringify(ops)).toBe(true);
      expect((await sharp(ours.data).metadata()).icc).toBeUndefined();
    }
  });

  it('still applies any other profile (a Display P3 JPEG is converted, not read as sRGB)', async () => {
    const p3 = await sharp(readFileSync(join(SAMPLES, 'coffee.jpg'))).withIccProfile('p3').jpeg({ quality: 95 }).toBuffer();
    expect(scanJpeg(p3)?.srgb).toBe(false);
    const ours = await pixels((await encodeWithSharp(p3, task())).data);
    const ignored = await pixels(await sharp(p3, { ignoreIcc: true }).resize({ width: 300, height: 300, fit: 'inside' }).jpeg({ quality: 90 }).toBuffer());
    let diff = 0;
    for (let i = 0; i < ours.length; i++) diff += Math.abs(ours[i]! - ignored[i]!);
    expect(diff / ours.length).toBeGreaterThan(2);
  });

  it('keeps the profile with --keep-icc', async () => {
    const tagged = await sharp(readFileSync(join(SAMPLES, 'coffee.jpg'))).withIccProfile('srgb').jpeg().toBuffer();
    const out = await encodeWithSharp(tagged, task({ keepIcc: true }));
    expect((await sharp(out.data).metadata()).icc?.length).toBeGreaterThan(100);
  });
});
