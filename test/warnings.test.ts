/**
 * Issue 18: a warning is not a failure. Metadata-only decoder warnings (libtiff's "does not end
 * in null byte") let the file convert with the warning listed; truncated or corrupt pixel data
 * still fails, in both lanes.
 */
import { deflateSync } from 'node:zlib';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { encode } from '../workers/pipeline.js';
import { causes, onlyMetadata, warningKind } from '../workers/warnings.js';
import { convertTask, listFiles, ofType, pngChunk, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';
import { asciiTag, makeTiff } from './tiff-writer.js';

const NO_NUL = 'ASCII value for tag "ImageDescription" does not end in null byte. Forcing it to be null';
const GEO_NO_NUL = 'ASCII value for ASCII array tag "Tag 34737" does not end in null byte. Forcing it to be null';

/** A valid GeoTIFF-like file whose GeoAsciiParams (34737) and ImageDescription lack their final NUL. */
const geoTiff = () => makeTiff(64, 48, [asciiTag(270, 'scanned map sheet 12', false), asciiTag(34737, 'WGS 84|', false)]);

/** A 64x48 RGB PNG with 20 bytes of its zlib stream zeroed and the CRC fixed (as the bad corpus). */
function corruptPng(): Buffer {
  const raw = Buffer.alloc(48 * (1 + 64 * 3));
  for (let i = 0; i < raw.length; i++) raw[i] = i % (1 + 64 * 3) === 0 ? 0 : (i * 13) & 255;
  const z = deflateSync(raw);
  z.fill(0, 10, 30);
  const ihdr = Buffer.from([0, 0, 0, 64, 0, 0, 0, 48, 8, 2, 0, 0, 0]);
  return Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), pngChunk('IHDR', ihdr), pngChunk('IDAT', z), pngChunk('IEND', Buffer.alloc(0))]);
}

const truncatedJpeg = () => {
  const j = readFileSync(join(SAMPLES, 'coffee.jpg'));
  return j.subarray(0, j.length >> 1);
};

const task = convertTask;

describe('warning texts', () => {
  it('metadata: libtiff tag repairs, libpng ancillary chunks, an unusable ICC profile', () => {
    for (const w of [NO_NUL, GEO_NO_NUL, 'Unknown field with tag 33550 (0x830e) encountered', 'TIFFReadDirectory: Invalid TIFF directory; tags are not sorted in ascending order', 'tEXt: CRC error', 'iCCP: known incorrect sRGB profile', 'corrupt profile', 'unknown EXIF resolution unit']) {
      expect(warningKind(w), w).toBe('metadata');
    }
  });

  it('damage: truncation, corrupt data, critical PNG chunks, IFD loops, anything unknown', () => {
    for (const w of ['VipsJpeg: premature end of JPEG image', 'Corrupt JPEG data: premature end of data segment', 'IDAT: CRC error', 'IHDR: CRC error', 'IDAT: invalid code lengths set', 'not enough data', 'TIFF directory 0 has IFD looping to directory 0 at offset 0x8 (8)', 'tRNS: invalid', 'webp: unable to parse image', 'glib: XML parse error', 'something new']) {
      expect(warningKind(w), w).toBe('damage');
    }
  });

  it('causes drop libvips noise and repeats; onlyMetadata needs at least one cause', () => {
    expect(causes([`Warning treated as error due to failOn setting\n${NO_NUL}\n${NO_NUL}\nerror in tile 0 x 0`, NO_NUL])).toEqual([NO_NUL]);
    expect(onlyMetadata([])).toBe(false);
    expect(onlyMetadata([NO_NUL, 'IDAT: CRC error'])).toBe(false);
  });
});

describe('the pipeline', () => {
  it('libvips really warns on the TIFF, and a strict decode alone would fail it', async () => {
    await expect(sharp(geoTiff(), { failOn: 'warning' }).jpeg().toBuffer()).rejects.toThrow(/does not end in null byte/);
  });

  it('converts the TIFF with its warnings listed, and the pixels are the same as a clean copy', async () => {
    const t = task({ inputFormat: 'tiff', ops: { grayscale: false, autoRotate: true }, format: 'png' });
    const out = await encode(geoTiff(), t);
    expect(out.warnings).toEqual([NO_NUL, GEO_NO_NUL]);
    const clean = await encode(makeTiff(64, 48, [asciiTag(270, 'scanned map sheet 12')]), t);
    expect(clean.warnings).toBeUndefined();
    const [a, b] = await Promise.all([out.data, clean.data].map((d) => sharp(d).raw().toBuffer()));
    expect(a!.equals(b!)).toBe(true);
  });

  it('a truncated JPEG and a corrupt PNG still fail, in the luma lane and in sharp', async () => {
    await expect(encode(truncatedJpeg(), task())).rejects.toThrow(/premature end/); // gray JPEG: luma lane first
    await expect(encode(truncatedJpeg(), task({ ops: { grayscale: false, autoRotate: true } }))).rejects.toThrow(/premature end/);
    await expect(encode(corruptPng(), task({ inputFormat: 'png', format: 'png' }))).rejects.toThrow(/invalid|incorrect|data/);
  });
});

describe('photopool convert', () => {
  it('converts the warned TIFF (warning in NDJSON and in the summary), fails the truncated JPEG and the corrupt PNG', async () => {
    const input = tempDir('warn-in');
    writeFileSync(join(input, 'map.tif'), geoTiff());
    writeFileSync(join(input, 'cut.jpg'), truncatedJpeg());
    writeFileSync(join(input, 'broken.png'), corruptPng());
    const out = tempDir('warn-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--json']);
    expect(r.code).toBe(3);
    const done = ofType(r.events, 'file-done');
    expect(done.map((e) => [e.input, e.warnings])).toEqual([[join(input, 'map.tif'), [NO_NUL, GEO_NO_NUL]]]);
    expect(Object.fromEntries(ofType(r.events, 'file-failed').map((e) => [e.input.slice(input.length + 1), e.code]))).toEqual({ 'cut.jpg': 'truncated', 'broken.png': 'corrupt' });
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['map.jpg']);
    expect((await sharp(join(out, 'map.jpg')).metadata()).width).toBe(64);
    expect(tmpFiles(out)).toEqual([]);

    const human = await runCli(['convert', input, '-o', tempDir('warn-out'), '--format', 'jpeg']);
    expect(human.stdout).toContain('Converted with warnings (1):');
    expect(human.stdout).toContain(`map.tif: ${NO_NUL}; ${GEO_NO_NUL}`);
  });
});

describe('warnings of other files', () => {
  it('a warning naming another format\'s loader is not listed against this file (sharp queues warnings process-wide)', async () => {
    const { ownWarnings } = await import('../workers/warnings.js');
    const mixed = ['VipsJpeg: Corrupt JPEG data: 2 extraneous bytes before marker 0xe1', NO_NUL, 'tEXt: CRC error', 'corrupt profile'];
    expect(ownWarnings(mixed, 'png')).toEqual(['tEXt: CRC error', 'corrupt profile']);
    expect(ownWarnings(mixed, 'tiff')).toEqual([NO_NUL, 'corrupt profile']);
    expect(ownWarnings(mixed, 'jpeg')).toEqual([mixed[0], 'corrupt profile']);
  });
});
