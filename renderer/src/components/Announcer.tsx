/**
 * The screen-reader announcer (an `aria-live` region) and the tab title, in a component of their
 * own: a new announcement (the start, each 10%, the first failures, the end) re-renders this
 * element alone. As App's state it re-rendered the whole page right after the redraw that crossed
 * each 10%, doubling the page's redraws during a batch (BENCHMARKS.md "UI and bench, session 6").
 */
import type { BatchView } from '../../../common/contract.js';
import { useBatchAnnouncements } from '../announce.js';
import type { Numbers } from '../status.js';

/**
 * @example
 * <Announcer batch={batch} numbers={numbers} expected={120} />
 */
export function Announcer({ batch, numbers, expected }: { batch: BatchView | null; numbers: Numbers | null; expected: number }) {
  const announced = useBatchAnnouncements(batch, numbers, expected);
  return (
    <div className="sr-only" aria-live="polite" data-testid="announcer">
      {announced}
    </div>
  );
}
