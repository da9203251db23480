/**
 * `--format same` (issue 14): formats PhotoPool writes stay as they are; camera and phone photos
 * (HEIC, a RAW's embedded preview, JPEG XL) become JPEG; lossless sources (BMP, ICO, GIF) become
 * PNG. Real files made here, converted by the CLI, each output's format read back from its bytes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { SAME_FORMAT, sameFormatText } from '../common/job.js';
import { INPUT_FORMATS } from '../common/task.js';
import { bmpOfRgb, HAVE_CJXL, HAVE_HEIF_ENC, makeHeic, makeJxl, makeRaw } from './fixtures/formats.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;

/** An ICO holding one PNG image. */
function icoOf(png: Buffer, size: number): Buffer {
  const dir = Buffer.alloc(6 + 16);
  dir.writeUInt16LE(1, 2);
  dir.writeUInt16LE(1, 4);
  dir.set([size, size, 0, 0], 6);
  dir.writeUInt16LE(1, 10);
  dir.writeUInt16LE(32, 12);
  dir.writeUInt32LE(png.length, 14);
  dir.writeUInt32LE(22, 18);
  return Buffer.concat([dir, png]);
}

describe('--format same', () => {
  it('maps every input format, and --help says how', async () => {
    expect(Object.keys(SAME_FORMAT).sort()).toEqual([...INPUT_FORMATS].sort());
    const help = await runCli(['convert', '--help']);
    expect(help.stdout.replace(/\s+/g, ' ')).toContain(sameFormatText().replace(/\s+/g, ' ').slice(0, 40));
    expect(sameFormatText()).toBe('"same" keeps jpeg, png, webp, avif, tiff; heif, raw, jxl -> jpeg; bmp, ico, gif, svg -> png');
  });

  it(`writes JPEG for camera and phone photos, PNG for lossless sources${HAVE_HEIF_ENC && HAVE_CJXL ? '' : ' (HEIC/JPEG XL left out: heif-enc or cjxl missing)'}`, async () => {
    const dir = tempDir('same');
    const input = join(dir, 'in');
    mkdirSync(input);
    const coffee = join(SAMPLES, 'coffee.jpg');
    const small = await sharp(coffee).resize(120, 80, { fit: 'fill' }).removeAlpha().raw().toBuffer();
    writeFileSync(join(input, 'scan.bmp'), bmpOfRgb(120, 80, small));
    writeFileSync(join(input, 'icon.ico'), icoOf(await sharp(coffee).resize(32, 32).png().toBuffer(), 32));
    await sharp(coffee).resize(64).gif().toFile(join(input, 'anim.gif'));
    await sharp(coffee).resize(64).webp().toFile(join(input, 'web.webp'));
    await sharp(coffee).resize(64).png().toFile(join(input, 'shot.png'));
    await sharp(coffee).resize(64).jpeg().toFile(join(input, 'photo.jpg'));
    const preview = await sharp(coffee).resize(1200, 800, { fit: 'fill' }).jpeg({ quality: 90 }).toBuffer();
    writeFileSync(join(input, 'camera.dng'), await makeRaw({ make: 'TestCam', dng: true, preview, orientation: 1 }));
    const want: Record<string, string> = { 'scan.bmp': 'scan.png', 'icon.ico': 'icon.png', 'anim.gif': 'anim.png', 'web.webp': 'web.webp', 'shot.png': 'shot.png', 'photo.jpg': 'photo.jpg', 'camera.dng': 'camera.jpg' };
    if (HAVE_HEIF_ENC) want['phone.heic'] = 'phone.jpg';
    if (HAVE_HEIF_ENC) makeHeic(coffee, join(input, 'phone.heic'));
    if (HAVE_CJXL) {
      await sharp(coffee).resize(200).png().toFile(join(dir, 'src.png'));
      makeJxl(join(dir, 'src.png'), join(input, 'art.jxl'), ['-d', '1']);
      want['art.jxl'] = 'art.jpg';
    }
    const out = join(dir, 'out');
    const r = await runCli(['convert', input, '-o', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = r.events.filter((e): e is Done => e.type === 'file-done');
    const got = Object.fromEntries(done.map((e) => [e.input.slice(input.length + 1), e.output.slice(out.length + 1)]));
    expect(got).toEqual(want);
    const formatOf: Record<string, string> = { jpg: 'jpeg', png: 'png', webp: 'webp' };
    for (const e of done) expect((await sharp(e.output).metadata()).format, e.output).toBe(formatOf[e.output.split('.').pop()!]);
  });
});
