/**
 * Everything the engine tells its clients (CLI, browser mode, Electron) and every command it
 * takes. Plain data: each value survives JSON and structured clone.
 */
import type { BenchEvent } from './bench.js';
import type { FailureCode, SkipCode } from './failures.js';
import type { JobSpec, JobSpecInput } from './job.js';
import type { NatsOptionsInput } from './remote-task.js';
import type { PreviewJob } from './preview.js';
import type { ConvertLane } from './task.js';
import type { FieldProblem } from './validate.js';

export type BatchState = 'scanning' | 'running' | 'paused' | 'cancelling' | 'done';

/** Running totals and rates, sent at most a few times a second. */
export interface ProgressSnapshot {
  /** Images found so far (grows while the scan runs). */
  total: number;
  /** Converted, including by earlier runs of a resumed batch. */
  done: number;
  failed: number;
  skipped: number;
  /** Files being converted right now. */
  running: number;
  /** True while folders are still being walked: `total` may grow. */
  scanning: boolean;
  /** Images per second over the last few seconds. */
  imagesPerSec: number;
  /** Megapixels (of input) per second over the same window. */
  mpPerSec: number;
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: number | null;
  elapsedMs: number;
  workers: number;
  state: BatchState;
}

export interface BatchTotals {
  /** Files with an output, including those converted by earlier runs of a resumed batch. */
  done: number;
  /** Of `done`, converted by earlier runs (resume). */
  doneBefore: number;
  failed: number;
  skipped: number;
  elapsedMs: number;
  imagesPerSec: number;
  mpPerSec: number;
  inputBytes: number;
  outputBytes: number;
  megapixels: number;
  /** Peak resident memory of the engine process (bytes). */
  peakRssBytes: number;
  /** Files this run converted, by lane (what the `file-done` events' `lane` would add up to; a client at event level `summary` has no other count). */
  lanes?: Record<ConvertLane, number>;
}

/**
 * Which events a client of a batch receives (the `events` field of `start` and `resume`):
 * - `all` (the default, what a client that does not say gets): every event;
 * - `summary`, for a client that shows totals and not files (the CLI without `--json`):
 *   `file-start` for the batch's first file only (start-up is timed to it); `file-done` only
 *   for a file with something to say (renamed, warnings, the quality a target size chose, a
 *   remote worker); no `file-skipped` for an input an earlier run converted (`done-before`: a
 *   resume of a large batch sent one per file; progress and totals count them); every other
 *   event as with `all` (failures, other skips, scan, progress, done, whose `totals.lanes`
 *   counts the files by lane). On 200 files that is ~400 messages fewer.
 */
export type EventLevel = 'all' | 'summary';

export type EngineEvent =
  | { type: 'batch-start'; batchId: string; spec: JobSpec; workers: number; cores: number; resumed: boolean }
  | { type: 'scan'; files: number; images: number; skipped: number; bytes: number; done: boolean }
  | { type: 'folder-error'; path: string; code: FailureCode; reason: string; hint: string }
  | { type: 'file-start'; input: string; worker: number }
  | {
      type: 'file-done';
      input: string;
      output: string;
      worker: number;
      ms: number;
      inputBytes: number;
      outputBytes: number;
      /** Input size in pixels (as stored, before EXIF rotation). */
      width: number;
      height: number;
      /** Output size in pixels. */
      outWidth: number;
      outHeight: number;
      /** Input megapixels (what MP/s counts). */
      megapixels: number;
      /** Which lane converted it: `luma` (libjpeg-turbo Y plane) or `sharp`. */
      lane: ConvertLane;
      /**
       * Set when the output is not the template's plain name: `from` is that name, `reason` why
       * (another input of the same folder would have had it, or it existed before the batch
       * with collision policy `rename`).
       */
      renamed?: { from: string; reason: string };
      /**
       * Set when the decoder warned about something that does not touch the pixels (metadata), or
       * a recipe step could not do all it was asked (a target size out of reach).
       */
      warnings?: string[];
      /** The encoder quality a target file size (`--max-size`) chose. */
      quality?: number;
      /** `host/worker` of the remote worker that converted it (a `--nats` batch); absent when the local pool did. */
      remote?: string;
    }
  | { type: 'file-failed'; input: string; code: FailureCode; reason: string; hint: string; detail?: string; worker?: number }
  | { type: 'file-skipped'; input: string; code: SkipCode; reason: string }
  | { type: 'pool'; workers: number; previous: number; elapsedMs: number }
  | { type: 'state'; state: BatchState }
  /** The NATS broker of a `--nats` batch (server without credentials): connected, lost (files wait), back. */
  | { type: 'cluster'; state: 'connected' | 'disconnected' | 'reconnected'; server: string; detail?: string }
  | ({ type: 'progress' } & ProgressSnapshot)
  | {
      type: 'done';
      cancelled: boolean;
      /** Set when the batch stopped itself (disk full, output folder gone): resume once fixed. */
      stopped?: { code: FailureCode; reason: string; hint: string; detail: string };
      output: string;
      totals: BatchTotals;
    }
  | { type: 'fatal'; message: string; problems?: FieldProblem[]; code?: FatalCode }
  /** A job read from a list (`spec.filesFrom`) wants the next names: answer with a `list` command. */
  | { type: 'list-wanted' }
  /** Dry run: where an input would go (`overwrites`: the output exists and policy overwrite-output replaces it). */
  | { type: 'plan-file'; input: string; output: string; renamed?: { from: string; reason: string }; overwrites?: boolean }
  /** Dry run over: the totals; nothing was written. */
  | { type: 'plan-done'; output: string; cancelled: boolean; totals: PlanTotals }
  | EngineReply
  | BenchEvent;

/** What a dry run found. */
export interface PlanTotals {
  /** Inputs that would be converted. */
  planned: number;
  /** Of `planned`, outputs given another name than the template's (name clashes, policy rename). */
  renamed: number;
  /** Of `planned`, existing outputs that would be replaced (policy overwrite-output). */
  overwrites: number;
  skipped: number;
  /** Inputs refused (not images, unreadable, outside --base...). */
  failed: number;
}

/**
 * Refusals a front-end can answer (fatal `code`): `output-locked`, another batch is writing
 * into the output folder (the message names its process, host and start time);
 * `unfinished-batch`, the output folder holds an unfinished batch: resume it (`resume`
 * command) or start over (`start` again with `spec.fresh: true`).
 */
export type FatalCode = 'output-locked' | 'unfinished-batch';

export type EngineEventType = EngineEvent['type'];

/**
 * Commands a client sends to the engine process (validated there: common/commands.ts). With an
 * `id`, the engine answers the command with exactly one `reply` event carrying that id (and no
 * `fatal` for it); without one, a refusal is a `fatal` event (the CLI's one-batch protocol).
 */
export type EngineCommand = { id?: string } & (
  | { type: 'start'; spec: JobSpecInput; /** run on remote workers too (never journaled or echoed) */ nats?: NatsOptionsInput; /** default `all` */ events?: EventLevel }
  | { type: 'resume'; output: string; workers?: number; nats?: NatsOptionsInput; /** default `all` */ events?: EventLevel }
  | { type: 'set-workers'; workers: number }
  | { type: 'pause' }
  | { type: 'continue' }
  | { type: 'cancel' }
  /** The next names of the running job's list (absolute paths); `end` once the list is over. */
  | { type: 'list'; names: string[]; end: boolean }
  /** Scan and plan `spec` without writing anything: `plan-file` per input, then `plan-done`. */
  | { type: 'dry-run'; spec: JobSpecInput }
  /** Render `path` through `job` (or as it looks) in memory; the reply's `result` is a Preview. */
  | { type: 'preview'; path: string; job?: PreviewJob; maxSize: number }
  /** Convert `sample` images below `folders` in memory; the reply's `result` is an Estimate for `images` images. */
  | { type: 'estimate'; folders: string[]; images: number; job: PreviewJob; sample: number }
);

/** The engine's answer to a command sent with an `id`. */
export type EngineReply = { type: 'reply'; id: string } & ({ ok: true; /** what the command computed (preview, estimate) */ result?: unknown } | { ok: false; message: string; problems?: FieldProblem[]; code?: FatalCode });
