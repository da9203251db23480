/**
 * The engine process's first step, imported first by engine/host.ts: a CLI batch's first worker
 * thread started (pools/warm.ts, imported first), then libvips held in the main thread
 * (hold-libvips.ts: it only has to be held before any worker thread ends, so the first worker
 * does not wait for it), and the start-up trace's first steps (PHOTOPOOL_TRACE_STARTUP=1, see
 * batch/trace.ts).
 */
import type { EngineEvent } from '../common/events.js';
import { traceProcessStart, traceStartup } from './batch/trace.js';
import './pools/warm.js';
import { holdLibvips } from './hold-libvips.js';

traceProcessStart('engine');
traceStartup('engine', `libvips held (${holdLibvips()})`);

let converted = false;

/**
 * PHOTOPOOL_TRACE_STARTUP: from the first `file-done`, the moment a worker began converting a
 * file (its arrival less the worker's own time, `ms`): no earlier than the first file's real
 * start in a worker (return trip and commit included), unlike `file-start`, which is the
 * hand-over to the pool, maybe before any worker is ready.
 *
 * @example
 * onEvent = (e) => (traceWorkerBegan(e), send(e));
 */
export function traceWorkerBegan(e: EngineEvent): void {
  if (converted || e.type !== 'file-done') return;
  converted = true;
  traceStartup('engine', 'a file began converting in a worker', performance.timeOrigin + performance.now() - e.ms);
}
