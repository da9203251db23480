/**
 * workers/cut-short.ts: a copy cut short is told from damaged data by the file's own structure,
 * so the classification does not depend on a libvips error line another thread may take or add.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import type { ConvertTask, InputFormat } from '../common/task.js';
import convert from '../workers/convert.js';
import { cutShort } from '../workers/cut-short.js';
import { pngChunk, SAMPLES, tempDir } from './helpers.js';

/** A whole 64x64 gray PNG (every chunk, IEND) whose image data holds only 32 rows. */
function pngWithHalfTheRows(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(64, 0);
  ihdr.writeUInt32BE(64, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (gray)
  const rows = Buffer.alloc(65 * 32, 0x80);
  for (let y = 0; y < 32; y++) rows[y * 65] = 0; // filter: none
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pngChunk('IHDR', ihdr), pngChunk('IDAT', deflateSync(rows)), pngChunk('IEND', Buffer.alloc(0))]);
}

async function convertFile(path: string, inputFormat: InputFormat) {
  const spec = JobSpecSchema.parse({ inputs: [path], output: '/unused' });
  const task: ConvertTask = { input: path, inputFormat, tmp: `${path}.tmp`, format: 'jpeg', quality: 80, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false };
  return convert(task);
}

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

  it('damaged data of full length is not cut short; formats without a check answer undefined', () => {
    const bad = Buffer.from(png);
    bad.fill(0x55, 60, 80); // inside IDAT: corrupt, not short
    expect(cutShort(bad, 'png')).toBe(false);
    expect(cutShort(Buffer.from('not an image'), 'png')).toBe(false);
    expect(cutShort(jpeg.subarray(0, 100), 'tiff')).toBeUndefined();
  });
});

describe('the failure code of a file that does not decode', () => {
  it('a whole file whose decoder says "premature end" or "not enough image data" is corrupt; cut short, it is truncated', async () => {
    const dir = tempDir('cut-short');
    const jpeg = readFileSync(join(SAMPLES, 'coffee.jpg'));
    const files: Array<[string, Buffer, InputFormat]> = [
      ['eoi.jpg', Buffer.concat([jpeg.subarray(0, jpeg.length >> 1), Buffer.from([0xff, 0xd9])]), 'jpeg'], // half the scan, then the end marker
      ['rows.png', pngWithHalfTheRows(), 'png'],
    ];
    for (const [name, data, format] of files) {
      writeFileSync(join(dir, name), data);
      const whole = await convertFile(join(dir, name), format);
      expect(whole, name).toMatchObject({ ok: false, code: 'corrupt' });
      expect(whole.ok === false && whole.detail, name).toMatch(/premature end|not enough image data/i); // the words alone would say truncated
      writeFileSync(join(dir, `cut-${name}`), data.subarray(0, data.length - 20));
      expect(await convertFile(join(dir, `cut-${name}`), format), `cut-${name}`).toMatchObject({ ok: false, code: 'truncated' });
    }
  });
});
