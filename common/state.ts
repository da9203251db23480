/**
 * The state a UI shows: the `snapshot` reply and what a reloaded page reconnects to. Folded from
 * engine events by common/snapshot.ts; carried by the requests and events of common/contract.ts.
 * Pure TypeScript + zod.
 */
import { z } from 'zod';
import type { BenchRow, MachineInfo } from './bench.js';
import type { BatchState, BatchTotals, ProgressSnapshot } from './events.js';
import type { FailureCode, SkipCode } from './failures.js';
import type { JobSpec } from './job.js';
import type { ConvertLane } from './task.js';
import type { FieldProblem } from './validate.js';

/** One folder (or file) the person added, with what a quick walk found in it so far. */
export const FolderInfoSchema = z.object({
  path: z.string().min(1).max(4096),
  /** Regular files found so far. */
  files: z.number().int().min(0),
  /** Of those, files whose extension looks like an image. */
  images: z.number().int().min(0),
  bytes: z.number().min(0),
  /** True when the walk finished. */
  done: z.boolean(),
  error: z.string().optional(),
  /** What to call it in the UI when the path says nothing (dropped files: their original names). */
  label: z.string().max(4096).optional(),
});
export type FolderInfo = z.infer<typeof FolderInfoSchema>;

export interface FailureRow {
  input: string;
  code: FailureCode;
  reason: string;
  hint: string;
  detail?: string;
}

export interface SkippedRow {
  input: string;
  code: SkipCode;
  reason: string;
}

export interface DoneRow {
  input: string;
  output: string;
  /** Output size in pixels. */
  width: number;
  height: number;
  /** Input size in pixels (as stored). */
  inWidth: number;
  inHeight: number;
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
  /** Files converted by each remote worker (`host/worker`) of a cluster batch; absent without one. */
  remoteDone?: Record<string, number>;
  /** The NATS broker of a cluster batch after it was lost once (server without credentials). */
  cluster?: { state: 'connected' | 'disconnected' | 'reconnected'; server: string; detail?: string };
  /** Files converted by each converter lane (`luma`: libjpeg-turbo Y plane; `sharp`: libvips). */
  byLane: Record<ConvertLane, number>;
  failures: FailureRow[];
  /** Skipped files with their reason (at most {@link SKIPPED_LIMIT}; `counts.skipped` has them all). */
  skipped: SkippedRow[];
  /** Most recent outputs, newest last (at most {@link RECENT_LIMIT}). */
  recent: DoneRow[];
  /** Throughput over time, one point per progress event (seconds since start). */
  series: { t: number[]; imagesPerSec: number[]; mpPerSec: number[] };
  poolChanges: { t: number; workers: number; previous: number }[];
  /** Pauses (seconds since start; `until` null while paused). */
  pauses: { t: number; until: number | null }[];
  /** Files converted at each pool size (survives pool-size changes), by worker count. */
  byWorkers: Record<number, number>;
  finished: { cancelled: boolean; stopped?: { code: FailureCode; reason: string; hint: string }; totals: BatchTotals } | null;
  /** Set when the engine process died under the batch (state is then `done`, `finished` null): why. */
  interrupted: string | null;
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
