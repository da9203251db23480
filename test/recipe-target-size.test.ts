/**
 * Target file size (`--max-size`) through the real CLI on real photos: every output at or under
 * its target, and none more than 15% under it when one quality step more would have fitted
 * (checked by encoding the same input, at the output's size, at quality + 1).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema, parseByteSize, TARGET_QUALITY_FLOOR } from '../common/job.js';
import type { ConvertTask } from '../common/task.js';
import { encode } from '../workers/pipeline.js';
import { HAVE_SHARED, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir } from './helpers.js';

/** The same recipe as the CLI run, at one quality, into a fixed size, without a target. */
async function sizeAt(input: string, quality: number, width: number, height: number): Promise<number> {
  const spec = JobSpecSchema.parse({ inputs: [input], output: 'unused', quality, ops: { resize: { width, height, fit: 'fill' } } });
  const task: ConvertTask = { input, inputFormat: 'jpeg', tmp: '', format: 'jpeg', quality, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false };
  return (await encode(readFileSync(input), task)).data.length;
}

async function check(inputDir: string, target: string, extra: string[]): Promise<void> {
  const bytes = parseByteSize(target)!;
  const out = tempDir('size-out');
  const ceiling = Number(extra[extra.indexOf('-Q') + 1]);
  const r = await runCli(['convert', inputDir, '-o', out, '--format', 'jpeg', '--max-size', target, '--json', '--workers', '2', ...extra]);
  expect(r.code, r.stderr).toBe(0);
  const done = ofType(r.events, 'file-done');
  expect(done.length).toBeGreaterThan(3);
  let searched = 0;
  for (const e of done) {
    const size = statSync(e.output).size;
    expect(size, e.output).toBe(e.outputBytes);
    expect(size, `${e.output} over its target`).toBeLessThanOrEqual(bytes);
    expect(e.quality, e.output).toBeGreaterThanOrEqual(TARGET_QUALITY_FLOOR);
    expect(e.quality, e.output).toBeLessThanOrEqual(ceiling);
    const m = await sharp(e.output).metadata();
    expect([m.width, m.height]).toEqual([e.outWidth, e.outHeight]);
    if (e.quality! < ceiling) searched++;
    if (size < 0.85 * bytes && e.quality! < ceiling) {
      // Far under the target: quality + 1 must not have fitted.
      expect(await sizeAt(e.input, e.quality! + 1, e.outWidth, e.outHeight), `${e.output}: quality ${e.quality! + 1} would have fitted`).toBeGreaterThan(bytes);
    }
  }
  expect(searched, 'the target made some files search a lower quality').toBeGreaterThan(0);
}

describe('target file size (--max-size)', () => {
  for (const target of ['100KB', '300KB']) {
    it(`keeps every shipped sample at or under ${target}, close to it when a better quality fits`, async () => {
      await check(SAMPLES, target, ['-Q', '100']);
    });
  }

  it.runIf(HAVE_SHARED)('keeps 16 of ../shared/photos at or under 100KB and 300KB at 1600 px (shrinking where quality 30 is too big)', async () => {
    const dir = join(tempDir('size-in'), 'photos');
    mkdirSync(dir);
    const names = readdirSync(SHARED_PHOTOS).filter((f) => f.endsWith('.jpg')).sort();
    for (const f of names.filter((_, i) => i % 3 === 0).slice(0, 16)) cpSync(join(SHARED_PHOTOS, f), join(dir, f));
    for (const target of ['100KB', '300KB']) await check(dir, target, ['-Q', '90', '--resize', '1600x1600']);
  }, 180_000);

  it('says the qualities chosen in the CLI summary', async () => {
    const r = await runCli(['convert', join(SAMPLES, 'coffee.jpg'), join(SAMPLES, 'retina.jpg'), '-o', tempDir('size-sum'), '--max-size', '30KB']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Target size: quality \d+-\d+ \(median \d+\) over 2 files/);
  });

  it('reports the size problem naming --max-size', async () => {
    const r = await runCli(['convert', SAMPLES, '-o', tempDir('size-bad'), '--max-size', '500 apples']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--max-size: expected a size from 1KB to 1000MB');
    expect(r.stderr).toContain('"500 apples"');
  });

  it('warns, and keeps the smallest output, when even a 1x1 image cannot fit (kept EXIF larger than the target)', async () => {
    const input = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#3070b0' } })
      .jpeg()
      .withExif({ IFD0: { ImageDescription: 'x'.repeat(3000) } })
      .toBuffer();
    const spec = JobSpecSchema.parse({ inputs: ['x'], output: 'y', ops: { maxSize: '1KB' } });
    const task: ConvertTask = { input: 'big-exif.jpg', inputFormat: 'jpeg', tmp: '', format: 'jpeg', quality: 80, ops: spec.ops, limits: spec.limits, keepExif: true, keepIcc: false, keepMtime: false };
    const out = await encode(input, task);
    expect(out.data.length).toBeGreaterThan(1000);
    expect(out.warnings?.join()).toMatch(/could not get under the target size: \d+ bytes > 1000 even at \d+x\d+ and quality 30/);
    expect((await sharp(out.data).metadata()).exif?.length).toBeGreaterThan(3000);
  });

  it('sends gray JPEG -> JPEG with a target size through sharp, not the luma lane', async () => {
    const spec = JobSpecSchema.parse({ inputs: ['x'], output: 'y', ops: { grayscale: true, maxSize: '20KB' } });
    const input = join(SAMPLES, 'retina.jpg');
    const task: ConvertTask = { input, inputFormat: 'jpeg', tmp: '', format: 'jpeg', quality: 80, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false };
    const out = await encode(readFileSync(input), task);
    expect(out.lane).toBe('sharp');
    expect(out.data.length).toBeLessThanOrEqual(20_000);
    expect((await sharp(out.data).metadata()).channels).toBe(1);
  });

  it('parses KB, MB, KiB and MiB', () => {
    expect([parseByteSize('500KB'), parseByteSize('1.5MB'), parseByteSize('800 KiB'), parseByteSize('2MiB'), parseByteSize('1200')]).toEqual([500_000, 1_500_000, 819_200, 2_097_152, 1200]);
    expect(parseByteSize('5GB')).toBeNull();
  });
});
