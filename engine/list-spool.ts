/**
 * The list of a `--files-from` batch, spooled into its output folder as it arrives
 * (`.photopool-list.ndjson`: one JSON string per name, then `{"end":N}` once the list is
 * over). The engine asks the client for the next names as soon as it has written the last ones,
 * so a list piped from `find` is on disk within moments, whatever the conversion's pace; the
 * conversion reads the spool behind the writer. The journal's batch record (`spec.filesFrom`)
 * says the batch has a list, and `resume` reads the spool again. Memory stays flat: the spool is
 * read in 64 KiB pieces, never whole.
 */
import { closeSync, createReadStream, existsSync, openSync, promises as fs, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { StringDecoder } from 'node:string_decoder';
import type { ListFeed } from './file-list.js';

export const LIST_NAME = '.photopool-list.ndjson';
const READ_BYTES = 64 * 1024;

export class ListSpool {
  private fd = -1;
  private bytes = 0;
  private ended = false;
  private wake: (() => void) | undefined;

  private constructor(readonly path: string) {}

  /**
   * Spool `feed` into `outputDir` (a new batch; an older spool there is replaced); the writing
   * goes on in the background until the list ends or `signal` aborts.
   *
   * @example
   * const spool = ListSpool.fill('/out', feed, abort.signal); for await (const name of spool.names()) ...
   */
  static fill(outputDir: string, feed: ListFeed, signal: AbortSignal): ListSpool {
    const s = new ListSpool(join(outputDir, LIST_NAME));
    s.fd = openSync(s.path, 'w');
    void s.pump(feed, signal);
    return s;
  }

  /** The spool an earlier run of the batch in `outputDir` wrote (resume): read as it is. */
  static reopen(outputDir: string): ListSpool {
    const s = new ListSpool(join(outputDir, LIST_NAME));
    s.ended = true;
    s.bytes = existsSync(s.path) ? statSync(s.path).size : 0;
    return s;
  }

  private async pump(feed: ListFeed, signal: AbortSignal): Promise<void> {
    let count = 0;
    try {
      for (let names = await feed.take(); names && !signal.aborted; names = await feed.take()) {
        if (!names.length) continue;
        const text = names.map((n) => JSON.stringify(n)).join('\n') + '\n';
        this.bytes += writeSync(this.fd, text);
        count += names.length;
        this.wakeUp();
      }
      if (!signal.aborted) this.bytes += writeSync(this.fd, `{"end":${count}}\n`);
    } catch {
      /* the output disk is full or gone: the batch stops on its next write and says why */
    } finally {
      closeSync(this.fd);
      this.ended = true;
      this.wakeUp();
    }
  }

  /**
   * The names in list order, following the writer until the list ends.
   *
   * @example
   * for await (const name of spool.names()) console.log(name);
   */
  async *names(): AsyncGenerator<string> {
    if (!existsSync(this.path)) return;
    const fh = await fs.open(this.path, 'r');
    const decoder = new StringDecoder('utf8');
    const buf = Buffer.alloc(READ_BYTES);
    let pos = 0;
    let rest = '';
    try {
      for (;;) {
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) {
          if (pos < this.bytes) continue; // written after that read began: read again
          if (this.ended) return;
          await new Promise<void>((r) => (this.wake = r));
          continue;
        }
        pos += bytesRead;
        const lines = (rest + decoder.write(buf.subarray(0, bytesRead))).split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          if (line.startsWith('"')) yield JSON.parse(line) as string;
          else if (line.startsWith('{"end"')) return;
        }
      }
    } finally {
      await fh.close();
    }
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}

/**
 * How much of its list a batch's spool holds: `ended` when the whole list was received (the
 * CLI's pre-count on resume, and its notice when a list was cut short).
 *
 * @example
 * await spoolState('/out') // { names: 1200, ended: true }
 */
export async function spoolState(outputDir: string): Promise<{ names: number; ended: boolean }> {
  let names = 0;
  let ended = false;
  const path = join(outputDir, LIST_NAME);
  if (!existsSync(path)) return { names, ended };
  for await (const line of createInterface({ input: createReadStream(path), crlfDelay: Infinity })) {
    if (line.startsWith('"')) names++;
    else if (line.startsWith('{"end"')) ended = true;
  }
  return { names, ended };
}
