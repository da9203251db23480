/**
 * The engine's previews and size estimates (engine/preview.ts on workers/preview.ts): real
 * photos, a 16-bit TIFF and a 16-bit PNG made here with sharp, through the engine's pipeline in
 * memory.
 */
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { Previewer } from '../engine/preview.js';
import { SAMPLES, tempDir } from './helpers.js';

const previews = new Previewer();
afterAll(() => previews.close());
const photos = readdirSync(SAMPLES).filter((f) => f.endsWith('.jpg')).map((f) => join(SAMPLES, f));
const recipe = { ops: { grayscale: true, resize: { width: 256, height: 256 } }, format: 'jpeg' as const, quality: 80 };

/** Pixel size of a data URL's image. */
async function sizeOf(dataUrl: string): Promise<{ width?: number; height?: number; format?: string }> {
  return sharp(Buffer.from(dataUrl.split(',')[1]!, 'base64')).metadata();
}

describe('renderPreview', () => {
  it('renders a 16-bit TIFF and a 16-bit PNG (which a browser may not show) as a small JPEG, and through the recipe', async () => {
    const dir = tempDir('preview');
    const tif = join(dir, 'scan.tif');
    const png = join(dir, 'deep.png');
    const base = sharp(photos[0]!).resize(900).toColourspace('rgb16');
    await base.clone().tiff({ compression: 'lzw' }).toFile(tif);
    await base.clone().png().toFile(png);
    expect((await sharp(tif).metadata()).depth).toBe('ushort');
    for (const file of [tif, png]) {
      const before = await previews.render(file, undefined, 400);
      expect(before.image.startsWith('data:image/jpeg;base64,')).toBe(true);
      expect(await sizeOf(before.image)).toMatchObject({ format: 'jpeg', width: 400 });
      expect(before).toMatchObject({ inputWidth: 900, output: null });
      const after = await previews.render(file, recipe, 1600);
      expect(after.output).toMatchObject({ width: 256, format: 'jpeg' });
      expect(after.output!.bytes).toBe(Buffer.from(after.image.split(',')[1]!, 'base64').length); // the real encoded output
      expect((await sharp(Buffer.from(after.image.split(',')[1]!, 'base64')).metadata()).channels).toBe(1); // gray
    }
  });

  it('refuses a file that is not an image, saying so', async () => {
    const file = join(tempDir('preview'), 'notes.jpg');
    writeFileSync(file, 'not a photo\n'.repeat(40));
    await expect(previews.render(file, undefined, 400)).rejects.toThrow(/No preview for .*notes\.jpg: it is not an image/);
  });
});

describe('estimateSize', () => {
  it('with every file sampled, the range holds the true total of the outputs', async () => {
    const truth = await Promise.all(photos.map((p) => previews.render(p, recipe, 64).then((r) => r.output!.bytes)));
    const total = truth.reduce((a, b) => a + b, 0);
    const e = await previews.estimate([SAMPLES], photos.length, recipe, 16);
    expect(e.sampled).toBeGreaterThanOrEqual(photos.length); // nested/ holds more
    expect(e.low).toBeGreaterThan(0);
    expect(e.low).toBeLessThanOrEqual(e.high);
    // the estimate extrapolates the mean of every sampled image to `photos.length` images
    const mean = e.sampleOutputBytes / e.sampled;
    expect(e.low).toBeLessThanOrEqual(mean * photos.length);
    expect(e.high).toBeGreaterThanOrEqual(mean * photos.length);
    expect(Math.abs(total / photos.length - mean) / mean).toBeLessThan(0.5);
  });

  it('samples only a few files, spread over the folder, and never writes any', async () => {
    const dir = tempDir('estimate');
    for (const p of photos) copyFileSync(p, join(dir, basename(p)));
    const before = readdirSync(dir);
    const e = await previews.estimate([dir], 100, { format: 'webp', quality: 50 }, 2);
    expect(e.sampled).toBe(2);
    expect(new Set(e.samples).size).toBe(2);
    expect(e.high).toBeGreaterThan(e.low);
    expect(readdirSync(dir)).toEqual(before);
  });
});
