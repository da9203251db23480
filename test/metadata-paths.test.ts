/**
 * Metadata on every path of the pipeline (issue 14): "keep" keeps EXIF, XMP and IPTC whether the
 * file goes straight to its encoder, through a target size, a watermark or both (the second pass
 * freezes the pixels between steps); "keep-no-gps" also removes a position the camera wrote into
 * its maker note or into XMP properties of other namespaces. Photos made here from coffee.jpg,
 * with metadata blocks written byte by byte (fixtures/metadata.ts) where sharp cannot write them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JobSpecInput } from '../common/job.js';
import { withIptc, withMakerNoteExif } from './fixtures/metadata.js';
import { SAMPLES } from './helpers.js';
import { convertWith } from './recipe-helpers.js';

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:drone-dji="http://www.dji.com/drone-dji/1.0/" drone-dji:GpsLatitude="51.5031" drone-dji:GpsLongitude="4.3512"><dc:creator><rdf:Seq><rdf:li>Ann Lee</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
const MAKER_NOTE = 'MAKER\0GPS 51.5031N 4.3512E Grand-Place Bruxelles\0';

/** The paths through the pipeline: straight to the encoder, target size, watermark, both. */
const PATHS: Array<[string, JobSpecInput['ops']]> = [
  ['direct', {}],
  ['target size', { maxSize: '40KB' }],
  ['watermark', { watermark: { text: '© Ann Lee' } }],
  ['target size + watermark', { maxSize: '40KB', watermark: { text: '© Ann Lee' } }],
];

/** What the tests look for; a TIFF's IPTC tag is searched as bytes (sharp reads back only its first string). */
async function tags(data: Buffer) {
  const m = await sharp(data).metadata();
  const iptc = m.format === 'tiff' ? data.toString('latin1') : (m.iptc?.toString('latin1') ?? '');
  const gps = (await exifr.gps(data).catch(() => undefined)) as { latitude?: number } | undefined;
  const exif = (await exifr.parse(data, { tiff: true, exif: true, makerNote: true }).catch(() => undefined)) as Record<string, unknown> | undefined;
  return { iptc, xmp: m.xmp?.toString() ?? '', make: exif?.Make, latitude: gps?.latitude };
}

describe('metadata on every path', () => {
  let photo: Buffer;
  beforeAll(async () => {
    const base = await sharp(readFileSync(join(SAMPLES, 'coffee.jpg'))).resize(600).withXmp(XMP).jpeg({ quality: 90 }).toBuffer();
    photo = withIptc(withMakerNoteExif(base, MAKER_NOTE, 51.5031, 4.3512), [[80, 'Ann Lee'], [116, 'Copyright Ann Lee'], [90, 'Bruxelles'], [101, 'Belgium']]);
    const t = await tags(photo);
    // the test photo carries what the tests look for
    expect(t).toMatchObject({ make: 'Cam' });
    expect(t.latitude).toBeCloseTo(51.5, 1);
    expect(t.iptc).toContain('Bruxelles');
    expect(t.xmp).toContain('drone-dji:GpsLatitude');
    expect(photo.includes('Grand-Place')).toBe(true);
  });

  // IPTC: JPEG is the one format written whose output libvips gives an IPTC block
  for (const format of ['jpeg'] as const) {
    for (const [path, ops] of PATHS) {
      it(`keep, ${format} output, ${path}: ${format === 'jpeg' ? 'EXIF (with the maker note), ' : ''}XMP and IPTC all kept`, async () => {
        const out = await convertWith(photo, { ...ops, metadata: 'keep' }, format, { inputFormat: 'jpeg' });
        expect(out.warnings).toBeUndefined();
        if (ops?.maxSize) expect(out.data.length).toBeLessThanOrEqual(40_000);
        const t = await tags(out.data);
        if (format === 'jpeg') {
          // libvips writes no EXIF into a TIFF
          expect(t.make).toBe('Cam');
          expect(t.latitude).toBeCloseTo(51.5, 1);
          expect(out.data.includes('Grand-Place')).toBe(true);
        }
        expect(t.iptc).toContain('Copyright Ann Lee');
        expect(t.iptc).toContain('Bruxelles');
        expect(t.xmp).toContain('Ann Lee');
        expect(t.xmp).toContain('drone-dji:GpsLatitude');
      });

      it(`keep-no-gps, ${format} output, ${path}: all but the location (${format === 'jpeg' ? 'EXIF GPS, maker note, ' : ''}XMP Gps*, IPTC city and country)`, async () => {
        const out = await convertWith(photo, { ...ops, metadata: 'keep-no-gps' }, format, { inputFormat: 'jpeg' });
        expect(out.warnings).toBeUndefined();
        const t = await tags(out.data);
        if (format === 'jpeg') expect(t.make).toBe('Cam');
        expect(t.latitude).toBeUndefined();
        expect(t.iptc).toContain('Copyright Ann Lee');
        expect(t.iptc).not.toMatch(/Bruxelles|Belgium/);
        expect(t.xmp).toContain('Ann Lee');
        expect(t.xmp).not.toMatch(/Gps|51\.50/);
        expect(out.data.includes('Grand-Place')).toBe(false);
      });
    }
  }
});
