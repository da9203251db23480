/**
 * One door for every input format: what sharp reads goes straight through; HEIC (HEVC),
 * JPEG XL, BMP, ICO and camera RAWs go through a decoder of this folder first, which hands sharp
 * something it reads (an uncompressed TIFF or PNG around the decoded pixels, or a RAW's
 * embedded JPEG). Decoders load on first use, so a batch of JPEGs never loads a WebAssembly
 * module. Every decoder checks the pixel limit from the header before decoding and throws a
 * {@link DecodeFailure} that names its failure code.
 */
import type { ConvertTask } from '../../common/task.js';

/** What sharp is given for one file. */
export interface Source {
  /** Bytes in a format sharp reads. */
  data: Buffer;
  /** Said about the result when the pixels are not the file's main image (a RAW's preview). */
  note?: string;
}

export { DecodeFailure } from './errors.js';

/**
 * sharp input options that depend on the formats: an animated GIF or WebP keeps all its
 * frames when the output keeps animation (WebP), else only the first frame is read. The
 * pixel limit then counts every frame.
 *
 * @example
 * inputOptions({ inputFormat: 'gif', format: 'webp', ... }) // { animated: true }
 */
export function inputOptions(task: Pick<ConvertTask, 'inputFormat' | 'format'>): { animated: boolean } {
  return { animated: (task.inputFormat === 'gif' || task.inputFormat === 'webp') && task.format === 'webp' };
}

/**
 * What to hand sharp for `input`, a file whose content the scan recognised as `task.inputFormat`.
 *
 * @example
 * const src = await decodeInput(heicBytes, task); // src.data is a TIFF, src.decoder 'libheif'
 */
export async function decodeInput(input: Buffer, task: ConvertTask): Promise<Source> {
  switch (task.inputFormat) {
    case 'heif': {
      const { isHevc, decodeHeic } = await import('./heic.js');
      return isHevc(input) ? decodeHeic(input, task) : { data: input }; // AV1 (AVIF-like): sharp
    }
    case 'raw':
    case 'tiff': {
      // DNG, NEF, CR2, ARW... are TIFF inside: their first image is often a thumbnail. The scan
      // names CR3, RAF... RAWs by content, TIFF-based ones by a glance at the head and the name:
      // the whole file decides here.
      const { decodeRaw, isRawTiff } = await import('./raw.js');
      const head = input.toString('latin1', 0, 4);
      const tiffBased = head === 'II*\0' || head === 'MM\0*';
      if ((task.inputFormat === 'raw' && !tiffBased) || isRawTiff(input)) return decodeRaw(input, task);
      // libvips reads float32 TIFFs but refuses float64 ones
      const { decodeFloat64Tiff, isFloat64Tiff } = await import('./float-tiff.js');
      return isFloat64Tiff(input) ? decodeFloat64Tiff(input, task) : { data: input };
    }
    case 'jxl':
      return (await import('./jxl.js')).decodeJxl(input, task);
    case 'bmp':
      return (await import('./bmp.js')).decodeBmp(input, task);
    case 'ico':
      return (await import('./ico.js')).decodeIco(input, task);
    default:
      return { data: input };
  }
}
