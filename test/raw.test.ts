/**
 * Camera RAWs (issue 14): the largest embedded full-size JPEG preview is converted and labelled
 * as the camera's rendering; a RAW with thumbnails only is unsupported-format; TIFF-based RAWs
 * are recognised before the TIFF loader would convert their thumbnail. The RAWs are built here
 * (fixtures/formats.ts): TIFF directories with a thumbnail in IFD0, CFA sensor data and a preview in SubIFDs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { makeRaw, meanAbsDiff } from './fixtures/formats.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;
type Failed = Extract<EngineEvent, { type: 'file-failed' }>;

describe('camera RAW input', () => {
  let events: EngineEvent[];
  let preview: Buffer;
  const done = (name: string) => events.find((e): e is Done => e.type === 'file-done' && e.input.endsWith('/' + name));
  const failed = (name: string) => events.find((e): e is Failed => e.type === 'file-failed' && e.input.endsWith('/' + name));

  beforeAll(async () => {
    const dir = tempDir('raw');
    const input = join(dir, 'in');
    mkdirSync(input);
    preview = await sharp(join(SAMPLES, 'coffee.jpg')).resize(1600, 1067, { fit: 'fill' }).jpeg({ quality: 92 }).toBuffer();
    const small = await sharp(join(SAMPLES, 'coffee.jpg')).resize(160, 107, { fit: 'fill' }).jpeg().toBuffer();
    writeFileSync(join(input, 'preview.dng'), await makeRaw({ make: 'TestCam', dng: true, preview, jpegThumb: small, orientation: 6 }));
    writeFileSync(join(input, 'preview-dng-named.tif'), await makeRaw({ make: 'TestCam', dng: true, preview, jpegThumb: small, orientation: 6 }));
    writeFileSync(join(input, 'nikon-named.tif'), await makeRaw({ make: 'NIKON CORPORATION', dng: false, preview, orientation: 1 }));
    writeFileSync(join(input, 'thumb-only.dng'), await makeRaw({ make: 'TestCam', dng: true, jpegThumb: small, orientation: 1 }));
    // an ordinary TIFF still goes to the TIFF loader
    await sharp(join(SAMPLES, 'coffee.jpg')).resize(120, 80).tiff().toFile(join(input, 'plain.tif'));
    events = (await runCli(['convert', input, '-o', join(dir, 'out'), '--format', 'png', '--json'])).events;
  });

  it('converts the largest embedded preview, oriented, and says it is the camera rendering', async () => {
    const d = done('preview.dng')!;
    expect(d).toMatchObject({ width: 1600, height: 1067, outWidth: 1067, outHeight: 1600 });
    expect(d.warnings?.[0]).toMatch(/^camera RAW \(DNG\): converted from the camera's own rendering, its embedded 1600x1067 JPEG preview/);
    expect(await meanAbsDiff(d.output, await sharp(preview).rotate(90).png().toBuffer())).toBeLessThan(1);
  });

  it('recognises TIFF-based RAWs before the TIFF loader (which would convert the thumbnail)', () => {
    expect(done('preview-dng-named.tif')).toMatchObject({ width: 1600, height: 1067 });
    expect(done('nikon-named.tif')).toMatchObject({ width: 1600, height: 1067, outWidth: 1600, outHeight: 1067 });
    expect(done('nikon-named.tif')!.warnings?.[0]).toMatch(/^camera RAW \(NEF\)/);
    expect(done('plain.tif')).toMatchObject({ width: 120, height: 80 });
    expect(done('plain.tif')!.warnings).toBeUndefined();
  });

  it('a RAW with thumbnails only is unsupported: no embedded preview', () => {
    expect(failed('thumb-only.dng')).toMatchObject({
      code: 'unsupported-format',
      detail: expect.stringMatching(/^camera RAW \(DNG\) with no embedded preview \(only a 160x107 thumbnail\).*darktable/),
    });
  });
});
