/**
 * Turn a drop into files with their paths relative to the drop. Folders are walked with the
 * File and Directory Entries API; in Electron the top-level items are enough (their paths).
 */
import type { Dropped } from '../../common/contract.js';

function readAll(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => {
    const out: FileSystemEntry[] = [];
    const next = () =>
      reader.readEntries((batch) => {
        if (!batch.length) return resolve(out);
        out.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, prefix: string, out: Dropped<File>[]): Promise<void> {
  const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
    out.push({ file, relativePath: rel });
  } else if (entry.isDirectory) {
    for (const child of await readAll((entry as FileSystemDirectoryEntry).createReader())) await walk(child, rel, out);
  }
}

/**
 * Collect the dropped items. Must be called synchronously from the drop handler (a
 * DataTransfer is emptied once the event returns); the walk itself is asynchronous.
 */
export function collectDropped(dt: DataTransfer, topLevelOnly: boolean): Promise<Dropped<File>[]> {
  if (topLevelOnly) return Promise.resolve(Array.from(dt.files, (file) => ({ file, relativePath: file.name })));
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(dt.items)) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const f = item.getAsFile();
      if (f) loose.push(f);
    }
  }
  if (!entries.length && !loose.length) loose.push(...Array.from(dt.files));
  return (async () => {
    const out: Dropped<File>[] = loose.map((file) => ({ file, relativePath: file.name }));
    for (const e of entries) await walk(e, '', out);
    return out;
  })();
}
