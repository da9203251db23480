/**
 * Metadata: strip (default), keep, keep all but the location. Photos made here carry GPS in
 * EXIF and a location in XMP; the outputs are read back with exifr (EXIF) and as XMP text.
 */
import { statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import exifr from 'exifr';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ofType, runCli, SAMPLES, tempDir } from './helpers.js';
import { convertWith } from './recipe-helpers.js';

const XMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" exif:GPSLatitude="51,30.0N" photoshop:City="Bruxelles"><exif:GPSLongitude>4,21.0E</exif:GPSLongitude><dc:creator><rdf:Seq><rdf:li>Ann Lee</rdf:li></rdf:Seq></dc:creator></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;

/** A photo-like image with a camera's EXIF (GPS included) and XMP (a location included). */
function located(format: 'jpeg' | 'png') {
  const img = sharp({ create: { width: 400, height: 300, channels: 3, background: '#456789' } })
    .withExif({
      IFD0: { Make: 'Cam', Copyright: 'Ann Lee' },
      IFD2: { DateTimeOriginal: '2024:05:01 10:00:00' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '4/1 21/1 0/1' },
    })
    .withXmp(XMP);
  return (format === 'jpeg' ? img.jpeg() : img.png()).toBuffer();
}

/** EXIF of any output format, parsed by exifr from the TIFF block sharp finds; XMP as text. */
async function metadataOf(data: Buffer): Promise<{ exif: Record<string, unknown> | null; xmp: string }> {
  const m = await sharp(data).metadata();
  const tiff = m.exif && (m.exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? m.exif.subarray(6) : m.exif);
  const exif = tiff ? ((await exifr.parse(tiff, { gps: true, tiff: true, exif: true })) as Record<string, unknown>) : null;
  return { exif, xmp: m.xmp?.toString() ?? '' };
}

describe('metadata', () => {
  for (const format of ['jpeg', 'png', 'webp', 'avif'] as const) {
    it(`${format} output: strip removes all, keep keeps the location, keep-no-gps keeps all but the location`, async () => {
      const src = await located('jpeg');
      const strip = await metadataOf((await convertWith(src, {}, format, { inputFormat: 'jpeg' })).data);
      expect(strip).toEqual({ exif: null, xmp: '' });

      const keep = await metadataOf((await convertWith(src, { metadata: 'keep' }, format, { inputFormat: 'jpeg' })).data);
      expect(keep.exif).toMatchObject({ Make: 'Cam', Copyright: 'Ann Lee', latitude: 51.5, longitude: 4.35 });
      expect(keep.xmp).toContain('exif:GPSLatitude');
      expect(keep.xmp).toContain('Bruxelles');

      const out = await convertWith(src, { metadata: 'keep-no-gps' }, format, { inputFormat: 'jpeg' });
      expect(out.warnings).toBeUndefined();
      const safe = await metadataOf(out.data);
      expect(safe.exif).toMatchObject({ Make: 'Cam', Copyright: 'Ann Lee' });
      expect(safe.exif!.DateTimeOriginal).toBeInstanceOf(Date);
      expect(Object.keys(safe.exif!).filter((k) => /^GPS|latitude|longitude/i.test(k))).toEqual([]);
      expect(safe.xmp).toContain('Ann Lee');
      expect(safe.xmp).not.toMatch(/GPS|Bruxelles|photoshop:City/);
    });
  }

  it('cleans a PNG input (the edited chunk gets a valid CRC); its compressed XMP is left out, with a warning', async () => {
    const out = await convertWith(await located('png'), { metadata: 'keep-no-gps' }, 'png');
    const safe = await metadataOf(out.data);
    expect(safe.exif).toMatchObject({ Make: 'Cam' });
    expect(Object.keys(safe.exif!).filter((k) => /^GPS|latitude/i.test(k))).toEqual([]);
    expect(safe.xmp).toBe('');
    expect(out.warnings).toEqual(["the location could not be removed from this file's XMP in place, so it was left out"]);
  });

  it('keeps the metadata through a target size and a watermark (the second pass)', async () => {
    const src = await located('jpeg');
    const out = await convertWith(src, { metadata: 'keep-no-gps', maxSize: '20KB', watermark: { text: 'x' } }, 'jpeg', { inputFormat: 'jpeg' });
    expect(out.data.length).toBeLessThanOrEqual(20_000);
    const safe = await metadataOf(out.data);
    expect(safe.exif).toMatchObject({ Make: 'Cam' });
    expect(Object.keys(safe.exif!).filter((k) => /^GPS|latitude/i.test(k))).toEqual([]);
  });

  it('keep applies the EXIF orientation and does not write it again; gray JPEG -> JPEG skips the luma lane', async () => {
    const { readFileSync } = await import('node:fs');
    const out = await convertWith(readFileSync(join(SAMPLES, 'motorcycle-exif6.jpg')), { grayscale: true, metadata: 'keep' }, 'jpeg', { inputFormat: 'jpeg' });
    expect(out.lane).toBe('sharp');
    const m = await sharp(out.data).metadata();
    expect([m.width, m.height]).toEqual([741, 500]);
    expect(m.orientation ?? 1).toBe(1);
  });

  it('CLI: --metadata keep-no-gps with --keep-mtime', async () => {
    const dir = tempDir('meta-in');
    const input = join(dir, 'trip.jpg');
    writeFileSync(input, await located('jpeg'));
    const when = new Date('2021-07-14T12:00:00Z');
    utimesSync(input, when, when);
    const out = tempDir('meta-out');
    const r = await runCli(['convert', dir, '-o', out, '--metadata', 'keep-no-gps', '--keep-mtime', '--format', 'webp', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const done = ofType(r.events, 'file-done')[0]!;
    expect(statSync(done.output).mtime.toISOString()).toBe(when.toISOString());
    const { readFileSync } = await import('node:fs');
    const safe = await metadataOf(readFileSync(done.output));
    expect(safe.exif).toMatchObject({ Make: 'Cam' });
    expect(safe.xmp).not.toContain('Bruxelles');
    const bad = await runCli(['convert', dir, '-o', tempDir('meta-out'), '--metadata', 'no-gps']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--metadata.*no-gps/);
  });
});
