/**
 * The state a UI shows (the contract's Snapshot), folded from engine events. The browser-mode
 * server and Electron keep one so that a page that reloads gets it back; the renderer keeps its
 * own copy up to date with the same reducer.
 */
import type { BenchEvent } from './bench.js';
import type { BatchView, BenchView, Snapshot } from './state.js';
import type { EngineEvent } from './events.js';

/** Outputs kept in {@link BatchView.recent}. */
export const RECENT_LIMIT = 1000;
/** Skipped files listed in {@link BatchView.skipped} (all are counted). */
export const SKIPPED_LIMIT = 5000;
/** Points kept in {@link BatchView.series} (older ones are thinned). */
export const SERIES_LIMIT = 2000;

/** A new, empty snapshot. */
export function emptySnapshot(cores: number): Snapshot {
  return { cores, folders: [], batch: null, bench: null, engine: { alive: true, message: null, canResume: false }, error: null };
}

function thin(series: BatchView['series']): void {
  if (series.t.length <= SERIES_LIMIT) return;
  const keep = (a: number[]) => a.filter((_, i) => i % 2 === 0);
  series.t = keep(series.t);
  series.imagesPerSec = keep(series.imagesPerSec);
  series.mpPerSec = keep(series.mpPerSec);
}

/**
 * Apply one engine event to a snapshot, in place (cheap enough for thousands of events per second).
 *
 * @example
 * const s = emptySnapshot(2); engine.onEvent((e) => applyEngineEvent(s, e));
 */
export function applyEngineEvent(s: Snapshot, e: EngineEvent): void {
  if (isBenchEvent(e)) return applyBenchEvent(s, e);
  if (e.type === 'batch-start') {
    s.error = null;
    s.engine.canResume = false;
    s.batch = {
      batchId: e.batchId,
      spec: e.spec,
      workers: e.workers,
      cores: e.cores,
      resumed: e.resumed,
      state: 'scanning',
      progress: null,
      scan: { files: 0, images: 0, skipped: 0, bytes: 0, done: false },
      counts: { done: 0, failed: 0, skipped: 0 },
      lanes: Array.from({ length: e.workers }, () => null),
      laneDone: Array.from({ length: e.workers }, () => 0),
      byLane: { luma: 0, colour: 0, sharp: 0 },
      failures: [],
      skipped: [],
      recent: [],
      series: { t: [], imagesPerSec: [], mpPerSec: [] },
      poolChanges: [],
      pauses: [],
      byWorkers: {},
      finished: null,
      interrupted: null,
    };
    return;
  }
  if (e.type === 'fatal') {
    s.error = { message: e.message, problems: e.problems };
    return;
  }
  const b = s.batch;
  if (!b) return;
  switch (e.type) {
    case 'scan':
      b.scan = { files: e.files, images: e.images, skipped: e.skipped, bytes: e.bytes, done: e.done };
      return;
    case 'folder-error':
      b.counts.failed++;
      b.failures.push({ input: e.path, code: e.code, reason: e.reason, hint: e.hint });
      return;
    case 'file-start':
      while (b.lanes.length <= e.worker) b.lanes.push(null);
      while (b.laneDone.length <= e.worker) b.laneDone.push(0);
      b.lanes[e.worker] = e.input;
      return;
    case 'file-done':
      b.counts.done++;
      if (b.lanes[e.worker] === e.input) b.lanes[e.worker] = null;
      b.laneDone[e.worker] = (b.laneDone[e.worker] ?? 0) + 1;
      if (e.remote) (b.remoteDone ??= {})[e.remote] = (b.remoteDone[e.remote] ?? 0) + 1;
      b.byWorkers[b.workers] = (b.byWorkers[b.workers] ?? 0) + 1;
      b.byLane[e.lane]++;
      b.recent.push({ input: e.input, output: e.output, width: e.outWidth, height: e.outHeight, inWidth: e.width, inHeight: e.height, inputBytes: e.inputBytes, outputBytes: e.outputBytes, ms: e.ms });
      if (b.recent.length > RECENT_LIMIT) b.recent.splice(0, b.recent.length - RECENT_LIMIT);
      return;
    case 'file-failed':
      b.counts.failed++;
      if (e.worker !== undefined && b.lanes[e.worker] === e.input) b.lanes[e.worker] = null;
      b.failures.push({ input: e.input, code: e.code, reason: e.reason, hint: e.hint, detail: e.detail });
      return;
    case 'file-skipped':
      if (e.code === 'done-before') b.counts.done++;
      else {
        b.counts.skipped++;
        if (b.skipped.length < SKIPPED_LIMIT) b.skipped.push({ input: e.input, code: e.code, reason: e.reason });
      }
      return;
    case 'cluster':
      b.cluster = { state: e.state, server: e.server, ...(e.detail && { detail: e.detail }) };
      return;
    case 'pool':
      b.workers = e.workers;
      b.poolChanges.push({ t: e.elapsedMs / 1000, workers: e.workers, previous: e.previous });
      return;
    case 'state':
      markPause(b, e.state);
      b.state = e.state;
      if (e.state === 'done') b.lanes = b.lanes.map(() => null);
      return;
    case 'progress': {
      const { type: _type, ...p } = e;
      b.progress = p;
      markPause(b, p.state);
      b.state = p.state;
      b.workers = p.workers;
      b.series.t.push(p.elapsedMs / 1000);
      b.series.imagesPerSec.push(p.imagesPerSec);
      b.series.mpPerSec.push(p.mpPerSec);
      thin(b.series);
      return;
    }
    case 'done':
      markPause(b, 'done');
      b.state = 'done';
      b.lanes = b.lanes.map(() => null);
      b.finished = { cancelled: e.cancelled, stopped: e.stopped && { code: e.stopped.code, reason: e.stopped.reason, hint: e.stopped.hint }, totals: e.totals };
      return;
  }
}

/** Open a pause when the batch enters `paused`, close it when it leaves (times from the last progress). */
function markPause(b: BatchView, next: BatchView['state']): void {
  const t = (b.progress?.elapsedMs ?? 0) / 1000;
  const open = b.pauses.at(-1);
  if (next === 'paused' && b.state !== 'paused' && !(open && open.until === null)) b.pauses.push({ t, until: null });
  else if (next !== 'paused' && open && open.until === null) open.until = t;
}

/** True for the bench-* events (a comparison's progress and results). */
export function isBenchEvent(e: EngineEvent): e is BenchEvent {
  return e.type.startsWith('bench-');
}

/** Fold one bench-* event into {@link Snapshot.bench}. */
function applyBenchEvent(s: Snapshot, e: BenchEvent): void {
  if (e.type === 'bench-start') {
    s.bench = { running: true, machine: e.machine, cells: e.cells, runsPerCell: e.runsPerCell, done: 0, of: e.cells * e.runsPerCell, last: null, rows: [], finished: false, error: null };
    return;
  }
  const b = s.bench;
  if (!b) {
    if (e.type === 'bench-error') s.bench = { ...emptyBench(), error: e.message };
    return;
  }
  switch (e.type) {
    case 'bench-run':
      b.done = e.done;
      b.of = e.of;
      b.last = { model: e.model, workers: e.workers, run: e.run, warmup: e.warmup, seconds: e.seconds };
      return;
    case 'bench-row':
      b.rows = [...b.rows.filter((r) => r.model !== e.row.model || r.workers !== e.row.workers), e.row];
      return;
    case 'bench-done':
      b.rows = e.rows;
      b.machine = e.machine;
      b.running = false;
      b.finished = true;
      b.done = b.of;
      return;
    case 'bench-error':
      b.running = false;
      b.error = e.message;
      return;
  }
}

function emptyBench(): BenchView {
  return { running: false, machine: null, cells: 0, runsPerCell: 0, done: 0, of: 0, last: null, rows: [], finished: false, error: null };
}

/**
 * Mark a running comparison as stopped because the engine process went away (the engine sends
 * no bench-error then).
 */
export function benchInterrupted(s: Snapshot, message: string): void {
  if (!s.bench?.running) return;
  s.bench.running = false;
  s.bench.error = message;
}
