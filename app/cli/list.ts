/**
 * `--files-from`: the names of a list (a file, or `-` for stdin), newline- or NUL-separated,
 * read only as fast as the engine takes them, so a list of a million names costs no more
 * memory than one of a thousand.
 */
import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import type { Precount } from './progress.js';

/** Names sent to the engine per `list` command. */
export const CHUNK = 512;

/** The stream a `--files-from` value names (`-`: stdin). */
export const listStream = (from: string): Readable => (from === '-' ? process.stdin : createReadStream(from));

/**
 * Split `input` into names (a trailing `\r` is dropped from newline-separated names; empty
 * names are skipped), made absolute against the current folder, in chunks of `size`.
 * `onCount` hears the running count, and `done: true` at the end.
 *
 * @example
 * for await (const names of nameChunks(process.stdin, '\0')) engine.send({ type: 'list', names, end: false });
 */
export async function* nameChunks(input: Readable, sep: '\n' | '\0', size = CHUNK, onCount?: (p: Precount) => void): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  let chunk: string[] = [];
  let count = 0;
  const add = (raw: string) => {
    const name = sep === '\n' && raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!name) return;
    chunk.push(resolve(name));
    count++;
  };
  try {
    for await (const buf of input) {
      const parts = (rest + decoder.write(buf as Buffer)).split(sep);
      rest = parts.pop()!;
      for (const part of parts) {
        add(part);
        if (chunk.length >= size) {
          onCount?.({ images: count, done: false });
          yield chunk;
          chunk = [];
        }
      }
    }
    add(rest + decoder.end());
    onCount?.({ images: count, done: true });
    if (chunk.length) yield chunk;
  } finally {
    if (input !== process.stdin) input.destroy();
  }
}

/**
 * Count the names of a list file without keeping them (the pre-count of `--files-from FILE`).
 *
 * @example
 * const n = await countNames('list.txt', '\n');
 */
export async function countNames(file: string, sep: '\n' | '\0'): Promise<number> {
  let n = 0;
  for await (const names of nameChunks(createReadStream(file), sep, 4096)) n += names.length;
  return n;
}
