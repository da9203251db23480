/** Batch side effects outside the React tree: the tab title and screen-reader announcements. */
import { useEffect, useRef, useState } from 'react';
import type { BatchView } from '../../common/contract.js';
import { announcement, numbersOf, titleOf, type Numbers } from './status.js';

/**
 * Keep `document.title` on the batch's progress ("42% · PhotoPool") and return the latest
 * announcement for an `aria-live` region (start, each 10%, first failures, the end).
 */
export function useBatchAnnouncements(batch: BatchView | null, numbers: Numbers | null, expected: number): string {
  const last = useRef<string | null>(null);
  const [text, setText] = useState('');
  const title = titleOf(batch, numbers);
  useEffect(() => {
    document.title = title;
  }, [title]);
  useEffect(() => {
    if (!batch) return;
    if (last.current === null && batch.finished) {
      last.current = `${batch.batchId}:end`; // a page opened after the end says nothing
      return;
    }
    // the batch is updated in place: read it now, not as it was when this render began
    const a = announcement(batch, numbersOf(batch, expected), last.current);
    if (!a) return;
    last.current = a.key;
    setText(a.text);
  });
  return text;
}
