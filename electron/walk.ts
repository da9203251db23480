/**
 * Quick count of an added folder (files, likely images, bytes) for the folder list. Symbolic
 * links are never followed; hidden entries are left out (as the engine's scan does).
 */
import { promises as fs } from 'node:fs';
import { extname, join } from 'node:path';
import type { FolderInfo } from '../common/contract.js';

const IMAGE_EXT = new Set(['.jpg', '.jpeg', '.jpe', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif', '.heic', '.heif', '.svg', '.jxl', '.jp2']);

/** Walk `root`, reporting running totals at most every 150 ms and once at the end. */
export async function countFolder(root: string, report: (f: FolderInfo) => void, signal: AbortSignal): Promise<void> {
  const info: FolderInfo = { path: root, files: 0, images: 0, bytes: 0, done: false };
  let last = Date.now();
  const add = (name: string, size: number) => {
    info.files++;
    info.bytes += size;
    if (IMAGE_EXT.has(extname(name).toLowerCase())) info.images++;
    if (Date.now() - last > 150) {
      last = Date.now();
      report({ ...info });
    }
  };
  try {
    const st = await fs.lstat(root);
    if (st.isFile()) add(root, st.size);
    else if (!st.isDirectory()) info.error = 'not a folder or regular file';
    else {
      const stack = [root];
      while (stack.length && !signal.aborted) {
        const dir = stack.pop()!;
        const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
        for (const d of entries) {
          if (d.name.startsWith('.')) continue;
          const p = join(dir, d.name);
          if (d.isDirectory()) stack.push(p);
          else if (d.isFile()) add(d.name, await fs.lstat(p).then((s) => s.size, () => 0));
        }
      }
    }
  } catch (err) {
    info.error = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (err as Error).message;
  }
  info.done = true;
  report({ ...info });
}
