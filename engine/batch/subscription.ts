/**
 * What a client asked to hear (common/events.ts EventLevel), applied where the engine host sends
 * events: a client that shows totals, not files, is spared a message per file start and end.
 */
import type { EngineEvent, EventLevel } from '../../common/events.js';

/**
 * A filter for one batch's events at `level`: true for an event the client gets. The first
 * `file-start` always passes (start-up is timed to it).
 *
 * @param level default `all`: every event passes
 * @example
 * const wanted = eventFilter('summary');
 * onEvent = (e) => wanted(e) && send(e);
 */
export function eventFilter(level: EventLevel = 'all'): (e: EngineEvent) => boolean {
  if (level === 'all') return () => true;
  let started = false;
  return (e) => {
    if (e.type === 'file-start') return started ? false : (started = true);
    if (e.type === 'file-done') return !!(e.renamed || e.warnings || e.quality !== undefined || e.remote);
    if (e.type === 'file-skipped') return e.code !== 'done-before'; // counted in progress and totals (doneBefore)
    return true;
  };
}
