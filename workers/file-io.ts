/**
 * The file calls of a conversion: blocking in a worker, asynchronous on the engine's own thread.
 *
 * A worker converts one file at a time, so a blocking call costs it nothing, while an
 * asynchronous one hands each open, stat, read, close and write to a libuv thread and sleeps
 * until it is done: eight hand-offs per file, in which the worker's core may sit idle (the
 * woken libuv thread often lands on the other core). Blocking calls took the thread model's
 * gray job 3-8% less time on 2 cores (BENCHMARKS.md, "Session 8"). The engine's own thread (the
 * `async` model) must never block: it keeps the asynchronous calls (blocking.ts).
 * PHOTOPOOL_SYNC_IO=off restores them everywhere (to measure the difference).
 */
import { close, closeSync, fstat, fstatSync, mkdirSync, open, openSync, promises as fs, read, readSync, writeFileSync, type Stats } from 'node:fs';
import { promisify } from 'node:util';
import { mayBlock } from './blocking.js';

export interface FileIo {
  open(path: string, flags: number): number | Promise<number>;
  fstat(fd: number): Stats | Promise<Stats>;
  /** Bytes read into `buf` at `offset`, from file position `position`. */
  read(fd: number, buf: Buffer, offset: number, length: number, position: number): number | Promise<number>;
  close(fd: number): void | Promise<void>;
  /** Write a new file (it must not exist: O_EXCL), making its folder first. */
  create(path: string, folder: string, data: Buffer): void | Promise<void>;
}

/** Blocking calls: for a worker thread or process. */
export const blockingIo: FileIo = {
  open: openSync,
  fstat: (fd) => fstatSync(fd),
  read: (fd, buf, offset, length, position) => readSync(fd, buf, offset, length, position),
  close: closeSync,
  create: (path, folder, data) => {
    mkdirSync(folder, { recursive: true });
    writeFileSync(path, data, { flag: 'wx' });
  },
};

const [openAsync, fstatAsync, readAsync, closeAsync] = [promisify(open), promisify(fstat), promisify(read), promisify(close)];

/** libuv's asynchronous calls: for the engine's own thread. */
export const asyncIo: FileIo = {
  open: (path, flags) => openAsync(path, flags),
  fstat: (fd) => fstatAsync(fd),
  read: async (fd, buf, offset, length, position) => (await readAsync(fd, buf, offset, length, position)).bytesRead,
  close: (fd) => closeAsync(fd),
  create: async (path, folder, data) => {
    await fs.mkdir(folder, { recursive: true });
    await fs.writeFile(path, data, { flag: 'wx' });
  },
};

const ASYNC_ONLY = process.env.PHOTOPOOL_SYNC_IO === 'off';

/**
 * The file calls for this thread: blocking where it may block (a worker thread or process),
 * asynchronous on the engine's own thread or with PHOTOPOOL_SYNC_IO=off. Await every call:
 * either kind then reads the same.
 *
 * @example
 * const io = fileIo();
 * const fd = await io.open(path, constants.O_RDONLY); try { ... } finally { await io.close(fd); }
 */
export function fileIo(): FileIo {
  return mayBlock() && !ASYNC_ONLY ? blockingIo : asyncIo;
}
