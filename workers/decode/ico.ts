/**
 * Windows icons and cursors (ICO/CUR): the largest image of the file (then the deepest), a
 * PNG handed to sharp as it is, or a BMP without its file header (rows of colour then a 1-bit
 * AND mask, height counted twice) read by bmp.ts; 32-bit entries keep their alpha. The AND
 * mask of lower depths is not applied (those pixels come out opaque).
 */
import type { ConvertTask } from '../../common/task.js';
import { decodeBmp } from './bmp.js';
import { corruptData } from './errors.js';
import type { Source } from './index.js';

/**
 * Decode the largest image of an ICO/CUR file.
 *
 * @example
 * const src = await decodeIco(readFileSync('favicon.ico'), task);
 */
export async function decodeIco(b: Buffer, task: ConvertTask): Promise<Source> {
  const count = b.length >= 6 ? b.readUInt16LE(4) : 0;
  if (!count || 6 + count * 16 > b.length) throw corruptData('ICO', `directory of ${count} images does not fit in ${b.length} bytes`);
  let best = { score: -1, offset: 0, size: 0 };
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 16;
    const w = b[at] || 256;
    const h = b[at + 1] || 256;
    const score = w * h * 64 + (b.readUInt16LE(at + 6) || 0);
    if (score > best.score) best = { score, size: b.readUInt32LE(at + 8), offset: b.readUInt32LE(at + 12) };
  }
  if (best.offset + best.size > b.length || best.size < 40) throw corruptData('ICO', `image at ${best.offset} (${best.size} bytes) runs past the end`);
  const img = b.subarray(best.offset, best.offset + best.size);
  if (img.toString('latin1', 1, 4) === 'PNG') return { data: img };
  // A DIB: give it a BMP file header and halve its height (the AND mask follows the colours).
  const dib = Buffer.from(img);
  dib.writeInt32LE(Math.trunc(dib.readInt32LE(8) / 2), 8);
  const headerSize = dib.readUInt32LE(0);
  const bpp = dib.readUInt16LE(14);
  const colours = bpp <= 8 ? dib.readUInt32LE(32) || 1 << bpp : 0;
  const file = Buffer.alloc(14);
  file.write('BM', 0, 'latin1');
  file.writeUInt32LE(14 + dib.length, 2);
  file.writeUInt32LE(14 + headerSize + colours * 4, 10);
  return decodeBmp(Buffer.concat([file, dib]), task, { alpha32: true });
}
