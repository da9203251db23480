/**
 * JPEG XL input: the image size is read from the codestream header (bare, or in the ISO BMFF
 * container's jxlc/jxlp box) and checked against the pixel limit before anything is decoded;
 * then jxl-wasm.ts decodes, off the engine's own thread in the `async` model.
 */
import type { ConvertTask } from '../../common/task.js';
import { toContainer } from './container.js';
import { checkPixels, corruptData } from './errors.js';
import type { Source } from './index.js';
import { decodeJxlPixels } from './jxl-wasm.js';
import { mayBlock } from '../blocking.js';
import { offThread } from './off-thread.js';

/** The codestream inside a container, or the input when it is a bare codestream. */
function codestream(b: Buffer): Buffer {
  if (b[0] === 0xff && b[1] === 0x0a) return b;
  let at = 0;
  while (at + 8 <= b.length) {
    let size = b.readUInt32BE(at);
    const type = b.toString('latin1', at + 4, at + 8);
    let head = 8;
    if (size === 1 && at + 16 <= b.length) {
      size = Number(b.readBigUInt64BE(at + 8));
      head = 16;
    }
    if (size === 0) size = b.length - at;
    if (type === 'jxlc') return b.subarray(at + head, at + size);
    if (type === 'jxlp') return b.subarray(at + head + 4, at + size);
    if (size < head) break;
    at += size;
  }
  throw corruptData('JPEG XL', 'no codestream box (jxlc/jxlp) in the container');
}

/**
 * Width and height from a JPEG XL SizeHeader (ISO/IEC 18181-1, bits read LSB first).
 *
 * @example
 * jxlSize(readFileSync('a.jxl')) // { width: 600, height: 400 }
 */
export function jxlSize(file: Buffer): { width: number; height: number } {
  const cs = codestream(file);
  if (cs.length < 4 || cs[0] !== 0xff || cs[1] !== 0x0a) throw corruptData('JPEG XL', 'no codestream signature');
  let pos = 16;
  const bits = (n: number) => {
    let v = 0;
    for (let i = 0; i < n; i++, pos++) {
      if (pos >> 3 >= cs.length) throw corruptData('JPEG XL', 'header cut short');
      v += ((cs[pos >> 3]! >> (pos & 7)) & 1) * 2 ** i;
    }
    return v;
  };
  const u32 = () => bits([9, 13, 18, 30][bits(2)]!) + 1;
  const small = bits(1);
  const height = small ? (bits(5) + 1) * 8 : u32();
  const ratio = bits(3);
  const RATIOS = [[0, 0], [1, 1], [12, 10], [4, 3], [3, 2], [16, 9], [5, 4], [2, 1]];
  const width = ratio ? Math.floor((height * RATIOS[ratio]![0]!) / RATIOS[ratio]![1]!) : small ? (bits(5) + 1) * 8 : u32();
  return { width, height };
}

/**
 * Decode a JPEG XL file into something sharp reads.
 *
 * @example
 * const src = await decodeJxl(readFileSync('a.jxl'), task); // src.data: a TIFF
 */
export async function decodeJxl(input: Buffer, task: ConvertTask): Promise<Source> {
  const { width, height } = jxlSize(input);
  checkPixels(width, height, task.limits.maxPixels, 'JPEG XL');
  const px = mayBlock() ? await decodeJxlPixels(input) : await offThread('jxl', input, task.limits.maxPixels, task.limits.timeoutSeconds);
  return { data: toContainer(px, false) };
}
