/**
 * The UI <-> engine contract: every request (with its reply) and every event between the user
 * interface and the app side, declared once. Electron main's IPC handlers, the preload bridge,
 * the browser-mode WebSocket server and the renderer's `window.photopool` type all derive from
 * the maps below. Pure TypeScript + zod: no Node, DOM or electron here.
 */
import { z } from 'zod';
import { BenchOptionsSchema, type BenchRow, type MachineInfo } from './bench.js';
import type { BatchState, BatchTotals, EngineEvent, ProgressSnapshot } from './events.js';
import type { FailureCode } from './failures.js';
import { JobSpecSchema, type JobSpec } from './job.js';
import type { FieldProblem } from './validate.js';

/** Largest WebSocket / IPC message accepted from a UI (bytes). */
export const MAX_MESSAGE_BYTES = 256 * 1024;
/** Most engine-derived UI updates per second the renderer applies. */
export const MAX_UI_UPDATES_PER_SEC = 4;

const Path = z.string().min(1).max(4096);
const Ok = z.object({ ok: z.literal(true) });
const Empty = z.object({}).strict();
const Workers = z.number().int().min(1).max(64);

/** One folder (or file) the person added, with what a quick walk found in it so far. */
export const FolderInfoSchema = z.object({
  path: Path,
  /** Regular files found so far. */
  files: z.number().int().min(0),
  /** Of those, files whose extension looks like an image. */
  images: z.number().int().min(0),
  bytes: z.number().min(0),
  /** True when the walk finished. */
  done: z.boolean(),
  error: z.string().optional(),
});
export type FolderInfo = z.infer<typeof FolderInfoSchema>;

/** A folder listing for the browser-mode folder picker (folders only). */
export const DirListingSchema = z.object({
  path: Path,
  parent: Path.nullable(),
  dirs: z.array(z.object({ name: z.string(), path: Path })),
});
export type DirListing = z.infer<typeof DirListingSchema>;

/** Reply of an upload of dropped files (browser mode): the staging folder now holding them. */
export const UploadReplySchema = z.object({ root: Path, files: z.number().int().min(0) });
export type UploadReply = z.infer<typeof UploadReplySchema>;

// ---------------------------------------------------------------------------------------------
// The state a UI shows; the `snapshot` reply, and what a reloaded page reconnects to.

export interface FailureRow {
  input: string;
  code: FailureCode;
  reason: string;
  hint: string;
  detail?: string;
}

export interface DoneRow {
  input: string;
  output: string;
  width: number;
  height: number;
  inputBytes: number;
  outputBytes: number;
  ms: number;
}

export interface BatchView {
  batchId: string;
  spec: JobSpec;
  workers: number;
  cores: number;
  resumed: boolean;
  state: BatchState;
  progress: ProgressSnapshot | null;
  scan: { files: number; images: number; skipped: number; bytes: number; done: boolean };
  /** Counted from per-file events (exact, unlike the sampled `progress`). */
  counts: { done: number; failed: number; skipped: number };
  /** What each worker lane is converting now (index = lane; null = idle). */
  lanes: (string | null)[];
  /** Files finished per lane. */
  laneDone: number[];
  failures: FailureRow[];
  /** Most recent outputs, newest last (at most {@link RECENT_LIMIT}). */
  recent: DoneRow[];
  /** Throughput over time, one point per progress event (seconds since start). */
  series: { t: number[]; imagesPerSec: number[]; mpPerSec: number[] };
  poolChanges: { t: number; workers: number; previous: number }[];
  finished: { cancelled: boolean; stopped?: { code: FailureCode; reason: string; hint: string }; totals: BatchTotals } | null;
}

/** The latest comparison (photopool bench) run from a UI: progress while it runs, then its rows. */
export interface BenchView {
  running: boolean;
  machine: MachineInfo | null;
  /** Cells (model x workers) and runs per cell (warm-up included) announced by bench-start. */
  cells: number;
  runsPerCell: number;
  /** Runs finished and runs in all. */
  done: number;
  of: number;
  /** The run that finished last. */
  last: { model: string; workers: number; run: number; warmup: boolean; seconds: number } | null;
  /** One row per finished cell (final speed-ups once `finished`). */
  rows: BenchRow[];
  /** True after bench-done. */
  finished: boolean;
  /** Why the comparison stopped early (cancelled, a file failed, the engine stopped). */
  error: string | null;
}

export interface Snapshot {
  cores: number;
  folders: FolderInfo[];
  batch: BatchView | null;
  /** The latest comparison, kept so a reloaded page shows it. */
  bench: BenchView | null;
  engine: { alive: boolean; message: string | null; canResume: boolean };
  /** Last engine error (fatal event), cleared when a batch starts. */
  error: { message: string; problems?: FieldProblem[] } | null;
}


const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const EVENT_TYPES = new Set<string>([
  'batch-start', 'scan', 'folder-error', 'file-start', 'file-done', 'file-failed', 'file-skipped', 'pool', 'state', 'progress', 'done', 'fatal',
  'bench-start', 'bench-run', 'bench-row', 'bench-done', 'bench-error',
]);

/** An engine event as relayed to a UI (shape-checked: the engine is trusted, the wire is not). */
export const EngineEventSchema = z.custom<EngineEvent>((v) => isObject(v) && typeof v.type === 'string' && EVENT_TYPES.has(v.type), 'an engine event');
export const SnapshotSchema = z.custom<Snapshot>((v) => isObject(v) && typeof v.cores === 'number' && Array.isArray(v.folders), 'a snapshot');
export const EngineExitSchema = z.object({
  message: z.string(),
  /** True when the interrupted batch can be resumed from its journal. */
  canResume: z.boolean(),
});

// ---------------------------------------------------------------------------------------------
// Requests (UI -> app) and events (app -> UI).

/** Every request: payload schema and reply schema. */
export const Requests = {
  /** Add a folder or file to the inputs; the reply is the first look, `folder` events follow. */
  addFolder: { request: z.object({ path: Path }).strict(), reply: FolderInfoSchema },
  removeFolder: { request: z.object({ path: Path }).strict(), reply: Ok },
  /** Native folder dialog (Electron); browser mode replies `supported: false` (use listDir). */
  pickFolder: { request: z.object({ purpose: z.enum(['input', 'output']) }).strict(), reply: z.object({ supported: z.boolean(), path: Path.nullable() }) },
  /** Sub-folders of a folder (default: the home folder), for the browser-mode folder picker. */
  listDir: { request: z.object({ path: Path.optional() }).strict(), reply: DirListingSchema },
  start: { request: z.object({ spec: JobSpecSchema }).strict(), reply: Ok },
  resume: { request: z.object({ output: Path, workers: Workers.optional() }).strict(), reply: Ok },
  setWorkers: { request: z.object({ workers: Workers }).strict(), reply: Ok },
  pause: { request: Empty, reply: Ok },
  continue: { request: Empty, reply: Ok },
  cancel: { request: Empty, reply: Ok },
  /** Everything a UI needs to show the current state (used on connect and reload). */
  snapshot: { request: Empty, reply: SnapshotSchema },
  /** Reveal a file of the current batch in the system file manager (Electron). */
  showInFolder: { request: z.object({ path: Path }).strict(), reply: z.object({ supported: z.boolean() }) },
  /** Start a new engine process after the previous one died. */
  restartEngine: { request: Empty, reply: Ok },
  /** Start a comparison (model x worker count); replies once it started, bench-* events follow. Refused while a batch runs. */
  startBench: { request: z.object({ options: BenchOptionsSchema }).strict(), reply: Ok },
  /** Stop the running comparison (a bench-error "benchmark cancelled" follows). */
  cancelBench: { request: Empty, reply: Ok },
} as const;

/** Every event, by name. */
export const Events = {
  engine: EngineEventSchema,
  folder: FolderInfoSchema,
  engineExit: EngineExitSchema,
} as const;

export type RequestName = keyof typeof Requests;
export type EventName = keyof typeof Events;
export type RequestOf<N extends RequestName> = z.input<(typeof Requests)[N]['request']>;
export type ParsedRequestOf<N extends RequestName> = z.output<(typeof Requests)[N]['request']>;
export type ReplyOf<N extends RequestName> = z.output<(typeof Requests)[N]['reply']>;
export type EventOf<N extends EventName> = z.output<(typeof Events)[N]>;
export const REQUEST_NAMES = Object.keys(Requests) as RequestName[];
export const EVENT_NAMES = Object.keys(Events) as EventName[];

/** What the app side implements: one async handler per request, given a validated payload. */
export type Handlers = { [N in RequestName]: (req: ParsedRequestOf<N>) => Promise<ReplyOf<N>> };

/** A dropped item handed to {@link PhotoPoolApi.addDropped}: the platform file plus its path inside the drop. */
export interface Dropped<F> {
  file: F;
  /** Path relative to the drop, e.g. `trip/day1/a.jpg` (just the name for a loose file). */
  relativePath: string;
}

/**
 * `window.photopool`: the API a renderer sees, in Electron (preload) and in the browser
 * (WebSocket client). `F` is the platform's file type (DOM `File` in the renderer).
 */
export type PhotoPoolApi<F = unknown> = { [N in RequestName]: (req: RequestOf<N>) => Promise<ReplyOf<N>> } & {
  /** Subscribe to an event; returns the unsubscribe function. */
  on<N extends EventName>(name: N, fn: (payload: EventOf<N>) => void): () => void;
  /** Add dropped files and folders as inputs (Electron: their paths; browser: uploaded to a staging folder). */
  addDropped(items: readonly Dropped<F>[]): Promise<FolderInfo[]>;
  /** A URL the page can show for a file of the current batch (input or output), or null. */
  fileUrl(path: string): string | null;
  /** Which shell the UI runs in. */
  readonly platform: 'electron' | 'browser';
};

// ---------------------------------------------------------------------------------------------
// Wire format (browser mode WebSocket; Electron uses one IPC channel per request name).

export const ClientMessageSchema = z
  .object({ kind: z.literal('request'), id: z.number().int().min(0), name: z.enum(REQUEST_NAMES as [RequestName, ...RequestName[]]), payload: z.unknown() })
  .strict();
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

export type ServerMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: { message: string; problems?: FieldProblem[] } }
  | { kind: 'event'; name: EventName; payload: unknown };

/** IPC channel of a request in Electron. */
export const ipcChannel = (name: RequestName): string => `photopool:${name}`;
/** IPC channel on which Electron main sends every event. */
export const IPC_EVENT_CHANNEL = 'photopool:event';

/** Error thrown by a UI client when the app side refused a request. */
export class RequestError extends Error {
  readonly problems: FieldProblem[] | undefined;
  constructor(message: string, problems?: FieldProblem[]) {
    super(message);
    this.name = 'RequestError';
    this.problems = problems;
  }
}

// The state a UI shows, folded from engine events: common/snapshot.ts.
export { applyEngineEvent, benchInterrupted, emptySnapshot, isBenchEvent, RECENT_LIMIT, SERIES_LIMIT } from './snapshot.js';
