/**
 * The errors a decoder throws: each carries the failure code the worker reports, so a
 * decoder says itself whether a file is unsupported, damaged or too big.
 */
import type { FailureCode } from '../../common/failures.js';
import { unsupportedDetail } from '../../common/failures.js';

/** An error whose failure code is decided where it is thrown. */
export class DecodeFailure extends Error {
  constructor(
    readonly failure: FailureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The format has no decoder here; `reader` names what reads it.
 *
 * @example
 * throw unsupportedFormat('HEIC (HEVC)', 'libheif with libde265 (apt install libheif1 libde265-0)');
 */
export function unsupportedFormat(name: string, reader: string): DecodeFailure {
  return new DecodeFailure('unsupported-format', unsupportedDetail({ name, reader }));
}

/**
 * A decoder that supports the format failed on this file's data.
 *
 * @example
 * throw corruptData('BMP', 'pixel data ends at byte 1000 of 4000');
 */
export function corruptData(format: string, why: string): DecodeFailure {
  return new DecodeFailure('corrupt', `${format}: ${why}`);
}

/**
 * The header declares more pixels than the limit allows (checked before any pixel is decoded).
 *
 * @example
 * checkPixels(40000, 40000, 100e6, 'HEIC') // throws 'HEIC: 40000x40000 exceeds pixel limit of 100000000'
 */
export function checkPixels(width: number, height: number, maxPixels: number, format: string): void {
  if (!(width > 0 && height > 0)) throw corruptData(format, `invalid dimensions ${width}x${height}`);
  if (maxPixels > 0 && width * height > maxPixels) {
    throw new DecodeFailure('too-many-pixels', `${format}: ${width}x${height} exceeds pixel limit of ${maxPixels}`);
  }
}
