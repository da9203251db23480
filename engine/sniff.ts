/**
 * Recognise images by their first bytes, not by their names.
 */
import type { InputFormat } from '../common/task.js';

/** How many leading bytes {@link sniff} needs. */
export const SNIFF_BYTES = 512;

const IMAGE_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'jpe', 'jfif', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif', 'svg', 'jxl', 'jp2', 'j2k', 'bmp',
]);

/** True when the name ends in an image extension (case-insensitive). */
export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

const ascii = (b: Uint8Array, at: number, s: string) => {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/**
 * The image format of `head` (a file's first bytes), or null when it is none that PhotoPool reads.
 *
 * @example
 * sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // 'jpeg'
 */
export function sniff(head: Uint8Array): InputFormat | null {
  if (head.length >= 3 && head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return 'jpeg';
  if (head.length >= 8 && ascii(head, 0, '\x89PNG\r\n\x1a\n')) return 'png';
  if (ascii(head, 0, 'GIF87a') || ascii(head, 0, 'GIF89a')) return 'gif';
  if (ascii(head, 0, 'RIFF') && ascii(head, 8, 'WEBP')) return 'webp';
  if (ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*')) return 'tiff';
  if (ascii(head, 4, 'ftyp')) {
    const brand = String.fromCharCode(...head.subarray(8, 12));
    if (brand === 'avif' || brand === 'avis') return 'avif';
    if (['heic', 'heix', 'hevc', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'heif';
  }
  if ((head[0] === 0xff && head[1] === 0x0a) || ascii(head, 4, 'JXL ')) return 'jxl';
  if (ascii(head, 4, 'jP  ')) return 'jp2';
  // SVG: XML text whose head shows an <svg> element or an svg DOCTYPE (whose internal subset
  // may be longer than the head: an entity bomb still has to reach the parser to be refused)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head).replace(/^\uFEFF/, '');
  if (/^\s*</.test(text) && (/<svg[\s>]/i.test(text) || /^\s*(<\?xml[^>]*>\s*)?<!DOCTYPE\s+svg/i.test(text))) return 'svg';
  return null;
}
