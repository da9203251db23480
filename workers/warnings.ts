/**
 * Which decoder warnings are harmless. libvips passes on what libjpeg, libpng and libtiff say as
 * warnings, and those libraries use warnings for two different things: damaged pixel data
 * ("Corrupt JPEG data", "premature end of JPEG file", "IDAT: CRC error") and metadata they
 * repair or ignore ("ASCII value for tag ... does not end in null byte", an unknown private TIFF
 * tag, a bad `tEXt` chunk). `failOn` levels cannot tell them apart, so the texts are classified.
 *
 * The rule: a warning is `metadata` only when it matches one of the patterns below (each one a
 * message about tags, ancillary chunks or profiles, never about image data); any other warning
 * is `damage`, so an unknown message keeps failing the file as before.
 */
import { isOwnLine } from '../common/classify.js';

/** Lines libvips adds around the real cause: never a cause themselves. */
const NOISE = [
  /^Warning treated as error due to failOn/i,
  /^error in tile \d+ x \d+$/i,
  /unable to write to target/i,
  /^read gave \d+ warnings?$/i,
  /^vipspng: libpng read error$/i,
  // libvips' TIFF writer pads an IPTC block to whole 4-byte words, as the TIFF tag needs
  /^rounding up IPTC data length$/i,
];

/** Warnings about metadata that the decoder repairs or skips; the pixels are untouched. */
const METADATA: RegExp[] = [
  // libtiff: an ASCII tag without its final NUL (GeoTIFF GeoKeys, scanners, old cameras)
  /^ASCII value for (ASCII array )?tag ".*" does not end in null byte\. Forcing it to be null$/,
  // libtiff: private tags it does not know (GeoTIFF, vendor tags), read as opaque data
  /^(\w+: )?Unknown field with tag \d+ \(0x[0-9a-f]+\) encountered$/i,
  // libtiff: directory entries out of order (read anyway)
  /^(\w+: )?Invalid TIFF directory; tags are not sorted in ascending order$/,
  // libtiff: a tag with the wrong count or type, ignored or trimmed
  /^(\w+: )?Incorrect count for field ".*" \(\d+, expecting \d+\); tag (ignored|trimmed)$/,
  /^(\w+: )?Wrong data type \d+ for ".*"; tag ignored$/,
  // libpng: a problem in an ancillary chunk that carries no pixels, which libpng drops (critical
  // chunks IHDR, PLTE, IDAT, IEND, and tRNS and the APNG frame chunks, are not in the list)
  /^(bKGD|cHRM|dSIG|eXIf|gAMA|hIST|iCCP|iTXt|oFFs|pCAL|pHYs|sBIT|sCAL|sPLT|sRGB|sTER|tEXt|tIME|zTXt): /,
  // libvips: an embedded ICC profile it cannot use (the image is read as sRGB)
  /^corrupt profile$/i,
  // libvips: an EXIF ResolutionUnit it does not know (the resolution is left out)
  /^unknown EXIF resolution unit$/i,
];

/** What a warning means for the file: `metadata` (convert, list the warning) or `damage` (fail). */
export type WarningKind = 'metadata' | 'damage';

/**
 * Classify one warning text.
 *
 * @example
 * warningKind('ASCII value for tag "GeoASCIIParams" does not end in null byte. Forcing it to be null') // 'metadata'
 * warningKind('VipsJpeg: premature end of JPEG image') // 'damage'
 */
export function warningKind(text: string): WarningKind {
  return METADATA.some((re) => re.test(text)) ? 'metadata' : 'damage';
}

/**
 * The distinct causes in libvips messages and warnings: split into lines, trimmed, generic lines
 * dropped, duplicates removed (libtiff repeats a tag warning once per strip read).
 *
 * @example
 * causes(['Warning treated as error due to failOn setting\nIHDR: CRC error']) // ['IHDR: CRC error']
 */
export function causes(messages: string[]): string[] {
  const out = new Set<string>();
  for (const m of messages) {
    for (const line of m.split('\n')) {
      const t = line.trim();
      if (t && !NOISE.some((re) => re.test(t))) out.add(t);
    }
  }
  return [...out];
}

/**
 * Drop the warnings that name the loader of another format than `format` (what libvips decoded).
 * sharp gathers libvips warnings in one process-wide queue, and a pipeline takes whatever is in
 * it when it ends: with several worker threads, a warning can reach a file that converted at the
 * same moment. Warnings that name no loader (an ICC profile, EXIF) cannot be told apart this way.
 *
 * @example
 * ownWarnings(['VipsJpeg: Corrupt JPEG data: 2 extraneous bytes', 'corrupt profile'], 'png') // ['corrupt profile']
 */
export function ownWarnings(texts: string[], format: string): string[] {
  return texts.filter((t) => isOwnLine(t, format));
}

/**
 * True when `texts` (causes, see {@link causes}) are all metadata warnings, and there is at
 * least one: a decode that stopped for them alone may run again with warnings allowed.
 *
 * @example
 * onlyMetadata(['Unknown field with tag 33550 (0x830e) encountered']) // true
 */
export function onlyMetadata(texts: string[]): boolean {
  return texts.length > 0 && texts.every((t) => warningKind(t) === 'metadata');
}
