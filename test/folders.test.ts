/**
 * app/session/folders.ts: the UI's folder walk counts as images what the batch will take for
 * images (their first bytes), not what is merely named like one; the CLI's quick pre-count goes
 * by extension. Links are never followed, hidden files never counted.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { walkFolder } from '../app/session/folders.js';
import { SAMPLES } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'pp-folders-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
mkdirSync(join(dir, 'DCIM'));
copyFileSync(join(SAMPLES, 'chelsea.jpg'), join(dir, 'DCIM', 'IMG_0001.jpg'));
copyFileSync(join(SAMPLES, 'nested/deeper/rocket.png'), join(dir, 'DCIM', 'IMG_0002.png'));
writeFileSync(join(dir, 'DCIM', 'notes.jpg'), 'hello\n'); // a text file named like a photo
writeFileSync(join(dir, 'DCIM', 'readme.txt'), 'not a photo\n');
copyFileSync(join(SAMPLES, 'coffee.jpg'), join(dir, 'DCIM', '.hidden.jpg'));
symlinkSync(join(SAMPLES, 'coffee.jpg'), join(dir, 'DCIM', 'link.jpg'));
const bytes = ['IMG_0001.jpg', 'IMG_0002.png', 'notes.jpg', 'readme.txt'].reduce((n, f) => n + statSync(join(dir, 'DCIM', f)).size, 0);

describe('folder walk', () => {
  it('with sniffing (the UI): a text file named .jpg is a file, not an image', async () => {
    const info = await walkFolder(dir, () => undefined, undefined, true);
    expect(info).toMatchObject({ files: 4, images: 2, bytes, done: true });
  });

  it('without (the CLI pre-count): by extension', async () => {
    const info = await walkFolder(dir, () => undefined);
    expect(info).toMatchObject({ files: 4, images: 3, bytes, done: true });
  });

  it('a single file: counted by its content too', async () => {
    expect(await walkFolder(join(dir, 'DCIM', 'notes.jpg'), () => undefined, undefined, true)).toMatchObject({ files: 1, images: 0 });
    expect(await walkFolder(join(dir, 'DCIM', 'IMG_0001.jpg'), () => undefined, undefined, true)).toMatchObject({ files: 1, images: 1 });
  });
});
