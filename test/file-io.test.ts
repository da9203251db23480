/**
 * workers/file-io.ts: the blocking calls (worker threads and processes) and the asynchronous ones
 * (the engine's own thread) read, create and refuse alike, on a real photo.
 */
import { constants, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowBlocking } from '../workers/blocking.js';
import { asyncIo, blockingIo, fileIo, type FileIo } from '../workers/file-io.js';
import { SAMPLES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pp-file-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const READ = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

async function readAll(io: FileIo, path: string): Promise<Buffer> {
  const fd = await io.open(path, READ);
  try {
    const st = await io.fstat(fd);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) got += await io.read(fd, buf, got, buf.length - got, got);
    return buf;
  } finally {
    await io.close(fd);
  }
}

describe.each([
  ['blocking', blockingIo],
  ['async', asyncIo],
])('file calls (%s)', (name, io) => {
  const photo = join(SAMPLES, 'chelsea.jpg');

  it('reads a photo byte for byte', async () => {
    expect((await readAll(io, photo)).equals(readFileSync(photo))).toBe(true);
  });

  it('creates a file in a new folder, and never over an existing one', async () => {
    const deep = join(mkdtempSync(join(dir, `${name}-`)), 'deep'); // a fresh folder if retried
    const out = join(deep, 'a.jpg');
    const data = readFileSync(photo);
    await io.create(out, deep, data);
    expect(readFileSync(out).equals(data)).toBe(true);
    await expect(async () => io.create(out, deep, Buffer.from('x'))).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(out).equals(data)).toBe(true);
  });

  it('does not follow a symlink', async () => {
    const link = join(mkdtempSync(join(dir, 'link-')), `${name}-link.jpg`); // a fresh folder if retried
    symlinkSync(photo, link);
    await expect(async () => io.open(link, READ)).rejects.toMatchObject({ code: 'ELOOP' });
  });
});

it('the engine thread gets the asynchronous calls, a worker the blocking ones', () => {
  // the test runner's process is not a worker: like the engine's own thread, it may not block
  expect(fileIo()).toBe(asyncIo);
  allowBlocking(); // what a worker process does at start
  expect(fileIo()).toBe(blockingIo);
});
