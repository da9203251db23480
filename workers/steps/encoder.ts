/**
 * The encoder settings of each output format, in one place: the single-pass pipeline and the
 * target-size search encode the same way.
 */
import type { Sharp } from 'sharp';
import type { EncodeFormat } from '../../common/task.js';

/** Formats whose size depends on an encoder quality (PNG is lossless: only its dimensions count). */
export const HAS_QUALITY: ReadonlySet<EncodeFormat> = new Set(['jpeg', 'webp', 'avif', 'tiff']);

/**
 * Set `img`'s output format and quality.
 *
 * @example
 * await encoder(sharp(buf), 'webp', 75).toBuffer()
 */
export function encoder(img: Sharp, format: EncodeFormat, quality: number): Sharp {
  switch (format) {
    case 'jpeg':
      return img.jpeg({ quality });
    case 'png':
      return img.png();
    case 'webp':
      return img.webp({ quality });
    case 'avif':
      return img.avif({ quality });
    case 'tiff':
      return img.tiff({ quality, compression: 'jpeg' });
  }
}
