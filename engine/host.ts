/**
 * The engine process. Started by the CLI (child_process.fork), by browser mode, or by Electron
 * (utilityProcess.fork), always with UV_THREADPOOL_SIZE and MALLOC_ARENA_MAX=2 in its
 * environment (see client.ts). Takes EngineCommands, sends EngineEvents; one batch at a time.
 */
import { traceWorkerBegan } from './boot.js'; // first: a CLI batch's first worker starts, libvips is held (not sharp's JavaScript), then the rest loads
import type { EngineCommand, EngineEvent, EventLevel, FatalCode } from '../common/events.js';
import { EngineCommandSchema } from '../common/commands.js';
import { JobSpecSchema } from '../common/job.js';
import { parseNatsOptions } from '../common/remote-task.js';
import { InvalidOptionsError, parseOrThrow, type FieldProblem } from '../common/validate.js';
import { DryRun } from './dry-run.js';
import { EngineError, Errors } from './errors.js';
import { ListFeed } from './file-list.js';
import { recoverJournal } from './journal.js';
import { Previewer } from './preview.js';
import { Batch } from './run.js';
import { threadsLoaded } from './pools/threads.js';
import { traceStartup } from './batch/trace.js';
import { eventFilter } from './batch/subscription.js';

traceStartup('engine', 'engine modules loaded');

interface Transport {
  send(e: EngineEvent): void;
  onCommand(fn: (c: EngineCommand) => void): void;
  onClose(fn: () => void): void;
}

/** Electron's utilityProcess gives `process.parentPort`; child_process.fork gives `process.send`. */
function transport(): Transport {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(ev: 'message', fn: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return {
      send: (e) => parentPort.postMessage(e),
      onCommand: (fn) => parentPort.on('message', (e) => fn(e.data as EngineCommand)),
      onClose: () => undefined, // Electron kills a utility process whose parent exits
    };
  }
  if (!process.send) throw new Error('engine/host must be started with an IPC channel (fork)');
  return {
    // After the client disconnects, a cancelled batch still emits: drop those events.
    send: (e) => {
      if (process.connected) process.send!(e);
    },
    onCommand: (fn) => process.on('message', (m) => fn(m as EngineCommand)),
    onClose: (fn) => process.on('disconnect', fn),
  };
}

const t = transport();
let batch: Batch | DryRun | null = null;
/** Set while a resume recovers its journal (requests are answered meanwhile; a cancel stops it). */
let recovering: AbortController | null = null;
/** The names of the running job's --files-from list, as the client sends them. */
let feed: ListFeed | null = null;

/** A feed for a job over a list (it asks the client for names), or none. */
function listFor(spec: { filesFrom?: unknown }): ListFeed | undefined {
  feed?.close();
  feed = spec.filesFrom ? new ListFeed(() => t.send({ type: 'list-wanted' })) : null;
  return feed ?? undefined;
}

function problemsOf(err: unknown) {
  return err instanceof InvalidOptionsError ? err.problems : undefined;
}

/** What a refusal says: message, per-field problems, a code a front-end can act on. */
function refusal(err: unknown): { message: string; problems?: FieldProblem[]; code?: FatalCode } {
  const code = err instanceof EngineError ? err.code : undefined;
  return { message: err instanceof Error ? err.message : String(err), problems: problemsOf(err), ...(code && { code }) };
}

function fatal(err: unknown): void {
  t.send({ type: 'fatal', ...refusal(err) });
}

/** Answer command `id` (a `reply` event), or without an id refuse it with `fatal` as before. */
function answer(id: string | undefined, err?: unknown): void {
  if (id === undefined) return err === undefined ? undefined : fatal(err);
  t.send(err === undefined ? { type: 'reply', id, ok: true } : { type: 'reply', id, ok: false, ...refusal(err) });
}

/** Answer command `id` with what `work` computes (a preview, an estimate), or with its refusal. */
function compute(id: string | undefined, work: () => Promise<unknown>): void {
  if (id === undefined) return fatal(new EngineError('A preview or an estimate needs a command id', 'Send it through the UI session'));
  work().then(
    (result) => t.send({ type: 'reply', id, ok: true, result }),
    (err: unknown) => answer(id, err),
  );
}

/** Previews and estimates: their own thread, started on the first request (engine/preview.ts). */
let previewer: Previewer | null = null;
const previews = () => (previewer ??= new Previewer());
/** The size estimates running now: a batch's start cancels them, so they take no CPU from it. */
const estimates = new Set<AbortController>();

/** Estimate as `Previewer.estimate`, cancelled if a batch starts meanwhile. */
function estimate(cmd: Extract<EngineCommand, { type: 'estimate' }>): Promise<unknown> {
  const abort = new AbortController();
  estimates.add(abort);
  return previews()
    .estimate(cmd.folders, cmd.images, cmd.job, cmd.sample, abort.signal)
    .finally(() => estimates.delete(abort));
}

/**
 * Start a batch; the command is answered once it started (its `batch-start` went out) or failed
 * to (output folder unusable, journal refused): a failure after that start is a `fatal`. Only
 * the events of the client's `level` are sent (batch/subscription.ts).
 */
function begin(id: string | undefined, make: (onEvent: (e: EngineEvent) => void) => Batch | DryRun, level?: EventLevel): void {
  if (batch || recovering) return answer(id, Errors.batchRunning());
  for (const e of estimates) e.abort(Errors.estimateCancelled());
  let answered = false;
  const wanted = eventFilter(level);
  const onEvent = (e: EngineEvent) => {
    traceWorkerBegan(e);
    if (wanted(e)) t.send(e);
    if (e.type === 'batch-start' && !answered) {
      answered = true;
      answer(id);
    }
  };
  try {
    const b = make(onEvent);
    batch = b;
    if (b instanceof DryRun) {
      answered = true; // a dry run has no batch-start: it started once it exists
      answer(id);
    }
    b.done
      .catch((err: unknown) => {
        if (answered) return fatal(err);
        answered = true;
        answer(id, err);
      })
      .finally(() => {
        if (batch === b) batch = null;
      });
  } catch (err) {
    answer(id, err);
  }
}

/** Run one command; throws what refuses it. */
function act(cmd: EngineCommand): void {
  switch (cmd.type) {
    case 'start':
      traceStartup('engine', 'start command received');
      return begin(cmd.id, (onEvent) => {
        const spec = parseOrThrow(JobSpecSchema, cmd.spec);
        return new Batch(spec, { onEvent, list: listFor(spec), nats: cmd.nats && parseNatsOptions(cmd.nats) });
      }, cmd.events);
    case 'dry-run':
      return begin(cmd.id, (onEvent) => {
        const spec = parseOrThrow(JobSpecSchema, cmd.spec);
        return new DryRun(spec, { onEvent, list: listFor(spec) });
      });
    case 'list':
      feed?.push(cmd.names, cmd.end);
      return answer(cmd.id);
    case 'resume': {
      if (batch || recovering) return answer(cmd.id, Errors.batchRunning());
      // Recovery reads the journal without holding the event loop (engine/journal.ts).
      const abort = (recovering = new AbortController());
      return void recoverJournal(cmd.output, abort.signal).then(
        (state) => {
          recovering = null;
          begin(cmd.id, (onEvent) => {
            // The journal is a file anyone could have edited: its spec goes through the job schema too.
            const spec = parseOrThrow(JobSpecSchema, cmd.workers !== undefined ? { ...state.spec, workers: cmd.workers } : state.spec);
            return new Batch(spec, { onEvent, resume: { ...state, spec }, nats: cmd.nats && parseNatsOptions(cmd.nats) });
          }, cmd.events);
        },
        (err: unknown) => {
          recovering = null;
          answer(cmd.id, abort.signal.aborted ? Errors.resumeCancelled(cmd.output) : err);
        },
      );
    }
    case 'set-workers':
      if (!(batch instanceof Batch)) throw Errors.noBatch();
      batch.setWorkers(cmd.workers);
      return answer(cmd.id);
    case 'pause':
      if (batch instanceof Batch) batch.pause();
      return answer(cmd.id);
    case 'continue':
      if (batch instanceof Batch) batch.continue();
      return answer(cmd.id);
    case 'cancel':
      recovering?.abort();
      batch?.cancel();
      feed?.close();
      return answer(cmd.id);
    case 'preview':
      return compute(cmd.id, () => previews().render(cmd.path, cmd.job, cmd.maxSize));
    case 'estimate':
      return compute(cmd.id, () => estimate(cmd));
  }
}

const COMMAND_TYPES = new Set(['start', 'resume', 'set-workers', 'pause', 'continue', 'cancel', 'list', 'dry-run', 'preview', 'estimate']);

t.onCommand((raw) => {
  const id = typeof (raw as { id?: unknown })?.id === 'string' ? (raw as { id: string }).id : undefined;
  const type = (raw as { type?: unknown })?.type;
  if (!COMMAND_TYPES.has(type as string)) return answer(id, new EngineError(`Unknown command ${JSON.stringify(type)}`, 'Update the client and engine together'));
  try {
    act(parseOrThrow(EngineCommandSchema, raw));
  } catch (err) {
    answer(id, err);
  }
});

t.onClose(() => {
  // The client went away: stop cleanly (temporary files removed, journal closed), then exit.
  // Threads still loading their modules are waited for: ending one then aborts the process.
  const exit = (): void => void threadsLoaded().finally(() => process.exit(0));
  if (!batch) return exit();
  batch.cancel();
  feed?.close();
  void batch.done.finally(exit);
});
