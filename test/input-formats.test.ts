/**
 * Issue 14, input side: formats recognised by content, one honest `unsupported-format`
 * outcome (naming the format and what reads it) for images PhotoPool cannot read, whatever
 * their names; BigTIFF read; BMP decoded (24-bit, 8-bit palette, RLE8, 32-bit with alpha); ICO.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { bmp, meanAbsDiff } from './fixtures/formats.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Failed = Extract<EngineEvent, { type: 'file-failed' }>;
type Done = Extract<EngineEvent, { type: 'file-done' }>;
const byName = <T extends { input: string }>(events: EngineEvent[], type: string) =>
  new Map(events.filter((e) => e.type === type).map((e) => [(e as unknown as T).input.split('/').pop()!, e as unknown as T]));

describe('input formats by content', () => {
  let dir: string;
  let events: EngineEvent[];
  let ref: { data: Buffer; width: number; height: number };
  const jp2 = Buffer.concat([Buffer.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a, 0, 0, 0, 20]), Buffer.from('ftypjp2 '), Buffer.alloc(200)]);
  const pcx = Buffer.alloc(200);
  pcx.set([10, 5, 1, 8]);

  beforeAll(async () => {
    dir = tempDir('formats');
    const input = join(dir, 'in');
    mkdirSync(input);
    // Unsupported formats, under misleading names too: one outcome each, whatever the name.
    for (const name of ['still.jp2', 'renamed-jp2.jpg', 'renamed-jp2.png', 'jp2-no-extension']) writeFileSync(join(input, name), jp2);
    writeFileSync(join(input, 'layers.psd'), Buffer.concat([Buffer.from('8BPS\0\x01'), Buffer.alloc(300)]));
    writeFileSync(join(input, 'texture.dds'), Buffer.concat([Buffer.from('DDS '), Buffer.alloc(300)]));
    writeFileSync(join(input, 'old.pcx'), pcx);
    writeFileSync(join(input, 'sprite.tga'), Buffer.alloc(300, 7));
    writeFileSync(join(input, 'text.jpg'), 'not an image at all');
    // A BigTIFF (which a hand-kept II*/MM* check refused) and BMPs cut from a real photo.
    await sharp(join(SAMPLES, 'coffee.jpg')).resize(96, 64).tiff({ bigtiff: true }).toFile(join(input, 'big.tif'));
    ref = await sharp(join(SAMPLES, 'coffee.jpg')).resize(97, 61, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true }).then((r) => ({ data: r.data, width: r.info.width, height: r.info.height }));
    const { width: w, height: h, data } = ref;
    const rgbRow = (y: number) => {
      const r = Buffer.alloc(w * 3);
      for (let x = 0; x < w; x++) r.set([data[(y * w + x) * 3 + 2]!, data[(y * w + x) * 3 + 1]!, data[(y * w + x) * 3]!], x * 3);
      return r;
    };
    writeFileSync(join(input, 'rgb24.bmp'), bmp(w, h, 24, rgbRow));
    const bgraRow = (y: number) => {
      const r = Buffer.alloc(w * 4);
      for (let x = 0; x < w; x++) r.set([data[(y * w + x) * 3 + 2]!, data[(y * w + x) * 3 + 1]!, data[(y * w + x) * 3]!, x < w / 2 ? 255 : 128], x * 4);
      return r;
    };
    writeFileSync(join(input, 'rgba32.bmp'), bmp(w, h, 32, bgraRow));
    const grays = Array.from({ length: 256 }, (_, i) => [i, i, 255 - i]);
    const idxRow = (y: number) => Buffer.from(Array.from({ length: w }, (_, x) => data[(y * w + x) * 3]!));
    writeFileSync(join(input, 'palette8.bmp'), bmp(w, h, 8, idxRow, { pal: grays }));
    // RLE8: each stored row (bottom-up) as runs of 2 equal pixels where they are equal, else literal pairs
    const rle: number[] = [];
    for (let s = 0; s < h; s++) {
      const r = idxRow(h - 1 - s);
      for (let x = 0; x < w; x += 4) {
        const n = Math.min(4, w - x);
        if (n >= 3) rle.push(0, n, ...r.subarray(x, x + n), ...(n & 1 ? [0] : []));
        else for (let i = 0; i < n; i++) rle.push(1, r[x + i]!);
      }
      rle.push(0, 0);
    }
    rle.push(0, 1);
    writeFileSync(join(input, 'palette8-rle.bmp'), bmp(w, h, 8, idxRow, { pal: grays, rle: Buffer.from(rle) }));
    writeFileSync(join(input, 'cut.bmp'), bmp(w, h, 24, rgbRow).subarray(0, 2000));
    // An icon: a 32x32 PNG and the 97x61 32-bit image with alpha as a DIB (no file header,
    // height counted twice for the AND mask): the larger one is converted, alpha kept.
    const dib = bmp(w, h, 32, bgraRow).subarray(14);
    const v4 = Buffer.from(dib.subarray(0, 108));
    v4.writeInt32LE(h * 2, 8);
    v4.writeUInt32LE(0, 16); // BI_RGB: icons carry alpha in the 4th byte
    const dibEntry = Buffer.concat([v4, dib.subarray(108), Buffer.alloc(Math.ceil(w / 32) * 4 * h)]);
    const pngEntry = await sharp(join(SAMPLES, 'coffee.jpg')).resize(32, 32).png().toBuffer();
    const icoDir = Buffer.alloc(6 + 32);
    icoDir.writeUInt16LE(1, 2);
    icoDir.writeUInt16LE(2, 4);
    icoDir.set([32, 32, 0, 0], 6);
    icoDir.writeUInt16LE(32, 6 + 6);
    icoDir.writeUInt32LE(pngEntry.length, 6 + 8);
    icoDir.writeUInt32LE(38, 6 + 12);
    icoDir.set([w, h, 0, 0], 22);
    icoDir.writeUInt16LE(32, 22 + 6);
    icoDir.writeUInt32LE(dibEntry.length, 22 + 8);
    icoDir.writeUInt32LE(38 + pngEntry.length, 22 + 12);
    writeFileSync(join(input, 'icon.ico'), Buffer.concat([icoDir, pngEntry, dibEntry]));
    const run = await runCli(['convert', input, '-o', join(dir, 'out'), '--format', 'png', '--json']);
    events = run.events;
  });

  it('names every image format it cannot read, once, whatever the extension', () => {
    const failed = byName<Failed>(events, 'file-failed');
    for (const name of ['still.jp2', 'renamed-jp2.jpg', 'renamed-jp2.png', 'jp2-no-extension']) {
      expect(failed.get(name)).toMatchObject({ code: 'unsupported-format', detail: expect.stringMatching(/^JPEG 2000: .*OpenJPEG/) });
    }
    expect(failed.get('layers.psd')?.detail).toMatch(/^Photoshop document \(PSD\)/);
    expect(failed.get('texture.dds')?.detail).toMatch(/^DirectDraw Surface \(DDS\)/);
    expect(failed.get('old.pcx')?.detail).toMatch(/^PCX/);
    expect(failed.get('sprite.tga')?.detail).toMatch(/^Targa \(TGA\)/);
    for (const name of ['layers.psd', 'texture.dds', 'old.pcx', 'sprite.tga']) expect(failed.get(name)?.code).toBe('unsupported-format');
    // not an image at all stays "not an image"; damaged data of a readable format is "truncated"
    expect(failed.get('text.jpg')?.code).toBe('not-an-image');
    expect(failed.get('cut.bmp')?.code).toBe('truncated');
    expect([...failed.values()].filter((f) => f.code === 'corrupt')).toEqual([]);
  });

  it('reads BigTIFF', () => {
    expect(byName<Done>(events, 'file-done').get('big.tif')).toMatchObject({ width: 96, height: 64 });
  });

  it('decodes BMP: 24-bit, 32-bit with alpha, 8-bit palette, RLE8', async () => {
    const done = byName<Done>(events, 'file-done');
    const { width, height, data } = ref;
    const expected = await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer();
    expect(done.get('rgb24.bmp')).toMatchObject({ width, height });
    expect(await meanAbsDiff(done.get('rgb24.bmp')!.output, expected, true)).toBe(0);
    // 32-bit: same colours, and the right half at alpha 128
    const rgba = await sharp(done.get('rgba32.bmp')!.output).raw().toBuffer({ resolveWithObject: true });
    expect(rgba.info.channels).toBe(4);
    expect(rgba.data[3]).toBe(255);
    expect(rgba.data[(width - 1) * 4 + 3]).toBe(128);
    expect(await meanAbsDiff(await sharp(done.get('rgba32.bmp')!.output).removeAlpha().png().toBuffer(), expected, true)).toBe(0);
    // palette: index = red channel, palette maps i -> (i, i, 255 - i); RLE8 gives the same image
    const pal = await sharp(done.get('palette8.bmp')!.output).raw().toBuffer();
    for (const i of [0, 500, 3000, width * height - 1]) expect([...pal.subarray(i * 3, i * 3 + 3)]).toEqual([data[i * 3], data[i * 3], 255 - data[i * 3]!]);
    expect(await meanAbsDiff(done.get('palette8-rle.bmp')!.output, done.get('palette8.bmp')!.output, true)).toBe(0);
  });

  it('decodes ICO: the largest image, with its alpha', async () => {
    const icon = byName<Done>(events, 'file-done').get('icon.ico');
    expect(icon).toMatchObject({ width: ref.width, height: ref.height });
    expect(await meanAbsDiff(icon!.output, byName<Done>(events, 'file-done').get('rgba32.bmp')!.output, true)).toBe(0);
  });
});
