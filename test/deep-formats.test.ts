/**
 * Issue 14, more inputs: JPEG XL (files made here with cjxl), 16-bit PNG/TIFF and 32/64-bit
 * float TIFFs converted to 8 bits with their tones, animated GIF: first frame, or every frame
 * when the output (WebP) keeps animation.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { offThread } from '../workers/decode/off-thread.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

const HAVE_CJXL = spawnSync('cjxl', ['--version']).error === undefined;
type Done = Extract<EngineEvent, { type: 'file-done' }>;
type Failed = Extract<EngineEvent, { type: 'file-failed' }>;

async function meanAbsDiff(a: Buffer | string, b: Buffer | string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((i) => sharp(i).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
  expect([x!.info.width, x!.info.height, x!.info.channels]).toEqual([y!.info.width, y!.info.height, y!.info.channels]);
  let sum = 0;
  for (let i = 0; i < x!.data.length; i++) sum += Math.abs(x!.data[i]! - y!.data[i]!);
  return sum / x!.data.length;
}

/** An uncompressed chunky TIFF of 16-bit integer or 32/64-bit float samples, little-endian. */
function sampleTiff(width: number, height: number, channels: number, samples: Uint16Array | Float32Array | Float64Array): Buffer {
  const bits = samples.BYTES_PER_ELEMENT * 8;
  const format = samples instanceof Uint16Array ? 1 : 3;
  const body = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  const tags: Array<[number, number, number, number | number[]]> = [
    [256, 4, 1, width], [257, 4, 1, height], [258, 3, channels, Array(channels).fill(bits)], [259, 3, 1, 1], [262, 3, 1, channels >= 3 ? 2 : 1],
    [273, 4, 1, 0], [277, 3, 1, channels], [278, 4, 1, height], [279, 4, 1, body.length], [339, 3, channels, Array(channels).fill(format)],
  ];
  const ifdAt = 8;
  let extra = ifdAt + 2 + tags.length * 12 + 4;
  const head = Buffer.alloc(extra + tags.length * channels * 2);
  head.write('II*\0', 0, 'latin1');
  head.writeUInt32LE(ifdAt, 4);
  head.writeUInt16LE(tags.length, ifdAt);
  const dataAt = head.length;
  tags.forEach(([tag, type, count, value], i) => {
    const at = ifdAt + 2 + i * 12;
    head.writeUInt16LE(tag, at);
    head.writeUInt16LE(type, at + 2);
    head.writeUInt32LE(count, at + 4);
    if (tag === 273) head.writeUInt32LE(dataAt, at + 8);
    else if (Array.isArray(value) && value.length > 2) {
      value.forEach((v, k) => head.writeUInt16LE(v, extra + k * 2));
      head.writeUInt32LE(extra, at + 8);
      extra += value.length * 2;
    } else if (Array.isArray(value)) value.forEach((v, k) => head.writeUInt16LE(v, at + 8 + k * 2));
    else if (type === 3) head.writeUInt16LE(value, at + 8);
    else head.writeUInt32LE(value, at + 8);
  });
  return Buffer.concat([head, body]);
}

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
      execFileSync('cjxl', [join(dir, 'coffee.png'), join(input, 'lossless.jxl'), '-d', '0', '--container=1'], { stdio: 'pipe' });
      execFileSync('cjxl', [join(dir, 'coffee.png'), join(input, 'bare-lossy.jxl'), '-d', '1', '--container=0'], { stdio: 'pipe' });
      // Display P3 (sRGB (200,100,50) converted into it and tagged): the decoder gives sRGB back
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } }).withIccProfile('p3').png().toFile(join(dir, 'p3.png'));
      execFileSync('cjxl', [join(dir, 'p3.png'), join(input, 'p3.jxl'), '-d', '0'], { stdio: 'pipe' });
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
