/**
 * Browser mode's "batch ended" notification (Electron main notifies natively): permission is
 * asked once, when a first batch starts; the notification shows when the batch finishes while
 * the page is hidden.
 */
import { useEffect, useRef } from 'react';
import type { BatchView } from '../../common/contract.js';

/**
 * @example
 * useFinishNotification(snapshot?.batch ?? null, api.platform === 'browser');
 */
export function useFinishNotification(batch: BatchView | null, enabled: boolean): void {
  const seen = useRef<string | null>(null);
  const running = !!batch && batch.state !== 'done';
  const finished = !!batch?.finished || !!batch?.interrupted;
  useEffect(() => {
    if (!enabled || typeof Notification === 'undefined' || !batch) return;
    if (running && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined);
    if (!finished || seen.current === batch.batchId) return;
    const first = seen.current === null && !running && document.visibilityState === 'visible';
    seen.current = batch.batchId;
    if (first || Notification.permission !== 'granted' || document.visibilityState === 'visible') return;
    const t = batch.finished?.totals;
    const title = batch.interrupted ? 'PhotoPool: batch stopped' : batch.finished?.cancelled ? 'PhotoPool: batch cancelled' : t?.failed ? 'PhotoPool: finished with failures' : 'PhotoPool: batch finished';
    new Notification(title, { body: t ? `${t.done} converted, ${t.failed} failed, ${t.skipped} skipped` : (batch.interrupted ?? '') });
  }, [enabled, batch, batch?.batchId, running, finished]);
}
