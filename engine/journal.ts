/**
 * The batch journal: an append-only NDJSON file in the output folder, written with one
 * write(2) per record so that a batch killed at any moment (kill -9) can be resumed.
 *
 * Exactly-once protocol per file:
 *   1. `start`  {input, tmp, output}  before the worker writes the temporary file (the planned
 *                                     output is kept so a resume gives the input the same name)
 *   2. `commit` {input, tmp, output}  after the temporary file is complete
 *   3. rename(tmp, output)
 * On resume: a commit whose tmp still exists is rolled forward (renamed), a start without a
 * commit has its tmp removed, and every committed input whose output is there is not redone.
 */
import { closeSync, existsSync, fdatasyncSync, fstatSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { JobSpec } from '../common/job.js';
import { Errors } from './errors.js';

export const JOURNAL_NAME = '.photopool-journal.ndjson';

type Record =
  | { t: 'batch'; v: 1; batchId: string; spec: JobSpec; at: string }
  | { t: 'start'; i: string; tmp: string; o?: string }
  | { t: 'commit'; i: string; tmp: string; o: string; bytes: number }
  | { t: 'fail'; i: string; code: string }
  | { t: 'end'; at: string; cancelled: boolean };

export interface JournalState {
  spec: JobSpec;
  batchIds: string[];
  /** input -> output of every committed file whose output exists with its recorded size. */
  done: Map<string, string>;
  /** input -> planned output of every input an earlier run started (resume keeps the names). */
  planned: Map<string, string>;
  /** True when the last run reached its end (not killed, not cancelled). */
  finished: boolean;
}

export class Journal {
  private fd: number;
  private sinceSync = 0;

  private constructor(
    readonly path: string,
    append: boolean,
  ) {
    this.fd = openSync(path, append ? 'a' : 'w');
  }

  /**
   * Open the journal of `outputDir` and record a run: a resumed run appends to it, a new batch
   * starts it afresh (its outputs are protected by the collision policy instead).
   */
  static open(outputDir: string, batchId: string, spec: JobSpec, resume: boolean): Journal {
    const j = new Journal(join(outputDir, JOURNAL_NAME), resume);
    j.write({ t: 'batch', v: 1, batchId, spec, at: new Date().toISOString() });
    return j;
  }

  start(input: string, tmp: string, output: string): void {
    this.write({ t: 'start', i: input, tmp, o: output });
  }
  commit(input: string, tmp: string, output: string, bytes: number): void {
    this.write({ t: 'commit', i: input, tmp, o: output, bytes });
    // Commits are what resume trusts: push them to the disk every so often (power loss).
    if (++this.sinceSync >= 64) this.sync();
  }
  fail(input: string, code: string): void {
    this.write({ t: 'fail', i: input, code });
  }
  end(cancelled: boolean): void {
    this.write({ t: 'end', at: new Date().toISOString(), cancelled });
    this.sync();
  }
  /** True when the journal file was deleted (with its output folder) while open. */
  gone(): boolean {
    try {
      return fstatSync(this.fd).nlink === 0;
    } catch {
      return true;
    }
  }

  close(): void {
    if (this.fd < 0) return;
    this.sync();
    closeSync(this.fd);
    this.fd = -1;
  }

  private sync(): void {
    this.sinceSync = 0;
    try {
      fdatasyncSync(this.fd);
    } catch {
      /* best effort: the write(2) already survives a killed process */
    }
  }
  private write(r: Record): void {
    writeSync(this.fd, JSON.stringify(r) + '\n');
  }
}

/**
 * Read the journal in `outputDir` and repair the output folder: roll committed temporary
 * files forward, delete uncommitted ones.
 *
 * @example
 * const state = recoverJournal('/out'); // state.done.has('/in/a.jpg')
 */
export function recoverJournal(outputDir: string): JournalState {
  const path = join(outputDir, JOURNAL_NAME);
  if (!existsSync(path)) throw Errors.noJournal(outputDir);
  const lines = readFileSync(path, 'utf8').split('\n');
  let spec: JobSpec | null = null;
  const batchIds: string[] = [];
  const started = new Map<string, string>();
  const committed = new Map<string, { tmp: string; o: string; bytes: number }>();
  const planned = new Map<string, string>();
  let finished = false;
  for (const [n, line] of lines.entries()) {
    if (!line) continue;
    let r: Record;
    try {
      r = JSON.parse(line) as Record;
    } catch {
      if (n === lines.length - 1 || (n === lines.length - 2 && lines.at(-1) === '')) continue; // torn last line
      throw Errors.badJournal(path, `line ${n + 1} is not JSON`);
    }
    switch (r.t) {
      case 'batch':
        spec ??= r.spec;
        batchIds.push(r.batchId);
        finished = false;
        break;
      case 'start':
        started.set(r.tmp, r.i);
        if (r.o) planned.set(r.i, r.o);
        break;
      case 'commit':
        committed.set(r.i, { tmp: r.tmp, o: r.o, bytes: r.bytes });
        started.delete(r.tmp);
        break;
      case 'end':
        finished = !r.cancelled;
        break;
    }
  }
  if (!spec) throw Errors.badJournal(path, 'no batch record');
  for (const tmp of started.keys()) rmSync(tmp, { force: true });
  const done = new Map<string, string>();
  for (const [input, c] of committed) {
    if (existsSync(c.tmp)) renameSync(c.tmp, c.o);
    const size = existsSync(c.o) ? statSync(c.o).size : -1;
    if (size === c.bytes) done.set(input, c.o);
  }
  return { spec, batchIds, done, planned, finished };
}
