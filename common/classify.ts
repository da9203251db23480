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
