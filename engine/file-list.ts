/**
 * Jobs over a list of files (CLI `--files-from`). The client streams the names (absolute paths)
 * in `list` commands, each time the engine asks with `list-wanted`, so a list of a million names
 * costs no more memory than one of a thousand. A batch spools the list into its output folder as
 * it arrives (list-spool.ts), so `resume` has it even when it was read from a pipe.
 *
 * Outputs are named by the file's folder relative to the job's base folder; a file outside the
 * base is refused (`outside-base`), a file inside the output folder skipped (`in-output`), a
 * folder refused (the list names files).
 */
import { promises as fs } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { classify } from '../common/classify.js';
import { classifyFile, HeadReader, type ScanEntry } from './scan.js';

/**
 * The names a client streams. {@link take} hands over what has arrived and asks the client for
 * the next chunk at once, so at most two chunks (~1 000 names) are held however long the list.
 *
 * @example
 * const feed = new ListFeed(() => send({ type: 'list-wanted' }));
 * onCommand((c) => c.type === 'list' && feed.push(c.names, c.end));
 */
export class ListFeed implements AsyncIterable<string> {
  private queue: string[] = [];
  private ended = false;
  private asked = false;
  private wake: (() => void) | undefined;

  constructor(private readonly want: () => void) {}

  /** Names from a `list` command. */
  push(names: string[], end: boolean): void {
    this.queue = this.queue.length ? this.queue.concat(names) : names;
    this.ended ||= end;
    this.asked = false;
    this.wakeUp();
  }

  /** End the list now (the job was cancelled). */
  close(): void {
    this.ended = true;
    this.queue = [];
    this.wakeUp();
  }

  /** The names that have arrived (waiting for some), or null once the list is over. */
  async take(): Promise<string[] | null> {
    for (;;) {
      if (!this.ended && !this.asked) {
        this.asked = true;
        this.want();
      }
      if (this.queue.length) {
        const names = this.queue;
        this.queue = [];
        return names;
      }
      if (this.ended) return null;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<string> {
    for (let names = await this.take(); names; names = await this.take()) yield* names;
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/**
 * What a listed path is, relative to the job's `base` and `output` folders.
 *
 * @param reader reads the file's head (default: a new one; listEntries passes one for the list)
 * @example
 * await listEntry('/photos/a/b.jpg', '/photos', '/out') // { kind: 'image', relDir: 'a', ... }
 */
export async function listEntry(path: string, base: string, output: string, reader = new HeadReader()): Promise<ScanEntry> {
  if (path === output || path.startsWith(output + sep)) return { kind: 'skip', path, code: 'in-output' };
  const rel = relative(base, path);
  if (rel === '' || rel.startsWith('..' + sep) || rel === '..' || isAbsolute(rel)) {
    return { kind: 'fail', path, code: 'outside-base', detail: `not inside ${base}` };
  }
  let st;
  try {
    st = await fs.lstat(path);
  } catch (err) {
    return { kind: 'fail', path, code: classify(err, 'read', path), detail: (err as Error).message };
  }
  if (st.isDirectory()) return { kind: 'fail', path, code: 'not-a-regular-file', detail: 'a folder: the list names files (list a folder\'s files with "find DIR -type f")' };
  const relDir = dirname(rel);
  return classifyFile(path, st, 0, relDir === '.' ? '' : relDir.split(sep).join('/'), reader);
}

/**
 * Scan entries for the listed names, in list order (empty names are ignored; relative names
 * are taken relative to `base`).
 *
 * @param signal stops taking names once aborted (the feed's close wakes a pending read)
 * @example
 * for await (const e of listEntries(feed, '/photos', '/out')) ...
 */
export async function* listEntries(names: AsyncIterable<string>, base: string, output: string, signal?: AbortSignal): AsyncGenerator<ScanEntry> {
  // No Promise.race with a pending abort promise here: each race would leave a reaction on it,
  // one per name. A cancel closes the feed (engine/host.ts), which ends a pending read.
  const it = names[Symbol.asyncIterator]();
  const reader = new HeadReader();
  try {
    for (;;) {
      const next = await it.next();
      if (next.done || signal?.aborted) break;
      if (next.value) yield await listEntry(resolve(base, next.value), base, output, reader);
    }
  } finally {
    void it.return?.();
  }
}
