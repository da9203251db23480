/**
 * engine/scan.ts's head reader (one buffer for a whole scan) and engine/sniff.ts's synchronous
 * answer for the commonest heads, which must be exactly what file-type answers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { classifyFile, HeadReader, scan, type ScanEntry } from '../engine/scan.js';
import { sniff, sniffCommon, SNIFF_BYTES } from '../engine/sniff.js';

const SAMPLES = resolve(import.meta.dirname, '../assets/samples');
const dir = mkdtempSync(join(tmpdir(), 'pp-scan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sniffCommon', () => {
  it('answers JPEG and PNG heads as sniff (file-type) does, and nothing for the others', async () => {
    const heads = [
      readFileSync(join(SAMPLES, 'chelsea.jpg')),
      readFileSync(join(SAMPLES, 'nested/deeper/rocket.png')),
      await sharp({ create: { width: 8, height: 8, channels: 3, background: '#804020' } }).png().toBuffer(),
      Buffer.from([0xff, 0xd8, 0xff, 0xf7, 0, 0x0b]), // JPEG-LS
      Buffer.from([0xff, 0xd8, 0xff]), // three bytes only
    ];
    for (const head of heads) expect(sniffCommon(head)).toEqual(await sniff(head));
    expect(sniffCommon(heads[3]!)).toMatchObject({ kind: 'unsupported', name: 'JPEG-LS' });
    const gif = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#804020' } }).gif().toBuffer();
    expect(sniffCommon(gif)).toBeUndefined();
    expect(await sniff(gif)).toEqual({ kind: 'image', format: 'gif' });
    expect(sniffCommon(Buffer.from('hello'))).toBeUndefined();
    expect(sniffCommon(Buffer.alloc(0))).toBeUndefined();
  });
});

describe('HeadReader', () => {
  it('reads each file into one buffer: a long head then a short one, the size of each', async () => {
    const long = join(SAMPLES, 'chelsea.jpg');
    const short = join(dir, 'short.bin');
    writeFileSync(short, 'abc');
    const r = new HeadReader();
    expect(await r.read(long)).toBe(SNIFF_BYTES);
    expect(r.size).toBe(readFileSync(long).length);
    expect(Buffer.compare(r.head, readFileSync(long).subarray(0, SNIFF_BYTES))).toBe(0);
    expect(await r.read(short)).toBe(3);
    expect(r.size).toBe(3);
    expect(r.head.toString()).toBe('abc');
  });

  it('says -1 for a FIFO (never blocks on it), rejects a link and a missing file, and refuses two reads at once', async () => {
    const fresh = mkdtempSync(join(dir, 'fifo-')); // a fresh folder if retried
    const fifo = join(fresh, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    const r = new HeadReader();
    expect(await r.read(fifo)).toBe(-1);
    const link = join(fresh, 'link.jpg');
    symlinkSync(join(SAMPLES, 'chelsea.jpg'), link);
    await expect(r.read(link)).rejects.toMatchObject({ code: 'ELOOP' });
    await expect(r.read(join(dir, 'missing.jpg'))).rejects.toMatchObject({ code: 'ENOENT' });
    const first = r.read(join(SAMPLES, 'chelsea.jpg'));
    expect(() => r.read(join(SAMPLES, 'coffee.jpg'))).toThrow(/one file at a time/);
    expect(await first).toBe(SNIFF_BYTES);
  });

  it('a scan of many files shares one reader and classifies each as classifyFile alone does', async () => {
    const tree = join(dir, 'tree');
    execFileSync('mkdir', ['-p', join(tree, 'a/b')]);
    const png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } }).png().toBuffer();
    writeFileSync(join(tree, 'a/one.png'), png);
    writeFileSync(join(tree, 'a/b/two.jpg'), readFileSync(join(SAMPLES, 'coffee.jpg')));
    writeFileSync(join(tree, 'a/b/notes.jpg'), 'not an image at all');
    writeFileSync(join(tree, 'empty.png'), '');
    const entries: ScanEntry[] = [];
    for await (const e of scan([tree])) entries.push(e);
    const byPath = Object.fromEntries(entries.map((e) => [e.path.slice(tree.length + 1), e]));
    expect(byPath['a/one.png']).toMatchObject({ kind: 'image', format: 'png', relDir: 'a', size: png.length });
    expect(byPath['a/b/two.jpg']).toMatchObject({ kind: 'image', format: 'jpeg', relDir: 'a/b' });
    expect(byPath['a/b/notes.jpg']).toMatchObject({ kind: 'fail', code: 'not-an-image', detail: '19 bytes whose content matches no image format' });
    expect(byPath['empty.png']).toMatchObject({ kind: 'fail', code: 'not-an-image', detail: 'empty file (0 bytes)' });
    for (const e of entries) {
      const alone = await classifyFile(e.path, { isFile: () => true, isSymbolicLink: () => false }, 0, e.kind === 'image' ? e.relDir : '');
      expect(alone).toEqual(e);
    }
  });
});
