/**
 * Tasks handed to the batch ahead of a free worker, so that a worker never waits for the main
 * thread between two files: when a task ends, the next one waiting here is started in the same
 * turn of the event loop (in the settling of the finished task's promise), before the main
 * thread commits the finished file, journals it or reports it.
 *
 * A waiting task has not started: the `canStart` gate of the batch (not paused, not stopped,
 * under the memory ceiling, fewer running than workers) decides when it does, so pause, the
 * memory ceiling, lanes and `file-start` still count only files that really run. Its time
 * limit starts with it (`onStart` returns the signal it runs under).
 */
import { rm } from 'node:fs/promises';
import type { FailureCode } from '../../common/failures.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { abortError, type TaskPool } from '../pools/types.js';

/**
 * Called as a task starts, with its lane (the lowest free one: lanes count running tasks from
 * 0, a lane is free again as its task ends, before the next task starts); returns the signal
 * the task runs under (its time limit starts now).
 */
export type OnStart = (lane: number) => AbortSignal;

interface Waiting {
  task: ConvertTask;
  onStart: OnStart;
  resolve: (r: ConvertResult) => void;
  reject: (e: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

export class AheadQueue {
  private readonly waiting: Waiting[] = [];
  private readonly lanes = new Set<number>();
  /** Set by {@link dropAll}: nothing starts any more. */
  private closed = false;

  /**
   * @param pool where tasks run
   * @param canStart whether one more task may start now (checked before each start; count the
   *   running ones with {@link running}: a pool may count a task it was given only later)
   * @example
   * const ahead = new AheadQueue(pool, () => !paused && ahead.running < workers);
   * const result = await ahead.run(task, cancel.signal, (lane) => cancel.signal);
   */
  constructor(
    private readonly pool: TaskPool,
    private readonly canStart: () => boolean,
  ) {}

  /** Tasks started and not ended yet. */
  get running(): number {
    return this.lanes.size;
  }

  /** Tasks waiting for a worker (not started). */
  get queued(): number {
    return this.waiting.length;
  }

  /**
   * Run `task` as soon as the gate allows, in order. `signal` drops it while it waits (rejects
   * with an AbortError, `onStart` never called); see {@link OnStart}.
   */
  run(task: ConvertTask, signal: AbortSignal, onStart: OnStart): Promise<ConvertResult> {
    if (signal.aborted || this.closed) return Promise.reject(abortError());
    return new Promise<ConvertResult>((resolve, reject) => {
      const w: Waiting = { task, onStart, resolve, reject, signal, onAbort: () => this.drop(w) };
      signal.addEventListener('abort', w.onAbort, { once: true });
      this.waiting.push(w);
      this.pump();
    });
  }

  /** Start waiting tasks while the gate allows: call it whenever the gate may have opened. */
  pump(): void {
    while (this.waiting.length && this.canStart()) {
      const w = this.waiting.shift()!;
      w.signal.removeEventListener('abort', w.onAbort);
      let lane = 0;
      while (this.lanes.has(lane)) lane++;
      this.lanes.add(lane);
      const ended = () => {
        this.lanes.delete(lane);
        this.pump(); // the next task starts as this one settles, before its result goes on to the batch
      };
      let running: Promise<ConvertResult>;
      try {
        running = this.pool.run(w.task, w.onStart(lane));
      } catch (err) {
        running = Promise.reject(err);
      }
      running.then(
        (r) => (ended(), w.resolve(r)),
        (err: unknown) => (ended(), w.reject(err)),
      );
    }
  }

  /** Drop every waiting task and every later one (the batch stops): each rejects with an AbortError. */
  dropAll(): void {
    this.closed = true;
    for (const w of [...this.waiting]) this.drop(w);
  }

  private drop(w: Waiting): void {
    const i = this.waiting.indexOf(w);
    if (i < 0) return;
    this.waiting.splice(i, 1);
    w.signal.removeEventListener('abort', w.onAbort);
    w.reject(abortError());
  }
}

/**
 * How long a running file goes on after its batch is cancelled before its worker is ended
 * (5 s). Ending a worker thread while it is inside a native call can abort the whole process
 * (koffi throwing into a terminating thread: "FATAL ERROR: Error::ThrowAsJavaScriptException
 * napi_throw", seen once in about 25 cancels): so a cancel lets running files finish, throws
 * their outputs away, and ends a worker only when its file takes longer than this.
 */
export const CANCEL_GRACE_MS = 5000;

/** What {@link runTask} gives back: the worker's answer and the lane it ran in. */
export interface Ran {
  result: ConvertResult;
  lane: number;
}

/**
 * Run one task of a batch through `ahead`, under the batch's `cancel` signal and its time limit
 * (`timeoutSeconds`, counted from its start); `onStart(lane)` as it starts (the `file-start`
 * event). A worker that was terminated (time limit, crash) becomes a failure, its temporary
 * file removed (and added to `abandoned`, removed again once the pool is shut down: an fs
 * request it had in flight can still land after this rm). Null when the task never started or
 * the batch was cancelled (journaled as started, a resume redoes it): a running task then
 * finishes, or is ended after {@link CANCEL_GRACE_MS}, and its temporary file is removed.
 *
 * @example
 * const ran = await runTask(ahead, task, abort.signal, 65, (lane) => emit({ type: 'file-start', input, worker: lane }), abandoned);
 */
export async function runTask(ahead: AheadQueue, task: ConvertTask, cancel: AbortSignal, timeoutSeconds: number, onStart: (lane: number) => void, abandoned: Set<string>): Promise<Ran | null> {
  let lane = -1;
  let timedOut = false;
  // One controller per file, its timer and listener removed as it ends (AbortSignal.timeout and
  // .any would keep a timer and a signal per file alive for the whole time limit: garbage and
  // thousands of pending timers on a long batch).
  const own = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let grace: NodeJS.Timeout | undefined;
  const onCancel = () => (grace = setTimeout(() => own.abort(), CANCEL_GRACE_MS));
  const discard = async (): Promise<void> => {
    abandoned.add(task.tmp);
    await rm(task.tmp, { force: true });
  };
  try {
    const result = await ahead.run(task, cancel, (l) => {
      lane = l;
      onStart(l);
      cancel.addEventListener('abort', onCancel, { once: true });
      timer = setTimeout(() => ((timedOut = true), own.abort()), timeoutSeconds * 1000);
      return own.signal;
    });
    if (!cancel.aborted) return { result, lane };
    await discard();
    return null;
  } catch (err) {
    if (lane < 0) return null;
    await discard();
    if (cancel.aborted) return null;
    const code: FailureCode = timedOut ? 'timed-out' : 'worker-crashed';
    return { result: { ok: false, code, detail: (err as Error).message, ms: 0, threadId: -1 }, lane };
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    cancel.removeEventListener('abort', onCancel);
  }
}
