/**
 * The UI <-> engine contract: every request (with its reply) and every event between the user
 * interface and the app side, declared once. Electron main's IPC handlers, the preload bridge,
 * the browser-mode WebSocket server and the renderer's `window.photopool` type all derive from
 * the maps below. Pure TypeScript + zod: no Node, DOM or electron here.
 */
import { z } from 'zod';
import { BenchOptionsSchema } from './bench.js';
import type { EngineEvent } from './events.js';
import { JobSpecSchema } from './job.js';
import { SettingsPatchSchema, SettingsSchema } from './settings.js';
import { EstimateSchema, PreviewJobSchema, PreviewSchema } from './preview.js';
import { FolderInfoSchema, type FolderInfo, type Snapshot } from './state.js';

export * from './state.js';
export { EstimateSchema, PreviewJobSchema, PreviewSchema, type Estimate, type Preview, type PreviewJob } from './preview.js';

/** Most engine-derived UI updates per second the renderer applies. */
export const MAX_UI_UPDATES_PER_SEC = 4;

const Path = z.string().min(1).max(4096);
const Ok = z.object({ ok: z.literal(true) });
const Empty = z.object({}).strict();
const Workers = z.number().int().min(1).max(64);

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
  addFolder: { request: z.object({ path: Path, label: z.string().min(1).max(4096).optional() }).strict(), reply: FolderInfoSchema },
  removeFolder: { request: z.object({ path: Path }).strict(), reply: Ok },
  /** Native folder dialog (Electron); browser mode replies `supported: false` (use listDir). */
  pickFolder: { request: z.object({ purpose: z.enum(['input', 'output']) }).strict(), reply: z.object({ supported: z.boolean(), path: Path.nullable() }) },
  /** Sub-folders of a folder (default: the home folder), for the browser-mode folder picker. */
  listDir: { request: z.object({ path: Path.optional() }).strict(), reply: DirListingSchema },
  start: { request: z.object({ spec: JobSpecSchema }).strict(), reply: Ok },
  /** Resume a batch by its output folder, or a beside-input batch (whose state the engine keeps in its own folder) by its inputs. */
  resume: {
    request: z.union([z.object({ output: Path, workers: Workers.optional() }).strict(), z.object({ inputs: z.array(Path).min(1), workers: Workers.optional() }).strict()]),
    reply: Ok,
  },
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
  /** Where outputs go by default: a persistent folder under the person's Pictures (`~/Pictures/PhotoPool/<date time>`). */
  suggestOutput: { request: Empty, reply: z.object({ path: Path }) },
  /**
   * Render an input (a file of the added inputs or of the current batch) as a small JPEG the page
   * can show (TIFF, HEIC, 16-bit PNG included); with `job`, through the recipe (in memory, nothing written).
   */
  renderPreview: { request: z.object({ path: Path, job: PreviewJobSchema.optional(), maxSize: z.number().int().min(64).max(4096).default(1600) }).strict(), reply: PreviewSchema },
  /** Estimate the output size of the added inputs by converting a small sample in memory. */
  estimateSize: { request: z.object({ job: PreviewJobSchema, sample: z.number().int().min(1).max(16).default(6) }).strict(), reply: EstimateSchema },
  /** The shared settings file (common/settings.ts); `problem` when it was corrupt and set aside. */
  getSettings: { request: Empty, reply: z.object({ settings: SettingsSchema, problem: z.string().nullable(), file: Path }) },
  /** Replace the given settings fields (presets as a whole); replies the new settings. */
  saveSettings: { request: z.object({ patch: SettingsPatchSchema }).strict(), reply: z.object({ settings: SettingsSchema }) },
  /** Open the current batch's output folder in the system file manager (Electron: shell.openPath; browser mode: the server, on its machine). */
  openOutputFolder: { request: Empty, reply: z.object({ opened: z.boolean(), path: Path.nullable(), message: z.string().nullable() }) },
  /** Where the finished batch's outputs can be downloaded as one zip (browser mode), or null. */
  outputsZip: { request: Empty, reply: z.object({ url: z.string().nullable() }) },
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
