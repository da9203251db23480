/**
 * Walk the inputs and say what each entry is, streaming: the pool starts before the walk ends,
 * and readdirp reads folders lazily, so memory stays flat however many files there are.
 *
 * Rules: only regular files are images; symbolic links are reported and never followed;
 * pipes, devices and sockets are reported; hidden entries (".*", "._*") are skipped; an
 * unreadable folder is reported and the walk goes on; the format comes from the content.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { readdirp } from 'readdirp';
import { unsupportedDetail, type FailureCode, type SkipCode } from '../common/failures.js';
import type { InputFormat } from '../common/task.js';
import { classify } from '../common/classify.js';
import { hasImageExtension, sniff, SNIFF_BYTES } from './sniff.js';

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

/** What one file is (image, skipped, failed), from its lstat and its first bytes. */
export async function classifyFile(
  path: string,
  st: Pick<Stats, 'isFile' | 'isSymbolicLink'>,
  root: number,
  relDir: string,
): Promise<ScanEntry> {
  if (st.isSymbolicLink()) return { kind: 'skip', path, code: 'symlink' };
  if (!st.isFile()) return { kind: 'skip', path, code: 'special-file' };
  if (isHidden(basename(path))) return { kind: 'skip', path, code: 'hidden' };
  let head: Buffer;
  let size: number;
  try {
    // O_NOFOLLOW | O_NONBLOCK: a link swapped in since the listing fails, a FIFO never blocks.
    const fh = await fs.open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const s = await fh.stat();
      if (!s.isFile()) return { kind: 'skip', path, code: 'special-file' };
      size = s.size;
      const { buffer, bytesRead } = await fh.read(Buffer.alloc(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
      head = buffer.subarray(0, bytesRead);
    } finally {
      await fh.close();
    }
  } catch (err) {
    return { kind: 'fail', path, code: classify(err, 'read', path), detail: (err as Error).message };
  }
  const found = await sniff(head, path);
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
      yield await classifyFile(top, st, root, '');
      continue;
    }
    yield* walk(top, root, exclude);
  }
}

async function* walk(top: string, root: number, exclude: Set<string>): AsyncGenerator<ScanEntry> {
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
  for await (const e of stream as AsyncIterable<{ fullPath: string; dirent: import('node:fs').Dirent }>) {
    while (pending.length) yield pending.shift()!;
    if (e.dirent.isDirectory()) continue;
    const rel = relative(top, dirname(e.fullPath));
    yield await classifyFile(e.fullPath, e.dirent, root, rel === '' ? '' : rel.split(sep).join('/'));
  }
  while (pending.length) yield pending.shift()!;
}
