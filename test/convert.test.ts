/** End to end through the real CLI on the shipped sample photos. */
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hashTree, listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

describe('photopool convert on the sample photos', () => {
  it('writes grayscale, boxed, never enlarged, EXIF-rotated outputs mirroring the tree; inputs untouched', async () => {
    const input = join(tempDir('in'), 'samples');
    cpSync(SAMPLES, input, { recursive: true });
    const before = hashTree(input);
    const out = tempDir('out');
    const r = await runCli(['convert', input, '-o', out, '--gray', '--resize', '1024x1024', '--format', 'jpeg', '--json', '--workers', '2']);
    expect(r.code, r.stderr).toBe(0);

    const done = ofType(r.events, 'done');
    expect(done).toHaveLength(1);
    expect(r.events.at(-1)?.type).toBe('done');
    expect(done[0]!.totals.done).toBe(6);
    expect(done[0]!.totals.failed).toBe(0);

    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual([
      'chelsea.jpg',
      'coffee.jpg',
      'motorcycle-exif6.jpg',
      'nested/astronaut.jpg',
      'nested/deeper/rocket.jpg',
      'retina.jpg',
    ]);
    const size = async (f: string) => {
      const m = await sharp(join(out, f)).metadata();
      return { w: m.width, h: m.height, channels: m.channels, format: m.format, orientation: m.orientation };
    };
    // not enlarged: 451x300 stays 451x300; one channel (b-w) JPEG
    expect(await size('chelsea.jpg')).toEqual({ w: 451, h: 300, channels: 1, format: 'jpeg', orientation: undefined });
    // shrunk into the box: 1411x1411 -> 1024x1024
    expect(await size('retina.jpg')).toMatchObject({ w: 1024, h: 1024, channels: 1 });
    // EXIF orientation 6 applied: stored 500x741 portrait, written 741x500 landscape, tag dropped
    expect(await size('motorcycle-exif6.jpg')).toEqual({ w: 741, h: 500, channels: 1, format: 'jpeg', orientation: undefined });
    expect(await size('nested/deeper/rocket.jpg')).toMatchObject({ w: 640, h: 427, format: 'jpeg' });

    // grayscale for real: the single channel carries the picture (not a flat image)
    const st = await sharp(join(out, 'coffee.jpg')).stats();
    expect(st.channels).toHaveLength(1);
    expect(st.channels[0]!.stdev).toBeGreaterThan(20);

    expect(hashTree(input)).toEqual(before);
    expect(tmpFiles(out)).toEqual([]);
    const fileDone = ofType(r.events, 'file-done');
    for (const e of fileDone) {
      expect(e.worker).toBeGreaterThanOrEqual(0);
      expect(e.worker).toBeLessThan(2);
      expect(e.ms).toBeGreaterThan(0);
      expect(e.outputBytes).toBeGreaterThan(0);
    }
  });

  it('keeps the format with --format same and colour without --gray', async () => {
    const out = tempDir('out');
    const r = await runCli(['convert', SAMPLES, '-o', out, '--resize', '300', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const png = await sharp(join(out, 'nested/deeper/rocket.png')).metadata();
    expect(png).toMatchObject({ format: 'png', width: 300, channels: 3 });
    const jpg = await sharp(join(out, 'coffee.jpg')).metadata();
    expect(jpg).toMatchObject({ format: 'jpeg', width: 300, height: 200, channels: 3 });
  });

  it('prints a summary and exits 0 without --json', async () => {
    const out = tempDir('out');
    const r = await runCli(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', out, '--format', 'webp']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Done: 1 ok, 0 failed, 0 skipped in [\d.]+ s \| [\d.]+ images\/s/m);
    expect(existsSync(join(out, 'chelsea.webp'))).toBe(true);
  });
});
