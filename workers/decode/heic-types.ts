/** What a HEIF decoder hands back: the primary image's pixels and what comes with them. */
import type { Pixels } from './container.js';

export interface HeifPixels extends Pixels {
  data: Uint8Array;
  channels: 3 | 4;
  /** nclx colour primaries (ITU-T H.273) when the colour is given as nclx, not ICC. */
  primaries?: number;
}

/** One of the two decoders: libheif through koffi, or libheif's WebAssembly build. */
export interface HeifBackend {
  /** e.g. `libheif 1.15.1 (system, koffi)` */
  name: string;
  /** Decode the primary image (transformations applied), refusing more than `maxPixels`. */
  decode(input: Uint8Array, maxPixels: number): HeifPixels;
}
