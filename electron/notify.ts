/**
 * While a batch runs the taskbar/dock icon shows its progress (setProgressBar); when it ends a
 * system notification says how it went (clicking it brings the window back).
 */
import { Notification, type BrowserWindow } from 'electron';
import type { EngineEvent } from '../common/events.js';

/**
 * Follow engine events for `win()`; returns the listener to give the session's `engine` events.
 *
 * @example
 * const onEngine = batchFeedback(() => win);
 * session.subscribe((name, payload) => name === 'engine' && onEngine(payload));
 */
export function batchFeedback(win: () => BrowserWindow | null): (e: EngineEvent) => void {
  return (e) => {
    const w = win();
    if (!w || w.isDestroyed()) return;
    if (e.type === 'progress' && e.total > 0) w.setProgressBar(Math.min(1, (e.done + e.failed + e.skipped) / (e.total + e.skipped)), { mode: e.state === 'paused' ? 'paused' : 'normal' });
    if (e.type !== 'done') return;
    w.setProgressBar(-1);
    if (!Notification.isSupported()) return;
    const t = e.totals;
    const title = e.cancelled ? 'PhotoPool: batch cancelled' : e.stopped ? 'PhotoPool: batch stopped' : t.failed ? 'PhotoPool: finished with failures' : 'PhotoPool: batch finished';
    const body = `${t.done} converted, ${t.failed} failed, ${t.skipped} skipped in ${(t.elapsedMs / 1000).toFixed(1)} s` + (e.stopped ? `. ${e.stopped.reason}` : '');
    const n = new Notification({ title, body });
    n.on('click', () => {
      w.show();
      w.focus();
    });
    n.show();
  };
}
