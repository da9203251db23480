/**
 * One batch: scan -> plan -> pool -> journal -> events (the dispatcher; its counters, commit
 * protocol, memory reading and task building are in batch/). The scan feeds the pool as it goes
 * (producer/consumer); at most `workers` tasks run and `workers` more wait ahead of them
 * (batch/ahead.ts), so memory does not grow with the number of files. The pool size changes live; pause stops dispatching; cancel aborts.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { BatchState, BatchTotals, EngineEvent } from '../common/events.js';
import { FAILURE_TEXT, type FailureCode, type SkipCode } from '../common/failures.js';
import type { JobSpec } from '../common/job.js';
import type { NatsOptions } from '../common/remote-task.js';
import type { ConvertTask } from '../common/task.js';
import { classify } from '../common/classify.js';
import { AheadQueue, runTask } from './batch/ahead.js';
import { commitOutput } from './batch/commit.js';
import { Counters } from './batch/counters.js';
import { treeRss } from './batch/memory.js';
import { Coalescer } from './batch/resize.js';
import { convertTask } from './batch/task.js';
import { traceCpu, traceStartup, traceStartupOnce } from './batch/trace.js';
import { Errors } from './errors.js';
import { checkUnfinished, Journal, type JournalState } from './journal.js';
import { OutputLock } from './lock.js';
import { makeDirs } from './mkdirs.js';
import { probeCaseFolding } from './case-fold.js';
import { settleSizedName } from './batch/sized-name.js';
import { Planner, tmpPathFor, type PlannedOutput } from './plan.js';
import { createPool, releasePool, type TaskPool } from './pools/index.js';
import { readAhead } from './read-ahead.js';
import { jobSource, prepareSpec, type ListFeed } from './source.js';

/** Failures that concern the output, not the file: the batch stops (and can be resumed). */
const STOPS_BATCH: ReadonlySet<FailureCode> = new Set(['disk-full', 'output-unwritable', 'cluster-unreachable']);
/** Extra seconds the pool gives a task beyond sharp's own timeout before killing its worker. */
const KILL_GRACE_S = 5;
const PROGRESS_EVERY_MS = 200;
/** Scan entries kept ready ahead of the dispatcher. */
const SCAN_AHEAD = 16;

export interface BatchOptions {
  /** Receives every event, in order. */
  onEvent: (e: EngineEvent) => void;
  /** Aborting it cancels the batch (as {@link Batch.cancel}). */
  signal?: AbortSignal;
  /** State recovered from the journal when resuming. */
  resume?: JournalState;
  /** The client's names for a new job over a list (`spec.filesFrom`); on resume the spool is read. */
  list?: ListFeed;
  /** Run on remote workers through this NATS broker too (`--nats`). */ nats?: NatsOptions;
}

export class Batch {
  readonly id = randomUUID().slice(0, 8);
  readonly done: Promise<BatchTotals>;
  private readonly spec: JobSpec;
  private readonly emit: (e: EngineEvent) => void;
  private readonly abort = new AbortController();
  private pool!: TaskPool;
  /** Tasks handed over ahead of a free worker (batch/ahead.ts): at most `workers` wait there. */
  private ahead!: AheadQueue;
  private planner!: Planner;
  private journal!: Journal;
  private workers: number;
  private state: BatchState = 'scanning';
  private scanning = true;
  private paused = false;
  private stopped: { code: FailureCode; detail: string } | undefined;
  private wake: (() => void) | undefined;
  private seq = 0;
  private readonly abandoned = new Set<string>();
  /** RSS of the engine and its worker processes, refreshed with each progress tick. */
  private rssBytes = 0;
  private progressTimer: NodeJS.Timeout | undefined;
  private readonly c = new Counters();
  private readonly resizes = new Coalescer((n) => this.applyWorkers(n));
  /** Set once no file will be dispatched any more: later resizes are ignored. */
  private dispatchEnded = false;
  /** The pool was given back (closed, or kept for the next batch: no longer this batch's). */
  private released = false;

  /**
   * Start converting. Throws InvalidOptionsError when the output folder would touch an input.
   *
   * @example
   * const b = new Batch(parseOrThrow(JobSpecSchema, { inputs: ['in'], output: 'out' }), { onEvent: console.log });
   * b.setWorkers(4); const totals = await b.done;
   */
  constructor(spec: JobSpec, private readonly options: BatchOptions) {
    this.spec = prepareSpec(spec);
    this.emit = options.onEvent;
    this.workers = spec.workers ?? availableParallelism();
    if (this.workers === 0 && !options.nats) throw Errors.noWorkers();
    options.signal?.addEventListener('abort', () => this.cancel(), { once: true });
    this.done = this.run();
  }

  /**
   * Change the number of workers, in place; running tasks finish where they are. Requests are
   * coalesced (the latest of a burst is applied, see batch/resize.ts); ignored once dispatching
   * has ended.
   */
  setWorkers(n: number): void {
    if (!this.dispatchEnded) this.resizes.request(n);
  }

  /** Threads or processes the pool has alive now (diagnostics and tests). */
  get alive(): number {
    return this.released ? 0 : (this.pool?.alive ?? 0);
  }

  private applyWorkers(n: number): void {
    if (n === this.workers || this.dispatchEnded) return;
    const previous = this.workers;
    this.workers = n;
    this.pool?.resize(n);
    this.emit({ type: 'pool', workers: n, previous, elapsedMs: this.c.elapsed() });
    this.wakeUp();
  }

  /** Stop starting new files; running ones finish. */
  pause(): void {
    if (this.paused || this.state === 'done' || this.state === 'cancelling') return;
    this.paused = true;
    this.setState('paused');
  }

  /** Continue after {@link pause}. */
  continue(): void {
    if (!this.paused) return;
    this.paused = false;
    this.setState(this.scanning ? 'scanning' : 'running');
    this.wakeUp();
  }

  /**
   * Start no more files; running ones finish (their workers are ended after
   * CANCEL_GRACE_MS, batch/ahead.ts) and their outputs are thrown away, temporary files removed.
   */
  cancel(): void {
    if (this.abort.signal.aborted || this.state === 'done') return;
    this.abort.abort();
    this.setState('cancelling');
    this.wakeUp();
  }

  private async run(): Promise<BatchTotals> {
    const { spec } = this;
    const cpuReport = traceCpu();
    try {
      makeDirs(spec.output);
    } catch (err) {
      throw Errors.outputFolder(spec.output, (err as Error).message);
    }
    const lock = OutputLock.acquire(spec.output); // one batch per output folder
    try {
      if (!this.options.resume) await checkUnfinished(spec.output, spec.fresh);
      this.journal = Journal.open(spec.output, this.id, spec, !!this.options.resume);
      const nats = this.options.nats && { nats: this.options.nats, localOnly: !!spec.ops.watermark?.image, batchId: this.id, inputs: spec.inputs, previousBatchIds: this.options.resume?.batchIds ?? [], cancel: this.abort.signal, onEvent: this.emit };
      // the NATS client is loaded only for a batch that uses it (start-up: ~400 KB of modules)
      this.pool = nats ? await (await import('./pools/nats.js')).NatsPool.open({ ...nats, localWorkers: this.workers, makeLocal: (n) => createPool(spec.model, n) }) : createPool(spec.model, this.workers);
    } catch (err) {
      lock.release();
      throw err;
    }
    traceStartup('batch', 'journal open, pool ready to take tasks');
    this.emit({ type: 'batch-start', batchId: this.id, spec, workers: this.workers, cores: availableParallelism(), resumed: !!this.options.resume });
    this.ahead = new AheadQueue(this.pool, () => this.canStart());
    this.rssBytes = treeRss(this.spec.model === 'processes');
    this.progressTimer = setInterval(() => this.progress(), PROGRESS_EVERY_MS);
    const planner = (this.planner = new Planner(spec, { foldsCase: probeCaseFolding(spec.output), earlier: this.options.resume }));
    const inFlight = new Set<Promise<void>>();
    let images = 0; // scan position of each image, for {counter}: done-before ones count too
    try {
      for await (const entry of readAhead(jobSource(spec, this.options.list, this.abort.signal), SCAN_AHEAD)) {
        if (this.abort.signal.aborted || this.stopped) break;
        const seq = entry.kind === 'image' ? images++ : 0;
        traceStartupOnce('batch', 'first entry scanned');
        const { image: item, event } = this.c.admit(entry, this.options.resume?.done);
        if (event) this.emit(event);
        if (!item) continue;
        const planned = await planner.plan({ ...item, seq });
        if (!planned) {
          this.c.total--; // not work to do: progress still ends at 100%
          this.skip(item.path, 'output-exists');
          continue;
        }
        if (!(await this.slot())) {
          planner.release(planned.output);
          break;
        }
        const task = convertTask(spec, item, planned, tmpPathFor(planned.output, this.id, ++this.seq));
        const p = this.dispatch(item.path, planned, task).finally(() => {
          inFlight.delete(p);
          this.wakeUp();
        });
        inFlight.add(p);
      }
      this.scanning = false;
      this.emit(this.c.scanEvent(true));
      if (this.state === 'scanning') this.setState('running');
      await Promise.all(inFlight);
      cpuReport(this.c.done - this.c.doneBefore); // before the pool closes: its threads' CPU is counted
    } finally {
      clearInterval(this.progressTimer);
      this.dispatchEnded = true;
      this.resizes.cancel();
      await releasePool(this.pool); // a thread pool waits for the next batch
      this.released = true;
      await Promise.all([...this.abandoned].map((tmp) => fs.rm(tmp, { force: true })));
      try {
        this.journal.end(this.abort.signal.aborted || !!this.stopped);
        this.journal.close();
      } catch {
        /* the output folder is gone or full: the stop reason already says so */
      }
      lock.release();
    }
    const totals = this.c.totals();
    this.progress();
    this.setState('done');
    const stopped = this.stopped && { code: this.stopped.code, ...FAILURE_TEXT[this.stopped.code], detail: this.stopped.detail };
    this.emit({ type: 'done', cancelled: this.abort.signal.aborted, stopped, output: spec.output, totals });
    return totals;
  }

  /** Wait until fewer than `workers` tasks wait ahead (starting is {@link canStart}'s call); false: stop. */
  private async slot(): Promise<boolean> {
    for (;;) {
      if (this.abort.signal.aborted || this.stopped) return false;
      if (this.ahead.queued < Math.max(1, this.workers)) return true;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  /** Whether one more file may start now: not paused or stopping, under the memory ceiling, a worker free. */
  private canStart(): boolean {
    if (this.paused || this.abort.signal.aborted || this.stopped) return false;
    const running = this.ahead.running; // the pool's own count can lag (async model)
    const overMemory = running > 0 && this.rssBytes > this.spec.limits.maxMemoryMiB * 1048576;
    return !overMemory && running < this.workers + (this.pool.extra ?? 0);
  }

  /** Something changed (a file ended, a resize, continue, the memory reading): start what may start, hand over more. */
  private wakeUp(): void {
    this.ahead?.pump();
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async dispatch(input: string, planned: PlannedOutput, task: ConvertTask): Promise<void> {
    try {
      // journaled when handed over, before any worker can write the temporary file
      this.journal.start(input, task.tmp, planned.output);
    } catch (err) {
      return this.failAndMaybeStop(input, classify(err, 'write', this.journal.path), `cannot write the journal: ${(err as Error).message}`);
    }
    const onStart = (lane: number) => (traceStartupOnce('batch', 'first file started', ` (${input})`), this.emit({ type: 'file-start', input, worker: lane }));
    const ran = await runTask(this.ahead, task, this.abort.signal, task.limits.timeoutSeconds + KILL_GRACE_S, onStart, this.abandoned);
    this.wakeUp(); // hand over the next file while this one is committed
    if (!ran) return; // never started, or cancelled: journaled as started, a resume redoes it
    let result = ran.result;
    // {width}/{height} in the name are filled in now (batch/sized-name.ts); other names stay
    const settled = result.ok ? await settleSizedName(this.planner, this.journal, input, planned, task.tmp, result, (o) => tmpPathFor(o, this.id, ++this.seq)).catch((err: Error) => err) : { planned, tmp: task.tmp };
    if (settled instanceof Error) return this.failAndMaybeStop(input, classify(settled, 'write', planned.output), settled.message, ran.lane);
    if (!settled) return (this.c.total--, this.skip(input, 'output-exists')); // as when planning
    const { output, renamed } = settled.planned;
    result = await commitOutput(this.journal, input, settled.tmp, output, result, this.spec.output);
    if (!result.ok) return this.failAndMaybeStop(input, result.code, result.detail, ran.lane);
    this.emit(this.c.fileDone(input, output, ran.lane, result, renamed));
  }

  /** A failed file; when the cause is the output (disk full, folder gone) the batch stops. */
  private failAndMaybeStop(input: string, code: FailureCode, detail: string, worker?: number): void {
    try {
      this.journal.fail(input, code);
    } catch {
      /* the journal shares the output's fate: the stop below says why */
    }
    this.emit(this.c.failedEvent(input, code, detail, worker));
    if (STOPS_BATCH.has(code) && !this.stopped) {
      this.stopped = { code, detail };
      this.ahead.dropAll(); // files handed over but not started never start
      this.wakeUp();
    }
  }

  private skip(input: string, code: SkipCode): void {
    this.emit(this.c.skippedEvent(input, code));
  }

  private setState(state: BatchState): void {
    if (state === this.state) return;
    this.state = state;
    this.emit({ type: 'state', state });
  }

  private progress(): void {
    this.rssBytes = treeRss(this.spec.model === 'processes');
    this.wakeUp(); // the memory ceiling may have cleared
    if (this.scanning) this.emit(this.c.scanEvent(false));
    this.emit(this.c.progressEvent({ running: this.pool.running, scanning: this.scanning, workers: this.workers, state: this.state }));
  }
}
