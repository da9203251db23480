/**
 * Pad to an exact box (`--fit contain --background`), crop to aspect (`--fit cover --gravity`,
 * attention included) and sharpen after downscale, on images made here and the shipped samples.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import type { ConvertTask } from '../common/task.js';
import { encode } from '../workers/pipeline.js';
import { ofType, runCli, SAMPLES, tempDir } from './helpers.js';
import { convertWith } from './recipe-helpers.js';

/** Mean RGB of a region of an encoded image. */
async function meanOf(img: Buffer, left: number, top: number, width: number, height: number): Promise<number[]> {
  // stats() reads its input, not the pipeline: cut the region out first.
  const st = await sharp(await sharp(img).extract({ left, top, width, height }).png().toBuffer()).stats();
  return st.channels.slice(0, 3).map((c) => Math.round(c.mean));
}

/** Red left half, blue right half, 600x200. */
const halves = () =>
  sharp({ create: { width: 600, height: 200, channels: 3, background: '#0000ff' } })
    .composite([{ input: { create: { width: 300, height: 200, channels: 3, background: '#ff0000' } }, left: 0, top: 0 }])
    .png()
    .toBuffer();

describe('crop to aspect (cover + gravity)', () => {
  it('keeps the side the gravity names', async () => {
    const img = await halves();
    const west = await convertWith(img, { resize: { width: 200, height: 200, fit: 'cover', gravity: 'west' } });
    const east = await convertWith(img, { resize: { width: 200, height: 200, fit: 'cover', gravity: 'east' } });
    const centre = await convertWith(img, { resize: { width: 200, height: 200, fit: 'cover' } });
    expect([west.outWidth, west.outHeight]).toEqual([200, 200]);
    expect(await meanOf(west.data, 0, 0, 200, 200)).toEqual([255, 0, 0]);
    expect(await meanOf(east.data, 0, 0, 200, 200)).toEqual([0, 0, 255]);
    expect(await meanOf(centre.data, 0, 0, 90, 200)).toEqual([255, 0, 0]);
    expect(await meanOf(centre.data, 110, 0, 90, 200)).toEqual([0, 0, 255]);
  });

  it('attention finds the one saturated, detailed thing in a gray picture', async () => {
    // A flat gray 900x300 strip with a red-and-yellow target near its right end.
    const target = await sharp(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"><circle cx="60" cy="60" r="55" fill="#e01010"/><circle cx="60" cy="60" r="25" fill="#f0e020"/></svg>')).png().toBuffer();
    const img = await sharp({ create: { width: 900, height: 300, channels: 3, background: '#808080' } }).composite([{ input: target, left: 720, top: 90 }]).png().toBuffer();
    const out = await convertWith(img, { resize: { width: 300, height: 300, fit: 'cover', gravity: 'attention' } });
    const [r, g, b] = await meanOf(out.data, 0, 0, 300, 300);
    expect(r! - b!, 'the crop holds the red target').toBeGreaterThan(20);
    const centre = await convertWith(img, { resize: { width: 300, height: 300, fit: 'cover' } });
    expect(await meanOf(centre.data, 0, 0, 300, 300)).toEqual([128, 128, 128]);
    expect(g).toBeDefined();
  });
});

describe('pad to an exact box (contain + background)', () => {
  it('pads a landscape photo to a square with the colour asked for', async () => {
    const out = await convertWith(readFileSync(join(SAMPLES, 'chelsea.jpg')), { resize: { width: 400, height: 400, fit: 'contain', background: '#ff8000' } });
    expect([out.outWidth, out.outHeight]).toEqual([400, 400]);
    // 451x300 -> 400x266 in the middle: 67 rows of bars above and below
    for (const top of [0, 340]) {
      const [r, g, b] = await meanOf(out.data, 0, top, 400, 50);
      expect(Math.abs(r! - 255) + Math.abs(g! - 128) + b!).toBeLessThan(6);
    }
    const st = await sharp(await sharp(out.data).extract({ left: 0, top: 100, width: 400, height: 200 }).png().toBuffer()).stats();
    expect(st.channels[0]!.stdev, 'the photo is in the middle').toBeGreaterThan(20);
  });
});

describe('sharpen after downscale', () => {
  /** Mean absolute difference between neighbouring pixels: edge contrast. */
  async function edgeContrast(img: Buffer): Promise<number> {
    const { data, info } = await sharp(img).greyscale().raw().toBuffer({ resolveWithObject: true });
    let sum = 0;
    for (let y = 0; y < info.height; y++) for (let x = 1; x < info.width; x++) sum += Math.abs(data[y * info.width + x]! - data[y * info.width + x - 1]!);
    return sum / (info.height * (info.width - 1));
  }

  it('raises edge contrast on a downscaled photo and leaves a flat image flat', async () => {
    const photo = readFileSync(join(SAMPLES, 'retina.jpg'));
    const plain = await convertWith(photo, { resize: { width: 512, height: 512 } });
    const sharpened = await convertWith(photo, { resize: { width: 512, height: 512 }, sharpen: true });
    const [a, b] = [await edgeContrast(plain.data), await edgeContrast(sharpened.data)];
    expect(b / a, `edge contrast ${a.toFixed(2)} -> ${b.toFixed(2)}`).toBeGreaterThan(1.05);
    expect(b / a, 'mild: not a harsh mask').toBeLessThan(1.6);
    const flat = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#6090c0' } }).png().toBuffer();
    const out = await convertWith(flat, { resize: { width: 100, height: 100 }, sharpen: true });
    expect((await sharp(out.data).stats()).channels.map((c) => c.stdev)).toEqual([0, 0, 0]);
  });

  it('is off by default, and sends gray JPEG -> JPEG through sharp when on (the luma lane cannot sharpen)', async () => {
    const spec = JobSpecSchema.parse({ inputs: ['x'], output: 'y' });
    expect(spec.ops.sharpen).toBeUndefined();
    const photo = readFileSync(join(SAMPLES, 'coffee.jpg'));
    const spec2 = JobSpecSchema.parse({ inputs: ['x'], output: 'y', ops: { grayscale: true, sharpen: true } });
    const task: ConvertTask = { input: 'coffee.jpg', inputFormat: 'jpeg', tmp: '', format: 'jpeg', quality: 80, ops: spec2.ops, limits: spec2.limits, keepExif: false, keepIcc: false, keepMtime: false };
    expect((await encode(photo, task)).lane).toBe('sharp');
  });
});

describe('CLI flags', () => {
  it('--fit contain --background, --fit cover --gravity and --sharpen convert end to end', async () => {
    const out = tempDir('geo');
    const r = await runCli(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', out, '--resize', '300x300', '--fit', 'contain', '--background', '#ffffff', '--sharpen', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = ofType(r.events, 'file-done')[0]!;
    expect([done.outWidth, done.outHeight]).toEqual([300, 300]);
    expect(await meanOf(readFileSync(done.output), 0, 0, 300, 40)).toEqual([255, 255, 255]);
    const c = await runCli(['convert', join(SAMPLES, 'coffee.jpg'), '-o', tempDir('geo'), '--resize', '200x200', '--fit', 'cover', '--gravity', 'attention', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(ofType(c.events, 'file-done')[0]).toMatchObject({ outWidth: 200, outHeight: 200 });
  });

  it('names the flag when a step is misused', async () => {
    const a = await runCli(['convert', SAMPLES, '-o', tempDir('geo'), '--resize', '300x300', '--gravity', 'north']);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--gravity: expected to be used with --resize WxH --fit cover, received "north" with --fit inside');
    const b = await runCli(['convert', SAMPLES, '-o', tempDir('geo'), '--resize', '300x300', '--fit', 'contain', '--background', 'white']);
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--background: expected a colour #rrggbb, e.g. #ffffff, received "white"');
  });
});
