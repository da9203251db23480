/**
 * Browser mode's uploads of dropped files: staged under PhotoPool's own cache folder (never the
 * temporary folder, often RAM), one folder per server, removed on close and swept at the next
 * start when its server died; every upload bounded (one file's size, files and bytes per drop,
 * free space left on the staging disk) and every name checked so that it means the same file on
 * every system (no `..`, no `:` or `\`, no Windows device name such as `CON` or `LPT1.txt`).
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fs, mkdirSync, readdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import envPaths from 'env-paths';

export interface UploadLimits {
  /** Largest file (bytes). Default 512 MiB. */
  maxFileBytes: number;
  /** Most files in one drop. Default 20 000. */
  maxDropFiles: number;
  /** Most bytes in one drop. Default 16 GiB. */
  maxDropBytes: number;
  /** Free space the staging disk keeps after an upload (bytes). Default 1 GiB. */
  minFreeBytes: number;
}

export const DEFAULT_UPLOAD_LIMITS: UploadLimits = { maxFileBytes: 512 * 2 ** 20, maxDropFiles: 20_000, maxDropBytes: 16 * 2 ** 30, minFreeBytes: 2 ** 30 };

/** An upload refused: the HTTP status and the message shown to the user. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 413 | 507,
    message: string,
  ) {
    super(message);
  }
}

const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
const BY_PATH = 'add the folder by its path instead (Add folder), which copies nothing';
/** Device names Windows reserves in any folder, with any extension. */
const WINDOWS_DEVICE = /^(con|prn|aux|nul|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * A relative path from a drop, checked segment by segment; null when it could escape the drop
 * or name something else on some system.
 *
 * @example
 * safeRelative('trip/day1/a.jpg') // 'trip/day1/a.jpg'; safeRelative('CON.jpg') // null
 */
export function safeRelative(rel: string): string | null {
  const parts = rel.split('/');
  if (parts.length > 64 || rel.length > 1024) return null;
  for (const p of parts) {
    if (!p || p === '.' || p === '..' || /[\\:\0-\x1f]/.test(p) || WINDOWS_DEVICE.test(p)) return null;
    if (process.platform === 'win32' && (/[<>"|?*]/.test(p) || /[ .]$/.test(p))) return null;
  }
  return join(...parts);
}

/**
 * The staging root: `PHOTOPOOL_STAGING_DIR`, else `drops/` in PhotoPool's cache folder
 * (~/.cache/PhotoPool on Linux, ~/Library/Caches/PhotoPool on macOS, %LOCALAPPDATA%\PhotoPool\Cache on Windows).
 */
export function stagingRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.PHOTOPOOL_STAGING_DIR || join(envPaths('PhotoPool', { suffix: '' }).cache, 'drops');
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Make this server's staging folder `<root>/<pid>-<random>`, first removing the folders of
 * servers that are no longer running (a crash or kill left them).
 *
 * @example
 * const dir = openStagingDir(stagingRoot()); // ... rmSync(dir, { recursive: true })
 */
export function openStagingDir(root: string): string {
  mkdirSync(root, { recursive: true, mode: 0o700 });
  for (const name of readdirSync(root)) {
    const m = /^(\d+)-[0-9a-f]+$/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(join(root, name), { recursive: true, force: true });
  }
  const dir = join(root, `${process.pid}-${randomBytes(6).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700 });
  return dir;
}

/** Bytes free to this user on the disk holding `dir`. */
async function freeBytes(dir: string): Promise<number> {
  const s = await fs.statfs(dir);
  return s.bavail * s.bsize;
}

export class Uploads {
  private readonly drops = new Map<string, { files: number; bytes: number }>();

  /**
   * @param dir this server's staging folder ({@link openStagingDir})
   * @example
   * const uploads = new Uploads(dir); const { root } = await uploads.receive(req, dropId, 'trip/a.jpg');
   */
  constructor(
    readonly dir: string,
    private readonly limits: UploadLimits = DEFAULT_UPLOAD_LIMITS,
    private readonly free: (dir: string) => Promise<number> = freeBytes,
  ) {}

  /** Store one dropped file; throws {@link UploadRefused} (nothing is left behind). */
  async receive(req: IncomingMessage, drop: string, relPath: string): Promise<{ root: string }> {
    const rel = safeRelative(relPath);
    if (!/^[a-zA-Z0-9-]{1,64}$/.test(drop)) throw new UploadRefused(400, 'bad drop id');
    if (!rel) throw new UploadRefused(400, `the name ${JSON.stringify(relPath)} is not allowed (no "..", ":", "\\", control characters or Windows device names such as CON)`);
    const root = join(this.dir, drop);
    const file = join(root, rel);
    if (!file.startsWith(root + sep)) throw new UploadRefused(400, 'bad path');
    const { maxFileBytes, maxDropFiles, maxDropBytes, minFreeBytes } = this.limits;
    const d = this.drops.get(drop) ?? { files: 0, bytes: 0 };
    const declared = Number(req.headers['content-length'] ?? 0) || 0;
    if (d.files >= maxDropFiles) throw new UploadRefused(413, `a drop holds at most ${maxDropFiles} files: ${BY_PATH}`);
    if (declared > maxFileBytes) throw new UploadRefused(413, `${relPath} is larger than ${mib(maxFileBytes)}: ${BY_PATH}`);
    if (d.bytes + declared > maxDropBytes) throw new UploadRefused(413, `a drop holds at most ${mib(maxDropBytes)}: ${BY_PATH}`);
    const free = await this.free(this.dir);
    if (free - declared < minFreeBytes) {
      throw new UploadRefused(507, `the staging disk (${this.dir}) would have less than ${mib(minFreeBytes)} free (${mib(free)} now): ${BY_PATH}`);
    }
    d.files++;
    this.drops.set(drop, d);
    let n = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, cb) {
        n += chunk.length;
        d.bytes += chunk.length;
        if (n > maxFileBytes) return cb(new UploadRefused(413, `${relPath} is larger than ${mib(maxFileBytes)}: ${BY_PATH}`));
        if (d.bytes > maxDropBytes) return cb(new UploadRefused(413, `a drop holds at most ${mib(maxDropBytes)}: ${BY_PATH}`));
        cb(null, chunk);
      },
    });
    try {
      await fs.mkdir(join(file, '..'), { recursive: true });
      await pipeline(req, limit, createWriteStream(file, { flags: 'wx' }));
    } catch (err) {
      d.files--;
      d.bytes -= n;
      await fs.rm(file, { force: true });
      if (err instanceof UploadRefused) throw err;
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UploadRefused(400, `${relPath} was dropped twice`);
      if ((err as NodeJS.ErrnoException).code === 'ENOSPC') throw new UploadRefused(507, `the staging disk (${this.dir}) is full: ${BY_PATH}`);
      throw new UploadRefused(400, `upload of ${relPath} failed: ${(err as Error).message}`);
    }
    return { root };
  }
}
