/**
 * A quick walk of an added folder: counts regular files, images and bytes, reporting as it goes.
 * Symbolic links are never followed and special files are never opened. With `sniff`, an image
 * is what the batch will take for one (its first bytes, as the engine's scan reads them: a text
 * file named .jpg is not one); without, a file with an image extension (the CLI's quick
 * pre-count of its progress total).
 */
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import type { FolderInfo } from '../../common/contract.js';
import { classifyFile, HeadReader } from '../../engine/scan.js';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif', '.heic', '.heif', '.svg', '.jxl', '.jp2']);
const REPORT_EVERY_MS = 150;

/**
 * Walk `root` (a folder or a single file); `report` gets the running totals (at most every
 * 150 ms, and once with `done: true`). Stops early when `signal` aborts.
 *
 * @param sniff count as images the files whose content is one (default false: by extension)
 * @example
 * await walkFolder('/photos/DCIM', (i) => show(i), undefined, true) // { files: 15, images: 14, bytes: 12_800_000, done: true, ... }
 */
export async function walkFolder(root: string, report: (info: FolderInfo) => void, signal?: AbortSignal, sniff = false): Promise<FolderInfo> {
  const info: FolderInfo = { path: root, files: 0, images: 0, bytes: 0, done: false };
  let last = Date.now();
  const reader = new HeadReader();
  const isImage = async (path: string, st: { isFile(): boolean; isSymbolicLink(): boolean }): Promise<boolean> =>
    sniff ? (await classifyFile(path, st, 0, '', reader)).kind === 'image' : IMAGE_EXT.has(extname(path).toLowerCase());
  const count = async (path: string, st: { isFile(): boolean; isSymbolicLink(): boolean }, size: number) => {
    info.files++;
    info.bytes += size;
    if (await isImage(path, st)) info.images++;
    if (Date.now() - last > REPORT_EVERY_MS) {
      last = Date.now();
      report({ ...info });
    }
  };
  try {
    const st = await fs.lstat(root);
    if (st.isFile()) await count(root, st, st.size);
    else if (!st.isDirectory()) info.error = 'not a folder or regular file';
    else {
      const stack = [root];
      while (stack.length && !signal?.aborted) {
        const dir = stack.pop()!;
        let entries;
        try {
          entries = await fs.readdir(dir, { withFileTypes: true });
        } catch {
          continue; // unreadable sub-folder: the engine reports it when converting
        }
        for (const d of entries) {
          if (d.name.startsWith('.')) continue;
          const p = join(dir, d.name);
          if (d.isDirectory()) stack.push(p);
          else if (d.isFile()) {
            const size = await fs.lstat(p).then((s) => s.size, () => 0);
            await count(p, d, size);
          }
        }
      }
    }
  } catch (err) {
    info.error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message;
  }
  info.done = true;
  report({ ...info });
  return info;
}
