/**
 * Camera RAWs (issue 14): the largest embedded full-size JPEG preview is converted and labelled
 * as the camera's rendering; a RAW with thumbnails only is unsupported-format; TIFF-based RAWs
 * are recognised before the TIFF loader would convert their thumbnail. The RAWs are built here:
 * TIFF directories with a thumbnail in IFD0, CFA sensor data and a preview in SubIFDs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;
type Failed = Extract<EngineEvent, { type: 'file-failed' }>;
type Entry = [tag: number, type: 1 | 2 | 3 | 4, value: number[] | string];

/** A little-endian TIFF writer: blobs first, then directories that point at them. */
class TiffBuilder {
  private parts: Buffer[] = [Buffer.from('II*\0\0\0\0\0', 'latin1')];
  private size = 8;
  blob(b: Buffer): number {
    const at = this.size;
    this.parts.push(b);
    this.size += b.length;
    if (this.size & 1) this.blob(Buffer.alloc(1));
    return at;
  }
  ifd(entries: Entry[]): number {
    const sorted = [...entries].sort((a, b) => a[0] - b[0]);
    const dir = Buffer.alloc(2 + sorted.length * 12 + 4);
    dir.writeUInt16LE(sorted.length, 0);
    sorted.forEach(([tag, type, value], i) => {
      const width = { 1: 1, 2: 1, 3: 2, 4: 4 }[type];
      const bytes = typeof value === 'string' ? Buffer.from(value + '\0', 'latin1') : Buffer.alloc(value.length * width);
      if (typeof value !== 'string') value.forEach((v, k) => (type === 3 ? bytes.writeUInt16LE(v, k * 2) : type === 4 ? bytes.writeUInt32LE(v, k * 4) : bytes.writeUInt8(v, k)));
      const at = 2 + i * 12;
      dir.writeUInt16LE(tag, at);
      dir.writeUInt16LE(type, at + 2);
      dir.writeUInt32LE(bytes.length / width, at + 4);
      if (bytes.length <= 4) bytes.copy(dir, at + 8);
      else dir.writeUInt32LE(this.blob(bytes), at + 8);
    });
    return this.blob(dir);
  }
  done(first: number): Buffer {
    const b = Buffer.concat(this.parts);
    b.writeUInt32LE(first, 4);
    return b;
  }
}

/** A RAW: IFD0 = 64x43 RGB thumbnail (+ optional JPEG thumbnail), SubIFDs = CFA data (+ preview). */
async function makeRaw(opts: { make: string; dng: boolean; preview?: Buffer; jpegThumb?: Buffer; orientation: number }): Promise<Buffer> {
  const t = new TiffBuilder();
  const thumb = await sharp(join(SAMPLES, 'coffee.jpg')).resize(64, 43, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  const thumbAt = t.blob(thumb);
  const cfa = t.blob(Buffer.alloc(32 * 32 * 2, 0x55));
  const subs = [t.ifd([[254, 4, [0]], [256, 4, [32]], [257, 4, [32]], [258, 3, [16]], [259, 3, [1]], [262, 3, [32803]], [273, 4, [cfa]], [277, 3, [1]], [278, 4, [32]], [279, 4, [2048]]])];
  if (opts.preview) {
    const meta = await sharp(opts.preview).metadata();
    const at = t.blob(opts.preview);
    subs.push(t.ifd([[254, 4, [1]], [256, 4, [meta.width!]], [257, 4, [meta.height!]], [259, 3, [7]], [262, 3, [6]], [273, 4, [at]], [277, 3, [3]], [279, 4, [opts.preview.length]]]));
  }
  const ifd0: Entry[] = [
    [254, 4, [1]], [256, 4, [64]], [257, 4, [43]], [258, 3, [8, 8, 8]], [259, 3, [1]], [262, 3, [2]], [271, 2, opts.make],
    [273, 4, [thumbAt]], [274, 3, [opts.orientation]], [277, 3, [3]], [278, 4, [43]], [279, 4, [thumb.length]], [330, 4, subs],
  ];
  if (opts.dng) ifd0.push([50706, 1, [1, 4, 0, 0]]);
  if (opts.jpegThumb) ifd0.push([513, 4, [t.blob(opts.jpegThumb)]], [514, 4, [opts.jpegThumb.length]]);
  return t.done(t.ifd(ifd0));
}

async function meanAbsDiff(a: Buffer | string, b: Buffer | string): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((i) => sharp(i).removeAlpha().raw().toBuffer({ resolveWithObject: true })));
  expect([x!.info.width, x!.info.height]).toEqual([y!.info.width, y!.info.height]);
  let sum = 0;
  for (let i = 0; i < x!.data.length; i++) sum += Math.abs(x!.data[i]! - y!.data[i]!);
  return sum / x!.data.length;
}

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
