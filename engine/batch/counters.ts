/**
 * A batch's counters and the events and totals derived from them (one place, so that every
 * count the UI and CLI show adds up: total = done + failed + remaining; skipped apart).
 */
import type { BatchState, BatchTotals, EngineEvent } from '../../common/events.js';
import { FAILURE_TEXT, SKIP_TEXT, type FailureCode, type SkipCode } from '../../common/failures.js';
import type { ConvertLane, ConvertResult } from '../../common/task.js';
import type { ScanEntry } from '../scan.js';
import { eta, RateWindow } from '../rate.js';

export class Counters {
  /** Images to convert (found by the scan, minus outputs that exist and are skipped). */
  total = 0;
  done = 0;
  /** Of `done`, files converted by an earlier run of a resumed batch. */
  doneBefore = 0;
  failed = 0;
  skipped = 0;
  /** Every entry the scan yielded. */
  files = 0;
  /** Input bytes of the images found. */
  bytes = 0;
  inputBytes = 0;
  outputBytes = 0;
  megapixels = 0;
  /** Files this run converted, by lane. */
  private readonly lanes: Record<ConvertLane, number> = { luma: 0, colour: 0, sharp: 0 };
  private readonly rate = new RateWindow();
  private readonly started = performance.now();

  /** Milliseconds since the batch started. */
  elapsed(): number {
    return Math.round(performance.now() - this.started);
  }

  /**
   * Count a scan entry: the image to convert, or the event that says why not (`doneBefore`:
   * inputs a resumed batch converted already).
   */
  admit(entry: ScanEntry, doneBefore?: { has(path: string): boolean }): { image?: Extract<ScanEntry, { kind: 'image' }>; event?: EngineEvent } {
    this.files++;
    switch (entry.kind) {
      case 'folder-error':
        return { event: { type: 'folder-error', path: entry.path, code: entry.code, ...FAILURE_TEXT[entry.code] } };
      case 'skip':
        return { event: this.skippedEvent(entry.path, entry.code) };
      case 'fail':
        this.total++; // refused by the scan, still processed: done + failed never exceed total
        return { event: this.failedEvent(entry.path, entry.code, entry.detail) };
      case 'image':
        this.total++;
        this.bytes += entry.size;
        if (!doneBefore?.has(entry.path)) return { image: entry };
        this.done++;
        this.doneBefore++;
        return { event: { type: 'file-skipped', input: entry.path, code: 'done-before', reason: SKIP_TEXT['done-before'] } };
    }
  }

  skippedEvent(input: string, code: SkipCode): Extract<EngineEvent, { type: 'file-skipped' }> {
    this.skipped++;
    return { type: 'file-skipped', input, code, reason: SKIP_TEXT[code] };
  }

  failedEvent(input: string, code: FailureCode, detail: string, worker?: number): Extract<EngineEvent, { type: 'file-failed' }> {
    this.failed++;
    return { type: 'file-failed', input, code, ...FAILURE_TEXT[code], detail, worker };
  }

  /** Count a converted file; returns its `file-done` event (one object: this runs per file). */
  fileDone(input: string, output: string, worker: number, r: Extract<ConvertResult, { ok: true }>, renamed?: { from: string; reason: string }): Extract<EngineEvent, { type: 'file-done' }> {
    const mp = (r.width * r.height) / 1e6;
    this.done++;
    this.inputBytes += r.inputBytes;
    this.outputBytes += r.outputBytes;
    this.megapixels += mp;
    this.lanes[r.lane]++;
    this.rate.add(mp);
    const e: Extract<EngineEvent, { type: 'file-done' }> = { type: 'file-done', input, output, worker, ms: Math.round(r.ms), inputBytes: r.inputBytes, outputBytes: r.outputBytes, width: r.width, height: r.height, outWidth: r.outWidth, outHeight: r.outHeight, lane: r.lane, megapixels: mp };
    if (renamed) e.renamed = renamed;
    if (r.warnings?.length) e.warnings = r.warnings;
    if (r.quality !== undefined) e.quality = r.quality;
    if (r.remote) e.remote = r.remote;
    return e;
  }

  scanEvent(done: boolean): Extract<EngineEvent, { type: 'scan' }> {
    return { type: 'scan', files: this.files, images: this.total, skipped: this.skipped, bytes: this.bytes, done };
  }

  progressEvent(now: { running: number; scanning: boolean; workers: number; state: BatchState }): Extract<EngineEvent, { type: 'progress' }> {
    const { imagesPerSec, mpPerSec } = this.rate.rates();
    const remaining = this.total - this.done - this.failed;
    return {
      type: 'progress',
      total: this.total,
      done: this.done,
      failed: this.failed,
      skipped: this.skipped,
      running: now.running,
      scanning: now.scanning,
      imagesPerSec,
      mpPerSec,
      etaSeconds: now.scanning ? null : eta(remaining, imagesPerSec),
      elapsedMs: this.elapsed(),
      workers: now.workers,
      state: now.state,
    };
  }

  totals(): BatchTotals {
    const elapsedMs = this.elapsed();
    const s = elapsedMs / 1000;
    return {
      done: this.done,
      doneBefore: this.doneBefore,
      failed: this.failed,
      skipped: this.skipped,
      elapsedMs,
      imagesPerSec: s > 0 ? (this.done - this.doneBefore) / s : 0,
      mpPerSec: s > 0 ? this.megapixels / s : 0,
      inputBytes: this.inputBytes,
      outputBytes: this.outputBytes,
      megapixels: this.megapixels,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      lanes: { ...this.lanes },
    };
  }
}
