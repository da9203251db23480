/**
 * Watermark: a line of text or a PNG logo over the image, at one of 9 anchors, with a margin, an
 * opacity and a width relative to the image (so small and large outputs look alike).
 *
 * Text is rendered by sharp's text input (Pango + fontconfig; DejaVu Sans Bold, which Debian's
 * `fonts-dejavu-core` provides, else fontconfig's nearest sans), white over a soft dark shadow so
 * that it reads on light and dark photos alike. In a gray recipe the overlay is made gray with
 * the same Rec.601 weights, so the output stays one exact gray channel.
 */
import { promises as fs } from 'node:fs';
import sharp, { type Matrix3x3, type OverlayOptions, type Sharp } from 'sharp';
import type { Operations } from '../../common/job.js';

type Watermark = NonNullable<Operations['watermark']>;

/** Pixels of the text rendering before it is scaled to its width (crisp enough up to ~3000 px). */
const TEXT_DPI = 400;
const Y: [number, number, number] = [0.299, 0.587, 0.114];
const REC601: Matrix3x3 = [Y, Y, Y];

/** Logos read and texts rendered by this worker (a batch uses one): `image:PATH` / `text:TEXT`. */
const sources = new Map<string, Promise<Buffer>>();

function cached(key: string, make: () => Promise<Buffer>): Promise<Buffer> {
  let p = sources.get(key);
  if (!p) {
    p = make().catch((err: unknown) => {
      sources.delete(key);
      throw err;
    });
    sources.set(key, p);
  }
  return p;
}

function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** White text over its own blurred black shadow, RGBA. */
async function textImage(text: string): Promise<Buffer> {
  const render = (colour: string) =>
    sharp({ text: { text: `<span foreground="${colour}">${escapeMarkup(text)}</span>`, font: 'DejaVu Sans Bold', dpi: TEXT_DPI, rgba: true } }).png().toBuffer();
  const pad = Math.round(TEXT_DPI / 30);
  const shadow = await sharp(await render('black')).extend({ top: pad, bottom: pad, left: pad, right: pad, background: '#0000' }).blur(pad / 2).png().toBuffer();
  return sharp(shadow).composite([{ input: await render('white'), top: pad, left: pad }]).png().toBuffer();
}

function logo(path: string): Promise<Buffer> {
  return fs.readFile(path).catch((err: NodeJS.ErrnoException) => {
    // Not the photo's fault: an input/output error naming the logo, not "corrupt".
    throw Object.assign(new Error(`cannot read the watermark image ${path}: ${err.code ?? err.message}`), { failure: 'io-error' });
  });
}

/**
 * The overlay for an image of `width` x `height`: scaled, faded, gray when the recipe is, with
 * the margin as transparent padding on the sides that face the image's edges.
 *
 * @example
 * const o = await overlay({ text: '© Ann', position: 'southeast', margin: 3, opacity: 0.5, size: 20 }, 1600, 1200, false);
 * await sharp(photo).composite([o]).toBuffer();
 */
export async function overlay(wm: Watermark, width: number, height: number, gray: boolean): Promise<OverlayOptions> {
  const margin = Math.round((Math.min(width, height) * wm.margin) / 100);
  const source = await (wm.text !== undefined ? cached(`text:${wm.text}`, () => textImage(wm.text!)) : cached(`image:${wm.image!}`, () => logo(wm.image!)));
  const meta = await sharp(source).metadata();
  // Width relative to the image, never more than fits inside the margins.
  const boxW = Math.max(1, width - 2 * margin);
  const boxH = Math.max(1, height - 2 * margin);
  let w = Math.max(1, Math.round((width * wm.size) / 100));
  let h = Math.max(1, Math.round((w * meta.height) / meta.width));
  if (w > boxW || h > boxH) {
    const k = Math.min(boxW / w, boxH / h);
    [w, h] = [Math.max(1, Math.floor(w * k)), Math.max(1, Math.floor(h * k))];
  }
  let img: Sharp = sharp(source, { failOn: 'warning', limitInputPixels: 50_000_000 }).ensureAlpha().resize(w, h, { fit: 'fill' });
  if (gray) img = img.recomb(REC601);
  img = img.linear([1, 1, 1, wm.opacity], [0, 0, 0, 0]);
  const p = wm.position;
  const pad = {
    top: p.startsWith('north') ? margin : 0,
    bottom: p.startsWith('south') ? margin : 0,
    left: p.endsWith('west') ? margin : 0,
    right: p.endsWith('east') ? margin : 0,
  };
  const input = await sharp(await img.png().toBuffer()).extend({ ...pad, background: '#0000' }).png().toBuffer();
  return { input, gravity: p };
}
