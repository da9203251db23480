/**
 * Whether a file that failed to decode was cut short, read from its own structure. libvips
 * keeps one error buffer per process, so with two worker threads a decoder's "not enough data"
 * line can be taken by another file's error (this file's message then says only "error in
 * tile"), or land in another file's: the bytes themselves tell a copy cut short from damaged
 * data.
 */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A JPEG whose last bytes (zero padding aside) are not the EOI marker (FFD9). */
function jpegCutShort(data: Buffer): boolean {
  let end = data.length;
  while (end > 2 && data[end - 1] === 0) end--; // some writers pad with zeros
  return !(data[end - 2] === 0xff && data[end - 1] === 0xd9);
}

/** A PNG whose chunks run past the end of the file before an IEND chunk. */
function pngCutShort(data: Buffer): boolean {
  if (data.length < 8 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) return false;
  let at = 8;
  while (at + 8 <= data.length) {
    const next = at + 12 + data.readUInt32BE(at);
    if (data.toString('latin1', at + 4, at + 8) === 'IEND') return next > data.length;
    if (next > data.length) return true;
    at = next;
  }
  return true;
}

/** A WebP shorter than its RIFF header says it is. */
function webpCutShort(data: Buffer): boolean {
  if (data.length < 12 || data.toString('latin1', 0, 4) !== 'RIFF' || data.toString('latin1', 8, 12) !== 'WEBP') return false;
  return data.readUInt32LE(4) + 8 > data.length;
}

const CHECKS: Record<string, (data: Buffer) => boolean> = { jpeg: jpegCutShort, png: pngCutShort, webp: webpCutShort };

/**
 * Whether `data`, read as `format` (the scan's format name), ends before its own structure
 * says it should; undefined for a format without a check (JPEG, PNG and WebP have one).
 *
 * @example
 * cutShort(readFileSync('cut.jpg'), 'jpeg') // true: no EOI marker at the end
 * cutShort(readFileSync('a.tif'), 'tiff') // undefined
 */
export function cutShort(data: Buffer, format: string): boolean | undefined {
  return CHECKS[format]?.(data);
}
