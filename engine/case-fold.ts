/**
 * Does the output folder's file system treat `Photo.jpg` and `photo.jpg` as one name?
 * Decided by a probe file, never guessed from the OS: macOS and Windows volumes can be
 * case-sensitive, and a Linux machine can write to a case-folding USB stick or SMB share.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** Names equal after this are one name on a case-folding file system (NFC, lower case). */
export function foldName(name: string): string {
  return name.normalize('NFC').toLowerCase();
}

/**
 * True when `dir` (which must exist and be writable) folds case: a probe file
 * `.photopool-case-probe-<random>` is created there, looked up in upper case and removed.
 * `PHOTOPOOL_CASE_FOLDING=on|off` overrides the probe (tests: no case-folding file system can be
 * mounted in CI). When the probe cannot be written the answer is false (the batch will report the
 * unwritable folder itself).
 *
 * @example
 * const folds = probeCaseFolding('/Volumes/USB/out'); // true on FAT/exFAT, APFS default, NTFS
 */
export function probeCaseFolding(dir: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const forced = env.PHOTOPOOL_CASE_FOLDING;
  if (forced === 'on' || forced === 'off') return forced === 'on';
  const probe = join(dir, `.photopool-case-probe-${randomBytes(4).toString('hex')}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch {
    return false;
  }
  try {
    return existsSync(join(dir, `.PHOTOPOOL-CASE-PROBE-${probe.slice(-8).toUpperCase()}`));
  } finally {
    rmSync(probe, { force: true });
  }
}
