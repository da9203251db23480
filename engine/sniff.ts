/**
 * Recognise images by their first bytes, not by their names. `file-type` (100+ signatures,
 * BigTIFF and the camera RAWs included) does the recognising; this file maps what it finds
 * to what PhotoPool reads, and names the image formats it cannot read together with a tool
 * that can. A few image formats file-type has no signature for (SVG, DDS, PCX, OpenEXR, ...)
 * are checked here; TGA has no signature at all and is named from its extension.
 */
import type { InputFormat } from '../common/task.js';

/** How many leading bytes {@link sniff} needs (file-type's own detection window). */
export const SNIFF_BYTES = 4100;

/** What a file's content is: a format PhotoPool reads, an image format it does not, or neither. */
export type Sniffed =
  | { kind: 'image'; format: InputFormat }
  | { kind: 'unsupported'; name: string; reader: string }
  | { kind: 'other'; name?: string };

const IMAGE_EXTENSIONS = new Set([
  'jpg', 'jpeg', 'jpe', 'jfif', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif', 'hif', 'svg', 'jxl', 'jp2', 'j2k', 'jpf', 'jpx',
  'bmp', 'dib', 'ico', 'psd', 'psb', 'xcf', 'pcx', 'dds', 'tga', 'exr', 'hdr', 'jxr', 'wdp', 'qoi', 'ppm', 'pgm', 'pbm', 'pnm',
  'dng', 'cr2', 'cr3', 'nef', 'nrw', 'arw', 'raf', 'orf', 'rw2', 'pef', 'srw',
]);

/**
 * True when the name ends in an image extension (case-insensitive): such a file whose content
 * is no image is reported as `not-an-image` rather than skipped silently.
 *
 * @example
 * hasImageExtension('IMG_0001.HEIC') // true
 */
export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** file-type extensions PhotoPool decodes, and as what. */
const READABLE: Record<string, InputFormat> = {
  jpg: 'jpeg', png: 'png', apng: 'png', gif: 'gif', webp: 'webp', tif: 'tiff', avif: 'avif', heic: 'heif', jxl: 'jxl', bmp: 'bmp', ico: 'ico', cur: 'ico',
  dng: 'raw', cr2: 'raw', cr3: 'raw', nef: 'raw', arw: 'raw', raf: 'raw', orf: 'raw', rw2: 'raw',
};

const JPEG2000 = { name: 'JPEG 2000', reader: 'OpenJPEG (opj_decompress), GIMP or ImageMagick' };
/** Image formats PhotoPool recognises but does not read: their name and what reads them. */
const UNSUPPORTED: Record<string, { name: string; reader: string }> = {
  jp2: JPEG2000, jpx: JPEG2000, jpm: JPEG2000, j2c: JPEG2000, mj2: JPEG2000,
  psd: { name: 'Photoshop document (PSD)', reader: 'Photoshop, GIMP or ImageMagick (flatten, then export)' },
  xcf: { name: 'GIMP image (XCF)', reader: 'GIMP (File > Export)' },
  jxr: { name: 'JPEG XR', reader: 'jxrlib (JxrDecApp) or Windows Photos' },
  flif: { name: 'FLIF', reader: 'the flif tool or ImageMagick' },
  bpg: { name: 'BPG', reader: 'bpgdec' },
  icns: { name: 'Apple icon (ICNS)', reader: 'macOS Preview or iconutil' },
  ktx: { name: 'KTX texture', reader: 'the KTX tools (ktx extract) or PVRTexTool' },
  dcm: { name: 'DICOM medical image', reader: 'dcmtk (dcmj2pnm) or a DICOM viewer' },
  eps: { name: 'Encapsulated PostScript', reader: 'Ghostscript or Inkscape' },
  ps: { name: 'PostScript', reader: 'Ghostscript' },
  pdf: { name: 'PDF document', reader: 'pdftoppm (poppler) or a PDF viewer' },
  jls: { name: 'JPEG-LS', reader: 'CharLS or ImageMagick' },
};

const ascii = (b: Uint8Array, at: number, s: string) => {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};

/** Image signatures file-type does not know. */
function extraSignature(head: Uint8Array): Sniffed | null {
  const is = (name: string, reader: string): Sniffed => ({ kind: 'unsupported', name, reader });
  // A TIFF whose first directory lies beyond the head (libtiff writes it after the pixels):
  // file-type cannot follow it, the signature is enough (II*, MM*, and BigTIFF II+, MM+).
  if (ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*') || ascii(head, 0, 'II+\0') || ascii(head, 0, 'MM\0+')) return { kind: 'image', format: 'tiff' };
  if (ascii(head, 0, 'DDS ')) return is('DirectDraw Surface (DDS)', 'texconv, GIMP or ImageMagick');
  if (head[0] === 0x76 && head[1] === 0x2f && head[2] === 0x31 && head[3] === 0x01) return is('OpenEXR', 'oiiotool (OpenImageIO), GIMP or ImageMagick');
  if (ascii(head, 0, '#?RADIANCE') || ascii(head, 0, '#?RGBE')) return is('Radiance HDR', 'pfstools, GIMP or ImageMagick');
  if (ascii(head, 0, 'qoif')) return is('QOI', 'qoiconv or ImageMagick');
  if (ascii(head, 0, '\x8aMNG\r\n\x1a\n') || ascii(head, 0, '\x8bJNG\r\n\x1a\n')) return is('MNG/JNG', 'ImageMagick');
  if (ascii(head, 0, 'SIMPLE  =')) return is('FITS', 'ImageMagick or a FITS viewer (ds9)');
  if (head[0] === 0x50 && head[1]! >= 0x31 && head[1]! <= 0x37 && [0x09, 0x0a, 0x0d, 0x20].includes(head[2]!)) return is('Netpbm (PBM/PGM/PPM)', 'netpbm (pnmtopng), GIMP or ImageMagick');
  // PCX: manufacturer 0x0A, version 0-5, RLE encoding 1, 1/2/4/8 bits per plane
  if (head.length >= 128 && head[0] === 0x0a && [0, 2, 3, 4, 5].includes(head[1]!) && head[2] === 1 && [1, 2, 4, 8].includes(head[3]!)) return is('PCX', 'GIMP or ImageMagick');
  // JPEG XL's bare codestream (file-type knows the container)
  if (head[0] === 0xff && head[1] === 0x0a) return { kind: 'image', format: 'jxl' };
  // SVG: XML text whose head shows an <svg> element or an svg DOCTYPE (whose internal subset
  // may be longer than the head: an entity bomb still has to reach the parser to be refused)
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 1024)).replace(/^\uFEFF/, '');
  if (/^\s*</.test(text) && (/<svg[\s>]/i.test(text) || /^\s*(<\?xml[^>]*>\s*)?<!DOCTYPE\s+svg/i.test(text))) return { kind: 'image', format: 'svg' };
  return null;
}

/** Formats recognisable only by name (no signature). */
const BY_NAME_ONLY: Record<string, { name: string; reader: string }> = {
  tga: { name: 'Targa (TGA)', reader: 'GIMP or ImageMagick' },
};

const JPEG: Sniffed = Object.freeze({ kind: 'image', format: 'jpeg' });
const PNG: Sniffed = Object.freeze({ kind: 'image', format: 'png' });
const JPEG_LS: Sniffed = Object.freeze({ kind: 'unsupported', ...UNSUPPORTED.jls! });

/**
 * The answer {@link sniff} gives for the commonest heads (JPEG, PNG), found synchronously and
 * without allocating (shared frozen results), or undefined for any other head: a scan calls it
 * first and awaits `sniff` only when it says nothing. Same answers as file-type's (it checks
 * nothing else that starts with these bytes; JPEG-LS is FF D8 FF F7).
 *
 * @example
 * sniffCommon(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // { kind: 'image', format: 'jpeg' }
 * sniffCommon(new Uint8Array([0x47, 0x49, 0x46])) // undefined: ask sniff()
 */
export function sniffCommon(head: Uint8Array): Sniffed | undefined {
  if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return head[3] === 0xf7 ? JPEG_LS : JPEG;
  if (head[0] === 0x89 && ascii(head, 1, 'PNG\r\n\x1a\n')) return PNG;
  return undefined;
}

/**
 * What `head` (a file's first {@link SNIFF_BYTES} bytes) holds. `name`, when given, only
 * names formats that carry no signature (TGA); it never overrides the content.
 *
 * @example
 * await sniff(new Uint8Array([0xff, 0xd8, 0xff, 0xe0])) // { kind: 'image', format: 'jpeg' }
 * await sniff(jp2Head) // { kind: 'unsupported', name: 'JPEG 2000', reader: 'OpenJPEG (opj_decompress), GIMP or ImageMagick' }
 */
export async function sniff(head: Uint8Array, name = ''): Promise<Sniffed> {
  const found = await sniffContent(head, name);
  // A TIFF-based RAW (DNG, NEF, CR2, ARW...) is planned as a RAW (its output under "same" is a
  // JPEG); the worker still tells a RAW from a plain TIFF by the whole file (workers/decode/raw.ts).
  return found.kind === 'image' && found.format === 'tiff' && looksRaw(head, name) ? { kind: 'image', format: 'raw' } : found;
}

/** Extensions of TIFF-based camera RAWs. */
const RAW_TIFF_EXTENSIONS = new Set(['dng', 'nef', 'nrw', 'cr2', 'arw', 'srf', 'sr2', 'orf', 'rw2', 'pef', 'srw', '3fr', 'erf', 'kdc', 'mos', 'iiq']);

/** A TIFF head that is a camera RAW's: a RAW extension, Canon's `CR` mark, or DNGVersion in the first directory. */
function looksRaw(head: Uint8Array, name: string): boolean {
  if (RAW_TIFF_EXTENSIONS.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase()) || ascii(head, 8, 'CR')) return true;
  if (!(ascii(head, 0, 'II*\0') || ascii(head, 0, 'MM\0*'))) return false; // BigTIFF: not a RAW layout
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const le = head[0] === 0x49;
  const ifd = view.getUint32(4, le);
  if (ifd + 2 > head.length) return false;
  const count = view.getUint16(ifd, le);
  for (let i = 0; i < count && ifd + 2 + i * 12 + 2 <= head.length; i++) if (view.getUint16(ifd + 2 + i * 12, le) === 50706) return true;
  return false;
}

/** file-type, loaded on the first head {@link sniffCommon} does not answer (a JPEG or PNG batch never loads it: ~10 ms of the engine's start-up CPU). */
let fileType: Promise<typeof import('file-type')> | undefined;

async function sniffContent(head: Uint8Array, name: string): Promise<Sniffed> {
  const type = head.length ? await (fileType ??= import('file-type')).then((m) => m.fileTypeFromBuffer(head)).catch(() => undefined) : undefined;
  if (type) {
    const format = READABLE[type.ext];
    if (format) return { kind: 'image', format };
    const known = UNSUPPORTED[type.ext];
    if (known) return { kind: 'unsupported', ...known };
    if (type.mime.startsWith('image/')) return { kind: 'unsupported', name: type.mime.slice(6).toUpperCase(), reader: 'GIMP or ImageMagick' };
  }
  const extra = extraSignature(head);
  if (extra) return extra;
  if (type) return { kind: 'other', name: type.mime };
  const byName = BY_NAME_ONLY[name.slice(name.lastIndexOf('.') + 1).toLowerCase()];
  if (byName && head.length) return { kind: 'unsupported', ...byName };
  return { kind: 'other' };
}
