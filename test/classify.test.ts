/**
 * common/classify.ts: a failure is classified from its decoder's own lines only. libvips keeps
 * one error buffer per process (and sharp one warning queue): another thread's "Premature end
 * of JPEG file" reaching a looping-IFD TIFF's message once made it `truncated` instead of
 * `corrupt`.
 */
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { classify, lineLoader, ownLines } from '../common/classify.js';

/** An 8x8 gray TIFF whose first directory names itself as the next one (as the bad corpus's tiff-ifd-loop.tif). */
function loopingTiff(): Buffer {
  const entry = (tag: number, type: number, value: number) => {
    const b = Buffer.alloc(12);
    b.writeUInt16LE(tag, 0);
    b.writeUInt16LE(type, 2);
    b.writeUInt32LE(1, 4);
    b.writeUInt32LE(value, 8);
    return b;
  };
  const n = 9;
  const dataAt = 8 + 2 + n * 12 + 4;
  const head = Buffer.from('II*\0\x08\0\0\0', 'latin1');
  const count = Buffer.alloc(2);
  count.writeUInt16LE(n);
  const entries = [entry(256, 3, 8), entry(257, 3, 8), entry(258, 3, 8), entry(259, 3, 1), entry(262, 3, 1), entry(273, 4, dataAt), entry(277, 3, 1), entry(278, 3, 8), entry(279, 4, 64)];
  const next = Buffer.alloc(4);
  next.writeUInt32LE(8); // loops back to itself
  return Buffer.concat([head, count, ...entries, next, Buffer.alloc(64, 0x80)]);
}

async function decodeError(input: Buffer): Promise<Error> {
  try {
    await sharp(input, { failOn: 'warning' }).resize(4).jpeg().toBuffer();
  } catch (err) {
    return err as Error;
  }
  throw new Error('the looping TIFF decoded');
}

describe('classification from the decoder\'s own lines', () => {
  it('a looping-IFD TIFF with another thread\'s JPEG line in its message is corrupt, not truncated', async () => {
    const own = await decodeError(loopingTiff());
    expect(own.message).toMatch(/IFD looping/);
    expect(classify(own, 'decode')).toBe('corrupt');
    const mixed = new Error(`${own.message}\nPremature end of JPEG file\nVipsJpeg: premature end of JPEG image`);
    expect(classify(mixed, 'decode')).toBe('truncated'); // what the whole buffer says
    const cleaned = ownLines(mixed.message, 'tiff');
    expect(cleaned).toBe(own.message);
    expect(classify(new Error(cleaned), 'decode')).toBe('corrupt');
  });

  it('a truncated JPEG keeps its own line and drops a TIFF one', () => {
    const mixed = 'VipsJpeg: premature end of JPEG image\nTIFF directory 0 has IFD looping to directory 0 at offset 0x8 (8)';
    expect(ownLines(mixed, 'jpeg')).toBe('VipsJpeg: premature end of JPEG image');
    expect(classify(new Error(ownLines(mixed, 'jpeg')), 'decode')).toBe('truncated');
    expect(ownLines(mixed, 'png')).toBe(mixed); // no line of its own: the message is kept whole
  });

  it('names the loader of each line; lines naming none stay with every file', () => {
    expect(lineLoader('Premature end of JPEG file')).toBe('jpeg');
    expect(lineLoader('Corrupt JPEG data: 2 extraneous bytes before marker 0xd9')).toBe('jpeg');
    expect(lineLoader('JPEGLib: Premature end of JPEG file')).toBe('tiff'); // libtiff's JPEG codec
    expect(lineLoader('IDAT: CRC error')).toBe('png');
    expect(lineLoader('Input image exceeds pixel limit')).toBeUndefined();
    expect(ownLines('Input image exceeds pixel limit\nIDAT: CRC error', 'jpeg')).toBe('Input image exceeds pixel limit');
  });
});
