/**
 * The journal file's format and how it is read back: every line a record checked against a
 * schema, the job spec checked against the job schema, and every path it names checked to be
 * the journal's own (inside the output folder, temporary files named as this engine names
 * them, for one of the journal's batches). A journal that fails is refused as a whole, naming
 * the line: recovery then touches nothing.
 */
import { realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { z } from 'zod';
import { JobSpecSchema, type JobSpec } from '../common/job.js';
import { Errors } from './errors.js';
import { TMP_MARK } from './plan.js';

export const JOURNAL_NAME = '.photopool-journal.ndjson';
/** The journal version this engine writes and reads. */
export const JOURNAL_VERSION = 1;

const Str = z.string().min(1).max(8192);
export const RecordSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('batch'), v: z.number(), batchId: z.string().regex(/^[A-Za-z0-9]{1,64}$/), spec: z.unknown(), at: z.string() }),
  z.object({ t: z.literal('start'), i: Str, tmp: Str, o: Str.optional() }),
  z.object({ t: z.literal('commit'), i: Str, tmp: Str, o: Str, bytes: z.number().int().min(0) }),
  z.object({ t: z.literal('fail'), i: Str, code: z.string() }),
  z.object({ t: z.literal('end'), at: z.string(), cancelled: z.boolean() }),
]);
export type JournalRecord = z.infer<typeof RecordSchema>;

export interface ParsedJournal {
  path: string;
  spec: JobSpec;
  batchIds: string[];
  /** The last run reached its end (not killed, not cancelled, not stopped). */
  finished: boolean;
}

/** Splits the text of a file read in pieces into lines; `last` is true for the final line. */
class Lines {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';
  private pending: string | null = null; // a complete line, held until we know whether it is the last
  private n = 0;

  constructor(private readonly fn: (line: string, n: number, last: boolean) => void) {}

  push(piece: Buffer): void {
    const lines = (this.rest + this.decoder.write(piece)).split('\n');
    this.rest = lines.pop()!;
    for (const line of lines) {
      if (this.pending !== null) this.fn(this.pending, this.n++, false);
      this.pending = line;
    }
  }

  end(): void {
    this.rest += this.decoder.end();
    if (this.pending !== null) this.fn(this.pending, this.n++, this.rest === '');
    if (this.rest) this.fn(this.rest, this.n, true);
  }
}

/** Bytes read at a time by {@link parseJournalAsync}: a few hundred records between two turns of the event loop. */
const ASYNC_PIECE = 64 * 1024;

/**
 * The lines of a file, read in pieces of {@link ASYNC_PIECE} bytes, each awaited: the event
 * loop runs between two pieces, and a journal of 100 000 files (tens of MB) is never held
 * whole. `signal` stops it between pieces (throws its reason).
 */
async function eachLineAsync(path: string, fn: (line: string, n: number, last: boolean) => void, signal?: AbortSignal): Promise<void> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(ASYNC_PIECE);
    const lines = new Lines(fn);
    for (let got; (got = (await fh.read(buf, 0, buf.length, null)).bytesRead) > 0; ) {
      signal?.throwIfAborted();
      lines.push(buf.subarray(0, got));
    }
    lines.end();
  } finally {
    await fh.close();
  }
}

/** Checks a journal's lines one by one (see {@link parseJournalAsync}). */
function checker(outputDir: string) {
  const out = resolve(outputDir);
  const path = join(out, JOURNAL_NAME);
  const bad = (n: number, why: string) => Errors.badJournal(path, `line ${n + 1} ${why}`);
  const batchIds: string[] = [];
  let spec: JobSpec | null = null;
  let finished = false;
  const own = ownPaths(out, batchIds, () => spec);
  return {
    path,
    /** The record of one line (null for an empty line or a last line torn by a kill); throws when it fails. */
    line(line: string, n: number, last: boolean): { rec: JournalRecord; spec: JobSpec } | null {
      if (!line) return null;
      let raw: unknown;
      try {
        raw = JSON.parse(line);
      } catch {
        if (last) return null; // torn by a kill in the middle of a write
        throw bad(n, 'is not JSON');
      }
      const r = RecordSchema.safeParse(raw);
      if (!r.success) throw bad(n, `is not a journal record (${r.error.issues[0]?.path.join('.') || 'record'}: ${r.error.issues[0]?.message})`);
      const rec = r.data;
      switch (rec.t) {
        case 'batch': {
          if (rec.v !== JOURNAL_VERSION) throw bad(n, `was written by another version of PhotoPool (journal version ${rec.v}; this one reads ${JOURNAL_VERSION})`);
          if (!spec) {
            const s = JobSpecSchema.safeParse(rec.spec);
            if (!s.success) throw bad(n, `holds a job this version does not accept (${s.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')})`);
            if (resolve(s.data.output) !== out) throw bad(n, `is the journal of another output folder (${s.data.output})`);
            spec = { ...s.data, fresh: false };
          }
          batchIds.push(rec.batchId);
          finished = false;
          break;
        }
        case 'start':
          if (!own.tmp(rec.tmp, rec.o)) throw bad(n, `names a temporary file that is not one of this journal's (${rec.tmp})`);
          break;
        case 'commit':
          if (!own.tmp(rec.tmp, rec.o)) throw bad(n, `names a file outside the output folder or not one of its temporary files (${rec.tmp} -> ${rec.o})`);
          break;
        case 'end':
          finished = !rec.cancelled;
          break;
      }
      if (!spec) throw bad(n, 'comes before any batch record');
      return { rec, spec };
    },
    /** The journal once every line passed. */
    result(): ParsedJournal {
      if (!spec) throw Errors.badJournal(path, 'no batch record');
      return { path, spec, batchIds, finished };
    },
  };
}

/** Visits a checked record, with the journal's (validated) job. */
export type RecordVisitor = (r: JournalRecord, spec: JobSpec) => void;

/**
 * Read and check the journal of `outputDir` (which must hold one), handing each record to
 * `visit` in order. Rejects with an EngineError naming the first line that fails: act on what
 * `visit` gathered only once this resolves. The journal is read in 64 KiB pieces, each awaited,
 * so an engine recovering a journal of 100 000 files still answers its requests. `signal`
 * stops the reading between two pieces (rejects with its reason).
 *
 * @example
 * const j = await parseJournalAsync('/out', (r) => r.t === 'commit' && n++, abort.signal);
 */
export async function parseJournalAsync(outputDir: string, visit: RecordVisitor, signal?: AbortSignal): Promise<ParsedJournal> {
  const c = checker(outputDir);
  await eachLineAsync(
    c.path,
    (line, n, last) => {
      const r = c.line(line, n, last);
      if (r) visit(r.rec, r.spec);
    },
    signal,
  );
  return c.result();
}

/** Whether `p` is a folder (an input root of a beside-input batch; a file's root is its folder). */
const isDirectory = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return true; // gone: its own path is the only root it can have had
  }
};

/** Folders whose real path is kept while a journal is read. */
const FOLDERS_KEPT = 64;

/**
 * Checks that a path is one the journal of `out` may touch: below `out`, or for a beside-input
 * batch (engine/beside-input.ts) below one of its input folders (the folder of an input file).
 */
function ownPaths(out: string, batchIds: readonly string[], spec: () => JobSpec | null) {
  let roots: Array<{ dir: string; real: string | null }> | null = null;
  const rootsOf = (s: JobSpec | null) =>
    (s?.besideInput ? s.inputs.map((i) => (isDirectory(i) ? i : dirname(i))) : [out]).map((dir) => ({ dir, real: null as string | null }));
  // The last folders seen (a journal names a folder's files one after another): real path,
  // and whether the path is normal already (resolving every path costs a string per segment).
  const folders = new Map<string, { real: string | null; normal: boolean }>();
  const folder = (dir: string) => {
    let f = folders.get(dir);
    if (f) return f;
    let real: string | null;
    try {
      real = realpathSync.native(dir);
    } catch {
      real = null;
    }
    f = { real, normal: resolve(dir) === dir };
    folders.set(dir, f);
    if (folders.size > FOLDERS_KEPT) folders.delete(folders.keys().next().value!);
    return f;
  };
  /** `resolve(p) === p`: a plain name in a normal folder, else resolved. */
  const normal = (p: string) => {
    const dir = dirname(p);
    const base = basename(p);
    return (base !== '.' && base !== '..' && p === dir + sep + base && folder(dir).normal) || resolve(p) === p;
  };
  const inside = (p: string) => {
    roots ??= rootsOf(spec());
    const root = roots.find((r) => p.startsWith(r.dir + sep));
    if (!isAbsolute(p) || !root || !normal(p)) return false;
    if (basename(p) === JOURNAL_NAME || dirname(p) === out && basename(p).startsWith('.photopool-lock')) return false;
    // a folder on the way may be a link to elsewhere: compare real paths where they exist
    root.real ??= folder(root.dir).real;
    const parent = folder(dirname(p)).real;
    if (root.real === null || parent === null) return true; // the folder is gone: nothing there to touch
    return parent === root.real || parent.startsWith(root.real + sep);
  };
  const TMP = new RegExp(`^\\.(.+)\\.([A-Za-z0-9]+)-\\d+${TMP_MARK.replace('.', '\\.')}$`);
  return {
    /** `tmp` is a temporary file of this journal's batches, inside the folder; beside its output `o` when given. */
    tmp(tmp: string, o?: string): boolean {
      const m = TMP.exec(basename(tmp));
      if (!m || !batchIds.includes(m[2]!) || !inside(tmp)) return false;
      return o === undefined || (inside(o) && dirname(o) === dirname(tmp) && basename(o) === m[1]);
    },
  };
}
