/**
 * Turns what went wrong into a {@link FailureCode}. sharp mislabels file-system errors
 * (a mode-000 file reads as "unsupported image format"), so the worker opens files itself and
 * file-system errors are classified from their errno code, by stage.
 */
import { FAILURE_CODES, type FailureCode } from './failures.js';

export type Stage = 'read' | 'decode' | 'write';

const FS_READ: Record<string, FailureCode> = {
  EACCES: 'permission-denied',
  EPERM: 'permission-denied',
  ENOENT: 'vanished',
  ELOOP: 'not-a-regular-file',
  EISDIR: 'not-a-regular-file',
  ENXIO: 'not-a-regular-file',
  EIO: 'io-error',
};
const FS_WRITE: Record<string, FailureCode> = {
  ENOSPC: 'disk-full',
  EDQUOT: 'disk-full',
  EFBIG: 'disk-full',
  EACCES: 'output-unwritable',
  EPERM: 'output-unwritable',
  EROFS: 'output-unwritable',
  ENOENT: 'output-unwritable',
  ENOTDIR: 'output-unwritable',
  EIO: 'io-error',
};

const DECODE: Array<[RegExp, FailureCode]> = [
  [/pixel limit/i, 'too-many-pixels'],
  [/timeout/i, 'timed-out'],
  [/premature end|truncat|not enough data|unexpected end/i, 'truncated'],
  // The scan hands over only formats PhotoPool reads: libvips not recognising one means its
  // header is broken.
  [/unsupported image format/i, 'corrupt'],
  [/corrupt|crc|read error|invalid|bad |unable to|maximum supported image dimension|dnl not supported|parse|ifd/i, 'corrupt'],
];

/**
 * Which libvips loader a message line comes from, when it says so (libtiff first: its JPEG
 * codec's lines name JPEG too). libvips keeps one error buffer per process and sharp one warning
 * queue, so with several worker threads a line of another file's decoder can reach this file's
 * message: only lines of this file's own loader, or naming none, are its own.
 */
const LOADERS: Array<[RegExp, string]> = [
  [/^tiff2vips:|TIFF|^JPEGLib:|^OJPEG|^ASCII value for |^(\w+: )?Unknown field with tag|for field ".*"; tag|^IO error during reading of/, 'tiff'],
  [/^VipsJpeg:|\bJPEG (file|data|image|process|datastream)\b|^Not a JPEG file|^Bogus marker length|^Huffman table/i, 'jpeg'],
  [/^vipspng:|^libpng|^(bKGD|cHRM|dSIG|eXIf|gAMA|hIST|iCCP|iTXt|oFFs|pCAL|pHYs|sBIT|sCAL|sPLT|sRGB|sTER|tEXt|tIME|zTXt|IHDR|PLTE|IDAT|IEND|tRNS): /, 'png'],
  [/^gifload|^cgif/, 'gif'],
  [/^webp/, 'webp'],
];

/**
 * The loader a message line names (see LOADERS above), or undefined when it names none.
 *
 * @example
 * lineLoader('VipsJpeg: premature end of JPEG image') // 'jpeg'
 * lineLoader('corrupt profile') // undefined
 */
export function lineLoader(line: string): string | undefined {
  return LOADERS.find(([re]) => re.test(line))?.[1];
}

/**
 * The lines of a libvips message that are this file's own: those of `loader` (the libvips
 * loader that read it: its format, or jpeg for a RAW's preview) or naming none. When no line is
 * left the message is kept whole (it still says something).
 *
 * @example
 * ownLines('TIFF directory 0 has IFD looping to directory 0\nPremature end of JPEG file', 'tiff')
 * // 'TIFF directory 0 has IFD looping to directory 0'
 */
export function ownLines(message: string, loader: string): string {
  const own = message.split('\n').filter((l) => isOwnLine(l.trim(), loader));
  return own.some((l) => l.trim()) ? own.join('\n') : message;
}

/**
 * Whether a libvips line belongs to a file read by `loader`: it names that loader, or none.
 *
 * @example
 * isOwnLine('Premature end of JPEG file', 'tiff') // false: another thread's JPEG decoder
 */
export function isOwnLine(line: string, loader: string): boolean {
  const of = lineLoader(line);
  return of === undefined || of === loader;
}

/**
 * Classify an error thrown at `stage` for file `path`.
 *
 * @example
 * classify(Object.assign(new Error('x'), { code: 'EACCES' }), 'read', '/a.jpg') // 'permission-denied'
 */
export function classify(err: unknown, stage: Stage, path = ''): FailureCode {
  // A decoder of workers/decode/ decided the code itself.
  const failure = (err as { failure?: unknown } | null | undefined)?.failure;
  if (typeof failure === 'string' && (FAILURE_CODES as readonly string[]).includes(failure)) return failure as FailureCode;
  const code = (err as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string' && code.startsWith('E')) {
    if (stage === 'read' && code === 'ENOENT' && path.includes('\uFFFD')) return 'unreadable-name';
    return (stage === 'write' ? FS_WRITE : FS_READ)[code] ?? 'io-error';
  }
  const message = err instanceof Error ? err.message : String(err);
  if (stage === 'write' && /no space|ENOSPC/i.test(message)) return 'disk-full';
  for (const [re, out] of DECODE) if (re.test(message)) return out;
  return stage === 'decode' ? 'corrupt' : 'io-error';
}
