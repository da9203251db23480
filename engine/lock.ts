/**
 * One batch per output folder: a lock file (`.photopool-lock`) created with O_EXCL, naming
 * its holder (process id, host, start time). A second batch into the folder is refused with
 * that holder named; a lock left by a process of this host that is no longer running (killed,
 * crashed) is stale and taken over.
 *
 * Taking over is made safe against two takers at once: the stale lock is first renamed aside
 * (only one rename of it can succeed) and checked to be the one that was read; a live lock
 * moved aside by mistake is put back.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Errors } from './errors.js';

export const LOCK_NAME = '.photopool-lock';

export interface LockHolder {
  pid: number;
  host: string;
  /** ISO time the holder took the lock. */
  startedAt: string;
  /** Unique per acquisition (tells two holders of one pid apart). */
  nonce: string;
}

/** A lock file being written (open, not yet filled) is younger than this. */
const CREATING_MS = 5000;

/**
 * True while `pid` runs. A zombie (killed, not yet reaped: its parent died too and the process
 * that inherited it reaps late, as some container inits do) still answers signal 0 but holds
 * nothing: on Linux its /proc state says so.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // exists, another user's
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    return true; // no /proc (macOS, Windows): signal 0 is all there is
  }
}

function readHolder(path: string): { raw: string; holder: LockHolder | null } | null {
  try {
    const raw = readFileSync(path, 'utf8');
    try {
      const h = JSON.parse(raw) as LockHolder;
      return { raw, holder: typeof h.pid === 'number' && typeof h.host === 'string' ? h : null };
    } catch {
      return { raw, holder: null };
    }
  } catch {
    return null; // gone meanwhile
  }
}

/** True when the lock's holder cannot be running any more. */
function isStale(path: string, holder: LockHolder | null): boolean {
  if (!holder) {
    // unreadable: a lock being written right now, or garbage left by a crash
    try {
      return Date.now() - statSync(path).mtimeMs > CREATING_MS;
    } catch {
      return true;
    }
  }
  // this process runs one batch at a time: a lock of its own is one a failed release left
  return holder.host === hostname() && (holder.pid === process.pid || !alive(holder.pid));
}

export class OutputLock {
  private released = false;

  private constructor(
    readonly path: string,
    readonly holder: LockHolder,
  ) {}

  /**
   * Take the lock of `outputDir` (which must exist). Throws EngineError `output-locked`
   * naming the holder when another running batch has it.
   *
   * @example
   * const lock = OutputLock.acquire('/out'); try { ... } finally { lock.release(); }
   */
  static acquire(outputDir: string): OutputLock {
    const path = join(outputDir, LOCK_NAME);
    const me: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), nonce: randomUUID() };
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const fd = openSync(path, 'wx', 0o644);
        try {
          writeSync(fd, JSON.stringify(me));
        } finally {
          closeSync(fd);
        }
        return new OutputLock(path, me);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const seen = readHolder(path);
      if (!seen) continue; // released meanwhile: try again
      if (!isStale(path, seen.holder)) throw Errors.outputLocked(outputDir, path, seen.holder);
      const aside = `${path}.${process.pid}.${me.nonce}`;
      try {
        renameSync(path, aside);
      } catch {
        continue; // another taker moved it first
      }
      const moved = readHolder(aside);
      if (moved && moved.raw !== seen.raw) {
        // not the stale lock we read: a new holder's; give it back
        try {
          renameSync(aside, path);
        } catch {
          /* best effort */
        }
        continue;
      }
      rmSync(aside, { force: true });
    }
    const last = readHolder(path);
    throw Errors.outputLocked(outputDir, path, last?.holder ?? null);
  }

  /** Remove the lock file if it is still this holder's. Idempotent. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const now = readHolder(this.path);
    try {
      if (now?.holder?.nonce === this.holder.nonce) rmSync(this.path, { force: true });
    } catch {
      /* the folder went read-only or away: the lock is stale once this process ends */
    }
  }
}
