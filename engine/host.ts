/**
 * The engine process. Started by the CLI (child_process.fork), by browser mode, or by Electron
 * (utilityProcess.fork), always with UV_THREADPOOL_SIZE and MALLOC_ARENA_MAX=2 in its
 * environment (see client.ts). Takes EngineCommands, sends EngineEvents; one batch at a time.
 */
import 'sharp'; // load libvips in the main thread before any worker thread does (glibc)
import './pools/warm.js'; // then start the workers of a CLI batch while the rest loads
import type { EngineCommand, EngineEvent } from '../common/events.js';
import { JobSpecSchema } from '../common/job.js';
import { parseNatsOptions } from '../common/remote-task.js';
import { InvalidOptionsError, parseOrThrow } from '../common/validate.js';
import { DryRun } from './dry-run.js';
import { EngineError, Errors } from './errors.js';
import { ListFeed } from './file-list.js';
import { recoverJournal } from './journal.js';
import { Batch } from './run.js';

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
/** The names of the running job's --files-from list, as the client sends them. */
let feed: ListFeed | null = null;

/** A feed for a job over a list (asks the client for names), or none. */
function listFor(spec: { filesFrom?: unknown }): ListFeed | undefined {
  feed?.close();
  feed = spec.filesFrom ? new ListFeed(() => t.send({ type: 'list-wanted' })) : null;
  return feed ?? undefined;
}

function fatal(err: unknown): void {
  const problems = err instanceof InvalidOptionsError ? err.problems : undefined;
  const code = err instanceof EngineError ? err.code : undefined;
  t.send({ type: 'fatal', message: err instanceof Error ? err.message : String(err), problems, ...(code && { code }) });
}

function begin(make: () => Batch | DryRun): void {
  if (batch) return fatal(Errors.batchRunning());
  try {
    const b = make();
    batch = b;
    b.done.catch(fatal).finally(() => {
      if (batch === b) batch = null;
    });
  } catch (err) {
    fatal(err);
  }
}

t.onCommand((cmd) => {
  switch (cmd.type) {
    case 'start':
      return begin(() => {
        const spec = parseOrThrow(JobSpecSchema, cmd.spec);
        return new Batch(spec, { onEvent: t.send, list: listFor(spec), nats: cmd.nats && parseNatsOptions(cmd.nats) });
      });
    case 'dry-run':
      return begin(() => {
        const spec = parseOrThrow(JobSpecSchema, cmd.spec);
        return new DryRun(spec, { onEvent: t.send, list: listFor(spec) });
      });
    case 'list':
      return feed?.push(cmd.names, cmd.end);
    case 'resume':
      return begin(() => {
        const state = recoverJournal(cmd.output);
        const spec = cmd.workers !== undefined ? { ...state.spec, workers: cmd.workers } : state.spec;
        return new Batch(spec, { onEvent: t.send, resume: state, nats: cmd.nats && parseNatsOptions(cmd.nats) });
      });
    case 'set-workers':
      if (!Number.isInteger(cmd.workers) || cmd.workers < 1 || cmd.workers > 64) {
        return fatal(new InvalidOptionsError([{ field: 'workers', expected: 'a whole number from 1 to 64', received: JSON.stringify(cmd.workers) }]));
      }
      return batch instanceof Batch ? batch.setWorkers(cmd.workers) : fatal(Errors.noBatch());
    case 'pause':
      return batch instanceof Batch ? batch.pause() : undefined;
    case 'continue':
      return batch instanceof Batch ? batch.continue() : undefined;
    case 'cancel':
      batch?.cancel();
      return feed?.close();
    default:
      return fatal(new EngineError(`Unknown command ${JSON.stringify((cmd as { type?: unknown }).type)}`, 'Update the client and engine together'));
  }
});

t.onClose(() => {
  // The client went away: stop cleanly (temporary files removed, journal closed), then exit.
  if (!batch) process.exit(0);
  batch.cancel();
  feed?.close();
  void batch.done.finally(() => process.exit(0));
});
