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
import { closeSync, existsSync, fdatasync, fdatasyncSync, fstatSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { JobSpec } from '../common/job.js';
import { Errors } from './errors.js';
import { JOURNAL_NAME, JOURNAL_VERSION, parseJournalAsync, type JournalRecord, type ParsedJournal } from './journal-format.js';
import { OutputLock } from './lock.js';
import { PathSet } from './string-set.js';

export { JOURNAL_NAME } from './journal-format.js';

type Record = Exclude<JournalRecord, { t: 'batch' }> | { t: 'batch'; v: typeof JOURNAL_VERSION; batchId: string; spec: JobSpec; at: string };

export interface JournalState {
  spec: JobSpec;
  batchIds: string[];
  /** Inputs of every committed file whose output exists with its recorded size (compact: 100 000 of them fit in a few MB). */
  done: PathSet;
  /** Every output a commit wrote whole, those of `done` among them (the planner claims them all, taking the set over). */
  outputs: PathSet;
  /** input -> planned output of every input an earlier run started and did not finish (resume keeps the names). */
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
   * starts it afresh (only once {@link checkUnfinished} allowed it; its outputs are protected by
   * the collision policy instead).
   */
  static open(outputDir: string, batchId: string, spec: JobSpec, resume: boolean): Journal {
    const j = new Journal(join(outputDir, JOURNAL_NAME), resume);
    j.write({ t: 'batch', v: JOURNAL_VERSION, batchId, spec, at: new Date().toISOString() });
    return j;
  }

  start(input: string, tmp: string, output: string): void {
    this.write({ t: 'start', i: input, tmp, o: output });
  }
  commit(input: string, tmp: string, output: string, bytes: number): void {
    this.write({ t: 'commit', i: input, tmp, o: output, bytes });
    // Commits are what resume trusts: push them to the disk every so often (power loss), off
    // the engine's thread (a synchronous fdatasync held it ~25 ms, the next file's start with it;
    // a killed process loses nothing either way: each record is already one write(2)).
    if (++this.sinceSync >= 64) this.syncSoon();
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
  private syncSoon(): void {
    this.sinceSync = 0;
    fdatasync(this.fd, () => undefined); // best effort, as sync(); close() syncs again
  }
  private write(r: Record): void {
    writeSync(this.fd, JSON.stringify(r) + '\n');
  }
}

/** Check the journal of `outputDir`, visiting its records (see journal-format.ts), without holding the event loop; null when there is none. */
async function readJournal(outputDir: string, visit: (r: JournalRecord) => void = () => undefined): Promise<ParsedJournal | null> {
  if (!existsSync(join(outputDir, JOURNAL_NAME))) return null;
  return parseJournalAsync(outputDir, visit);
}

/**
 * Read the journal in `outputDir` and repair the output folder, holding its lock: roll
 * committed temporary files forward, delete uncommitted ones. Only paths the journal may
 * touch are touched (see journal-format.ts); a journal that names any other is refused whole.
 *
 * One read, in pieces that let the event loop run between them (the engine answers requests
 * meanwhile): every line is checked and the state gathered with looks only (stat); the folder
 * is repaired once the whole journal passed, so a bad line anywhere refuses it before anything
 * is touched. Nothing per file is held but the answer (and the few files a kill interrupted).
 *
 * @param signal stops the reading before anything is touched (rejects with its reason)
 * @example
 * const state = await recoverJournal('/out'); // state.done.has('/in/a.jpg')
 */
export async function recoverJournal(outputDir: string, signal?: AbortSignal): Promise<JournalState> {
  if (!existsSync(join(outputDir, JOURNAL_NAME))) throw Errors.noJournal(outputDir);
  const lock = OutputLock.acquire(outputDir);
  try {
    const started = new Map<string, string>(); // tmp -> input, until its commit
    const planned = new Map<string, string>();
    const committed: Array<[tmp: string, output: string]> = []; // temporary files committed, not yet renamed
    let sets: { done: PathSet; outputs: PathSet } | undefined;
    const j = await parseJournalAsync(
      outputDir,
      (r, spec) => {
        if (r.t === 'start') {
          started.set(r.tmp, r.i);
          if (r.o) planned.set(r.i, r.o);
        } else if (r.t === 'commit') {
          const { done, outputs } = (sets ??= stateSets(spec));
          // The last commit of an input decides: done when its output is there, whole (a
          // temporary file still there becomes the output once renamed, after the read).
          started.delete(r.tmp);
          planned.delete(r.i);
          done.delete(r.i);
          const tmp = statSync(r.tmp, { throwIfNoEntry: false });
          if (tmp) committed.push([r.tmp, r.o]);
          const size = tmp ? tmp.size : (statSync(r.o, { throwIfNoEntry: false })?.size ?? -1);
          if (size === r.bytes) {
            done.add(r.i);
            outputs.add(r.o);
          } else planned.set(r.i, r.o); // redone under the name it had
        }
      },
      signal,
    );
    for (const [tmp, output] of committed) rollForward(tmp, output);
    for (const tmp of started.keys()) rmSync(tmp, { force: true });
    const { done, outputs } = sets ?? stateSets(j.spec);
    return { spec: j.spec, batchIds: j.batchIds, done, outputs, planned, finished: j.finished };
  } finally {
    lock.release();
  }
}

/** The sets of a recovered job (beside-input: outputs sit by the inputs). */
const stateSets = (spec: JobSpec) => ({ done: new PathSet(spec.inputs[0] ?? sep), outputs: new PathSet(spec.besideInput ? (spec.inputs[0] ?? sep) : spec.output) });

/** Rename a committed temporary file into place; one already renamed (gone) is fine. */
function rollForward(tmp: string, output: string): void {
  try {
    renameSync(tmp, output);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

/**
 * Before a new batch writes into `outputDir` (whose lock the caller holds): an unfinished
 * batch's journal is never replaced unless `fresh`, and then its temporary files are removed
 * first (outputs it finished stay). Rejects with EngineError `unfinished-batch`; a journal that
 * cannot be read counts as unfinished. Reads in pieces, as recovery does (the event loop turns).
 *
 * @example
 * OutputLock.acquire(out); await checkUnfinished(out, spec.fresh); Journal.open(out, id, spec, false);
 */
export async function checkUnfinished(outputDir: string, fresh: boolean): Promise<void> {
  let j: ParsedJournal | null;
  try {
    j = await readJournal(outputDir);
  } catch {
    if (!fresh) throw Errors.unfinishedBatch(outputDir);
    return; // unreadable: no path in it can be trusted to delete
  }
  if (!j || j.finished) return;
  if (!fresh) throw Errors.unfinishedBatch(outputDir);
  // read again, now that it is known to be valid whole, removing as it goes (nothing kept per file)
  await readJournal(outputDir, (r) => r.t === 'start' && rmSync(r.tmp, { force: true }));
}
