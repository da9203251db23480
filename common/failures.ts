/**
 * Per-file outcomes: every failure and skip has a code, a reason a person can read and what
 * to do about it. One table, used by the engine, the CLI and the UI.
 */

export const FAILURE_CODES = [
  'not-an-image',
  'unsupported-format',
  'corrupt',
  'truncated',
  'too-many-pixels',
  'too-large',
  'permission-denied',
  'not-a-regular-file',
  'broken-link',
  'unreadable-name',
  'vanished',
  'timed-out',
  'disk-full',
  'output-unwritable',
  'worker-crashed',
  'io-error',
  'outside-base',
  'cluster-unreachable',
] as const;
export type FailureCode = (typeof FAILURE_CODES)[number];

export const SKIP_CODES = [
  'hidden',
  'not-an-image',
  'symlink',
  'special-file',
  'output-exists',
  'done-before',
  'in-output',
  'beside-output',
] as const;
export type SkipCode = (typeof SKIP_CODES)[number];

/** What a failure means and what the person can do. */
export const FAILURE_TEXT: Record<FailureCode, { reason: string; hint: string }> = {
  'not-an-image': { reason: 'not an image: the content matches no known image format', hint: 'remove it from the input, or check that it was copied completely' },
  'unsupported-format': { reason: 'an image format PhotoPool does not read', hint: 'the detail names the format and a tool that reads it: convert the file to PNG or JPEG with that tool first' },
  corrupt: { reason: 'corrupt image data: the decoder for this format failed on it', hint: 'the file is damaged: copy it again from its source, or check whether another viewer opens it' },
  truncated: { reason: 'truncated: the file ends before the image data does', hint: 'the copy or download was cut short: copy it again' },
  'too-many-pixels': { reason: 'too many pixels', hint: 'raise the pixel limit (limits.maxPixels / --max-pixels) if you trust this file' },
  'too-large': { reason: 'file larger than the size limit', hint: 'raise limits.maxFileBytes if you trust this file' },
  'permission-denied': { reason: 'permission denied', hint: 'give your user read access to it (chmod/chown), then resume' },
  'not-a-regular-file': { reason: 'not a regular file (pipe, device, socket or folder)', hint: 'nothing to do: only regular files are converted' },
  'broken-link': { reason: 'broken symbolic link', hint: 'symbolic links are never followed: point PhotoPool at the real file' },
  'unreadable-name': { reason: 'file name is not valid UTF-8 and cannot be opened', hint: 'rename the file (e.g. with convmv), then resume' },
  vanished: { reason: 'file disappeared or changed between scan and conversion', hint: 'run the batch again (resume) once the folder is stable' },
  'timed-out': { reason: 'took longer than the per-file time limit', hint: 'raise limits.timeoutSeconds (--timeout) if the file is legitimately huge' },
  'disk-full': { reason: 'no space left on the output device', hint: 'free space on the output disk, then resume the batch' },
  'output-unwritable': { reason: 'cannot write to the output folder', hint: 'check that the output folder exists and is writable, then resume' },
  'worker-crashed': { reason: 'the worker converting this file crashed', hint: 'the file probably triggers a decoder bug: convert it with another tool' },
  'io-error': { reason: 'input/output error', hint: 'check the disk and try again' },
  'outside-base': { reason: 'outside the --base folder, so it has no place in the output tree', hint: 'list only files inside --base, or give a --base folder that contains them all' },
  'cluster-unreachable': { reason: 'the NATS broker stayed unreachable', hint: 'start the broker (nats-server -js) or check --nats, then run "photopool resume <output> --nats <url>"' },
};

export const SKIP_TEXT: Record<SkipCode, string> = {
  hidden: 'hidden file (name starts with a dot)',
  'not-an-image': 'not an image',
  symlink: 'symbolic link (links are never followed)',
  'special-file': 'not a regular file (pipe, device or socket)',
  'output-exists': 'output exists already (collision policy "skip")',
  'done-before': 'converted by an earlier run of this batch',
  'in-output': 'inside the output folder (an output is never converted again)',
  'beside-output': 'named as this batch names the outputs it writes beside their inputs (an output is never converted again)',
};

/**
 * The detail of an `unsupported-format` failure: which format, and what reads it.
 *
 * @example
 * unsupportedDetail({ name: 'JPEG 2000', reader: 'OpenJPEG (opj_decompress)' })
 * // 'JPEG 2000: PhotoPool cannot read this format; OpenJPEG (opj_decompress) can'
 */
export function unsupportedDetail(f: { name: string; reader: string }): string {
  return `${f.name}: PhotoPool cannot read this format; ${f.reader} can`;
}
