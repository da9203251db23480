/**
 * Watermark (text through sharp's text input and a PNG logo): where it lands, how big, how
 * opaque, gray in a gray recipe; CLI flags and their errors.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { ofType, ROOT, runCli, SAMPLES, tempDir } from './helpers.js';
import { convertWith } from './recipe-helpers.js';

const flat = (w: number, h: number) => sharp({ create: { width: w, height: h, channels: 3, background: '#404040' } }).png().toBuffer();
const logoPath = join(ROOT, 'assets/icon.png');

/** Bounding box of the pixels that differ from the flat background (#404040). */
async function changed(img: Buffer): Promise<{ left: number; top: number; right: number; bottom: number; max: number }> {
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const box = { left: Infinity, top: Infinity, right: -1, bottom: -1, max: 0 };
  for (let y = 0; y < info.height; y++)
    for (let x = 0; x < info.width; x++) {
      let d = 0;
      for (let c = 0; c < info.channels; c++) d = Math.max(d, Math.abs(data[(y * info.width + x) * info.channels + c]! - 0x40));
      if (d > 8) Object.assign(box, { left: Math.min(box.left, x), top: Math.min(box.top, y), right: Math.max(box.right, x), bottom: Math.max(box.bottom, y) });
      box.max = Math.max(box.max, d);
    }
  return box;
}

describe('watermark', () => {
  it('puts a PNG logo at each anchor, sized from the image width, inside the margin', async () => {
    const base = await flat(1000, 600);
    const margin = 18; // 3% of 600
    for (const [position, inX, inY] of [
      ['northwest', 'start', 'start'],
      ['south', 'middle', 'end'],
      ['east', 'end', 'middle'],
      ['centre', 'middle', 'middle'],
    ] as const) {
      const out = await convertWith(base, { watermark: { image: logoPath, position, size: 20, opacity: 1 } });
      const b = await changed(out.data);
      expect(b.right - b.left + 1, position).toBeLessThanOrEqual(200);
      expect(b.right - b.left + 1, position).toBeGreaterThan(150); // the icon's own transparent border
      const at = (lo: number, hi: number, size: number, where: string) =>
        where === 'start' ? lo >= margin && lo < margin + 30 : where === 'end' ? hi <= size - 1 - margin && hi > size - margin - 30 : Math.abs((lo + hi) / 2 - size / 2) < 10;
      expect(at(b.left, b.right, 1000, inX), `${position} x ${b.left}-${b.right}`).toBe(true);
      expect(at(b.top, b.bottom, 600, inY), `${position} y ${b.top}-${b.bottom}`).toBe(true);
    }
  });

  it('renders text, fainter at a lower opacity', async () => {
    const base = await flat(800, 400);
    const strong = await changed((await convertWith(base, { watermark: { text: 'PhotoPool', opacity: 1, size: 40 } })).data);
    const faint = await changed((await convertWith(base, { watermark: { text: 'PhotoPool', opacity: 0.3, size: 40 } })).data);
    expect(strong.right - strong.left, 'about 40% of the width').toBeGreaterThan(280);
    expect(strong.right - strong.left).toBeLessThanOrEqual(320);
    expect(strong.right, 'south-east by default').toBeGreaterThan(700);
    expect(strong.max, 'white text on #404040').toBeGreaterThan(150);
    expect(faint.max).toBeLessThan(strong.max * 0.45);
  });

  it('stays one exact gray channel in a gray recipe (the logo is made gray too)', async () => {
    const out = await convertWith(readFileSync(join(SAMPLES, 'coffee.jpg')), { grayscale: true, watermark: { image: logoPath, position: 'northwest', opacity: 1 } }, 'jpeg');
    expect((await sharp(out.data).metadata()).channels).toBe(1);
    expect(out.lane).toBe('sharp');
  });

  it('works with a target size: the watermark is there and the file fits', async () => {
    const out = await convertWith(readFileSync(join(SAMPLES, 'retina.jpg')), { maxSize: '60KB', watermark: { text: 'sample', opacity: 1, size: 30 } }, 'jpeg');
    expect(out.data.length).toBeLessThanOrEqual(60_000);
    expect(out.quality).toBeGreaterThanOrEqual(30);
  });

  it('CLI: --watermark-text / --watermark-image convert; misuse is refused naming the flag', async () => {
    const out = tempDir('wm');
    const r = await runCli(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', out, '--watermark-image', logoPath, '--watermark-position', 'northwest', '--watermark-opacity', '0.8', '--watermark-size', '25', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'file-done')).toHaveLength(1);
    const t = await runCli(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', tempDir('wm'), '--watermark-text', '© Ann', '--json']);
    expect(t.code, t.stderr).toBe(0);

    const alone = await runCli(['convert', SAMPLES, '-o', tempDir('wm'), '--watermark-opacity', '0.4']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--watermark-opacity: expected a --watermark-text or --watermark-image to go with it, received 0.4 alone');
    const notPng = join(tempDir('wm'), 'logo.png');
    writeFileSync(notPng, readFileSync(join(SAMPLES, 'chelsea.jpg')));
    const bad = await runCli(['convert', SAMPLES, '-o', tempDir('wm'), '--watermark-image', notPng]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--watermark-image: expected a PNG file');
    const both = await runCli(['convert', SAMPLES, '-o', tempDir('wm'), '--watermark-image', logoPath, '--watermark-text', 'x']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('--watermark-text: expected either a text or an image, not both');
    const opacity = await runCli(['convert', SAMPLES, '-o', tempDir('wm'), '--watermark-text', 'x', '--watermark-opacity', '2']);
    expect(opacity.code).toBe(2);
    expect(opacity.stderr).toContain('--watermark-opacity: expected a number <= 1, received 2');
  });
});
