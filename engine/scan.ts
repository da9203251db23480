/**
 * Walk the inputs and say what each entry is, streaming: the pool starts before the walk ends,
 * and readdirp reads folders lazily, so memory stays flat however many files there are.
 *
 * Rules: only regular files are images; symbolic links are reported and never followed;
 * pipes, devices and sockets are reported; hidden entries (".*", "._*") are skipped; an
 * unreadable folder is reported and the walk goes on; the format comes from the content.
 */
import { close, constants, fstat, open, promises as fs, read, type Stats } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { readdirp } from 'readdirp';
import { unsupportedDetail, type FailureCode, type SkipCode } from '../common/failures.js';
import type { InputFormat } from '../common/task.js';
import { classify } from '../common/classify.js';
import { hasImageExtension, sniff, sniffCommon, SNIFF_BYTES } from './sniff.js';

export type ScanEntry =
  | {
      kind: 'image';
      /** Absolute path. */
      path: string;
      /** Folder of the file relative to its input root ('' at the root). */
      relDir: string;
      /** Index of the input root it was found under. */
      root: number;
      format: InputFormat;
      size: number;
    }
  | { kind: 'skip'; path: string; code: SkipCode }
  | { kind: 'fail'; path: string; code: FailureCode; detail: string }
  | { kind: 'folder-error'; path: string; code: FailureCode; detail: string };

export interface ScanOptions {
  /** Absolute folders never to enter (the output folder when it lies inside an input). */
  exclude?: string[];
}

const isHidden = (name: string) => name.startsWith('.');

// O_NOFOLLOW | O_NONBLOCK: a link swapped in since the listing fails, a FIFO never blocks.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Reads files' first {@link SNIFF_BYTES} bytes into ONE buffer, one file at a time (a scan is
 * serial): an open, an fstat, a read and a close through libuv's callbacks (bound once), so a
 * file costs one promise and its Stats, not a FileHandle, a buffer and a promise per call.
 * `head` is valid until the next {@link read}.
 *
 * @example
 * const r = new HeadReader(); if ((await r.read('/p/a.jpg')) >= 0) sniffCommon(r.head);
 */
export class HeadReader {
  private readonly buf = Buffer.allocUnsafe(SNIFF_BYTES);
  private bytes = 0;
  /** Size of the last file read. */
  size = 0;
  private fd = -1;
  private error: Error | null = null;
  private settle: ((n: number) => void) | undefined;
  private fail: ((err: Error) => void) | undefined;

  /** The first bytes of the last file read. */
  get head(): Buffer {
    return this.buf.subarray(0, this.bytes);
  }

  /** Reads `path`'s head: the bytes read, or -1 when it is no regular file (nothing read). Rejects with the system error. */
  read(path: string): Promise<number> {
    if (this.settle) throw new Error('HeadReader.read: one file at a time');
    return new Promise<number>((resolve, reject) => {
      this.settle = resolve;
      this.fail = reject;
      this.bytes = -1;
      this.error = null;
      open(path, OPEN_FLAGS, this.opened);
    });
  }

  private readonly opened = (err: Error | null, fd: number): void => {
    if (err) return this.done(err);
    this.fd = fd;
    fstat(fd, this.statted);
  };

  private readonly statted = (err: Error | null, st: Stats): void => {
    if (err || !st.isFile()) return this.closeWith(err);
    this.size = st.size;
    read(this.fd, this.buf, 0, SNIFF_BYTES, 0, this.wasRead);
  };

  private readonly wasRead = (err: Error | null, n: number): void => {
    if (!err) this.bytes = n;
    this.closeWith(err);
  };

  private closeWith(err: Error | null): void {
    this.error = err;
    close(this.fd, this.closed);
  }

  private readonly closed = (err: Error | null): void => this.done(this.error ?? err);

  private done(err: Error | null): void {
    const { settle, fail } = this;
    this.settle = this.fail = undefined;
    this.fd = -1;
    if (err) {
      this.bytes = 0;
      fail!(err);
    } else settle!(this.bytes);
  }
}

/**
 * What one file is (image, skipped, failed), from its lstat and its first bytes.
 *
 * @param reader the scan's {@link HeadReader} (default: a new one; pass one to read many files
 *   without a buffer each)
 * @example
 * await classifyFile('/p/a.jpg', await lstat('/p/a.jpg'), 0, '') // { kind: 'image', format: 'jpeg', ... }
 */
export async function classifyFile(
  path: string,
  st: Pick<Stats, 'isFile' | 'isSymbolicLink'>,
  root: number,
  relDir: string,
  reader = new HeadReader(),
): Promise<ScanEntry> {
  if (st.isSymbolicLink()) return { kind: 'skip', path, code: 'symlink' };
  if (!st.isFile()) return { kind: 'skip', path, code: 'special-file' };
  if (isHidden(basename(path))) return { kind: 'skip', path, code: 'hidden' };
  try {
    if ((await reader.read(path)) < 0) return { kind: 'skip', path, code: 'special-file' };
  } catch (err) {
    return { kind: 'fail', path, code: classify(err, 'read', path), detail: (err as Error).message };
  }
  const { size, head } = reader;
  const found = sniffCommon(head) ?? (await sniff(head, path));
  if (found.kind === 'image') return { kind: 'image', path, relDir, root, format: found.format, size };
  if (found.kind === 'unsupported') return { kind: 'fail', path, code: 'unsupported-format', detail: unsupportedDetail(found) };
  if (!hasImageExtension(path)) return { kind: 'skip', path, code: 'not-an-image' };
  const detail = size === 0 ? 'empty file (0 bytes)' : `${size} bytes whose content matches no image format${found.name ? ` (it is ${found.name})` : ''}`;
  return { kind: 'fail', path, code: 'not-an-image', detail };
}

/**
 * Walk `inputs` (files and folders) and yield one entry per file found, plus folder errors.
 *
 * @example
 * for await (const e of scan(['/photos'])) if (e.kind === 'image') console.log(e.path, e.format);
 */
export async function* scan(inputs: string[], options: ScanOptions = {}): AsyncGenerator<ScanEntry> {
  const exclude = new Set((options.exclude ?? []).map((p) => resolve(p)));
  const reader = new HeadReader();
  for (let root = 0; root < inputs.length; root++) {
    const top = resolve(inputs[root]!);
    let st: Stats;
    try {
      st = await fs.lstat(top);
    } catch (err) {
      yield { kind: 'fail', path: top, code: classify(err, 'read', top), detail: (err as Error).message };
      continue;
    }
    if (!st.isDirectory()) {
      yield await classifyFile(top, st, root, '', reader);
      continue;
    }
    yield* walk(top, root, exclude, reader);
  }
}

async function* walk(top: string, root: number, exclude: Set<string>, reader: HeadReader): AsyncGenerator<ScanEntry> {
  const pending: ScanEntry[] = [];
  const stream = readdirp(top, {
    type: 'all',
    // Never descend into links (readdirp would follow them), hidden or excluded folders.
    directoryFilter: (e) =>
      !(e.dirent?.isSymbolicLink() ?? false) && !isHidden(e.basename) && !exclude.has(e.fullPath),
  });
  stream.on('warn', (err: NodeJS.ErrnoException) => {
    // readdirp also warns about links it inspected (dangling, loops): those are reported as
    // skipped links below. Only a folder it could not list is an error of its own.
    if (err.syscall === 'scandir' && err.path) {
      pending.push({ kind: 'folder-error', path: err.path, code: classify(err, 'read', err.path), detail: err.message });
    }
  });
  if (exclude.has(top)) return;
  // readdirp lists a folder's entries together: its relative name is worked out once per folder.
  let dir = '';
  let relDir = '';
  for await (const e of stream as AsyncIterable<{ fullPath: string; dirent: import('node:fs').Dirent }>) {
    while (pending.length) yield pending.shift()!;
    if (e.dirent.isDirectory()) continue;
    const d = dirname(e.fullPath);
    if (d !== dir) {
      dir = d;
      const rel = relative(top, d);
      relDir = rel === '' ? '' : rel.split(sep).join('/');
    }
    yield await classifyFile(e.fullPath, e.dirent, root, relDir, reader);
  }
  while (pending.length) yield pending.shift()!;
}
