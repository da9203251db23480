/**
 * workers/cut-short.ts: a copy cut short is told from damaged data by the file's own structure,
 * so the classification does not depend on a libvips error line another thread may take.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { cutShort } from '../workers/cut-short.js';
import { SAMPLES } from './helpers.js';

describe('cutShort', async () => {
  const jpeg = readFileSync(join(SAMPLES, 'coffee.jpg'));
  const png = await sharp(jpeg).resize(64).png().toBuffer();
  const webp = await sharp(jpeg).resize(64).webp().toBuffer();

  it('a whole file is not cut short, in every checked format', () => {
    expect(cutShort(jpeg, 'jpeg')).toBe(false);
    expect(cutShort(Buffer.concat([jpeg, Buffer.alloc(16)]), 'jpeg')).toBe(false); // zero padding
    expect(cutShort(png, 'png')).toBe(false);
    expect(cutShort(webp, 'webp')).toBe(false);
  });

  it('each format cut in half, or a PNG cut after its header (as the bad corpus\'s truncated-header-only.png), is cut short', () => {
    for (const [data, format] of [[jpeg, 'jpeg'], [png, 'png'], [webp, 'webp']] as const) {
      expect(cutShort(data.subarray(0, data.length >> 1), format), format).toBe(true);
    }
    expect(cutShort(png.subarray(0, 33 + 20), 'png')).toBe(true);
    expect(cutShort(png.subarray(0, png.length - 12), 'png')).toBe(true); // no IEND
  });

  it('damaged data of full length is not cut short; formats without a check answer false', () => {
    const bad = Buffer.from(png);
    bad.fill(0x55, 60, 80); // inside IDAT: corrupt, not short
    expect(cutShort(bad, 'png')).toBe(false);
    expect(cutShort(Buffer.from('not an image'), 'png')).toBe(false);
    expect(cutShort(jpeg.subarray(0, 100), 'tiff')).toBe(false);
  });
});
