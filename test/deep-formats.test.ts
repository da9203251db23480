/**
 * Issue 14, more inputs: JPEG XL (files made here with cjxl), 16-bit PNG/TIFF and 32/64-bit
 * float TIFFs converted to 8 bits with their tones, animated GIF: first frame, or every frame
 * when the output (WebP) keeps animation.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { offThread } from '../workers/decode/off-thread.js';
import { HAVE_CJXL, makeJxl, meanAbsDiff, sampleTiff } from './fixtures/formats.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;
type Failed = Extract<EngineEvent, { type: 'file-failed' }>;

describe('JPEG XL, high bit depth and animation', () => {
  let dir: string;
  let input: string;
  let events: EngineEvent[];
  let animEvents: EngineEvent[];
  const done = (ev: EngineEvent[], name: string) => ev.find((e): e is Done => e.type === 'file-done' && e.input.endsWith('/' + name));

  beforeAll(async () => {
    dir = tempDir('deep');
    input = join(dir, 'in');
    mkdirSync(input);
    const coffee = join(SAMPLES, 'coffee.jpg');
    await sharp(coffee).png().toFile(join(dir, 'coffee.png'));
    if (HAVE_CJXL) {
      makeJxl(join(dir, 'coffee.png'), join(input, 'lossless.jxl'), ['-d', '0', '--container=1']);
      makeJxl(join(dir, 'coffee.png'), join(input, 'bare-lossy.jxl'), ['-d', '1', '--container=0']);
      // Display P3 (sRGB (200,100,50) converted into it and tagged): the decoder gives sRGB back
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } }).withIccProfile('p3').png().toFile(join(dir, 'p3.png'));
      makeJxl(join(dir, 'p3.png'), join(input, 'p3.jxl'), ['-d', '0']);
    }
    await sharp(coffee).toColourspace('rgb16').png().toFile(join(input, 'sixteen.png'));
    // float TIFFs hold linear light in 0..1 (the convention of 32-bit float modes)
    const { data, info } = await sharp(coffee).raw().toBuffer({ resolveWithObject: true });
    const lin = (v: number) => (v / 255 <= 0.04045 ? v / 255 / 12.92 : ((v / 255 + 0.055) / 1.055) ** 2.4);
    writeFileSync(join(input, 'sixteen.tif'), sampleTiff(info.width, info.height, 3, Uint16Array.from(data, (v) => v * 257)));
    writeFileSync(join(input, 'float32.tif'), sampleTiff(info.width, info.height, 3, Float32Array.from(data, lin)));
    writeFileSync(join(input, 'float64.tif'), sampleTiff(info.width, info.height, 3, Float64Array.from(data, lin)));
    // a 3-frame animated GIF: red, green, blue
    const [w, h] = [40, 30];
    const strip = Buffer.alloc(w * h * 3 * 3);
    for (let f = 0; f < 3; f++) for (let i = 0; i < w * h; i++) strip[(f * w * h + i) * 3 + f] = 255;
    await sharp(strip, { raw: { width: w, height: h * 3, channels: 3, pageHeight: h } }).gif().toFile(join(input, 'anim.gif'));
    events = (await runCli(['convert', input, '-o', join(dir, 'out'), '--format', 'png', '--json'])).events;
    animEvents = (await runCli(['convert', join(input, 'anim.gif'), '-o', join(dir, 'out-webp'), '--format', 'webp', '--json'])).events;
  }, 120_000);

  it.skipIf(!HAVE_CJXL)('decodes JPEG XL (container and bare codestream; needs cjxl from libjxl-tools)', async () => {
    expect(await meanAbsDiff(done(events, 'lossless.jxl')!.output, join(dir, 'coffee.png'))).toBe(0);
    expect(done(events, 'bare-lossy.jxl')).toMatchObject({ width: 600, height: 400 });
    expect(await meanAbsDiff(done(events, 'bare-lossy.jxl')!.output, join(dir, 'coffee.png'))).toBeLessThan(3);
    const { data } = await sharp(done(events, 'p3.jxl')!.output).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)].map((v, i) => Math.abs(v - [200, 100, 50][i]!) <= 2)).toEqual([true, true, true]);
    const limited = await runCli(['convert', join(input, 'lossless.jxl'), '-o', join(dir, 'out-limit'), '--max-pixels', '200000', '--json']);
    expect(limited.events.find((e): e is Failed => e.type === 'file-failed')).toMatchObject({ code: 'too-many-pixels', detail: expect.stringMatching(/^JPEG XL: 600x400/) });
  });

  it.skipIf(!HAVE_CJXL)('the decoders\' helper thread (async model): a decode past the time limit is timed-out, the next file still decodes', async () => {
    const bytes = readFileSync(join(input, 'lossless.jxl'));
    await expect(offThread('jxl', bytes, 1e8, 0.001)).rejects.toMatchObject({ failure: 'timed-out', message: 'JPEG XL decoding took longer than 0.001 s' });
    const px = await offThread('jxl', bytes, 1e8, 120);
    expect([px.width, px.height]).toEqual([600, 400]);
  }, 120_000);

  it('converts 16-bit and float images to 8 bits with their tones', async () => {
    const reference = join(SAMPLES, 'coffee.jpg');
    for (const name of ['sixteen.png', 'sixteen.tif', 'float32.tif', 'float64.tif']) {
      const d = done(events, name);
      expect(d, name).toBeDefined();
      expect(await meanAbsDiff(d!.output, reference), name).toBeLessThan(1.5);
    }
  });

  it('animated GIF: the first frame, or every frame when the output keeps animation', async () => {
    const png = await sharp(done(events, 'anim.gif')!.output).stats();
    expect(png.channels.slice(0, 3).map((c) => Math.round(c.mean))).toEqual([255, 0, 0]);
    const webp = await sharp(done(animEvents, 'anim.gif')!.output, { animated: true }).metadata();
    expect(webp.pages).toBe(3);
  });
});
