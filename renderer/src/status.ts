/**
 * The numbers a batch shows, derived once so that the state line, the bar, the tab title and
 * the announcements always agree: every file found ends as done, failed or skipped, and the bar
 * is their sum out of the known total.
 */
import type { BatchView } from '../../common/contract.js';

/** How a batch looks: `warn` = finished with failures, `error` = stopped, `muted` = cancelled. */
export type Tone = 'active' | 'paused' | 'ok' | 'warn' | 'error' | 'muted';

export interface Numbers {
  /** Files handled so far: converted + failed + skipped. */
  processed: number;
  /** Files the batch has (or will have, while it still scans) to handle. */
  total: number;
  /** True while `total` may still grow. */
  counting: boolean;
  /** 0..100, floor of processed / total (100 only once the batch finished normally). */
  percent: number;
  /** One line: scanning / converting / paused / cancelling / cancelled at N of M / finished / ... */
  line: string;
  tone: Tone;
  /** Seconds left, or null when unknown, paused or finished. */
  eta: number | null;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The batch's numbers. `expected` is the quick count of files in the batch's inputs (the
 * engine walks only as fast as it converts, so its own count lags until its scan ends).
 *
 * @example
 * numbersOf(batch, 3000).line // 'Cancelled at 748 of 3000 (24%)'
 */
export function numbersOf(b: BatchView, expected = 0): Numbers {
  const { done, failed, skipped } = b.counts;
  const processed = done + failed + skipped;
  const interrupted = !!b.interrupted || (!!b.finished && (b.finished.cancelled || !!b.finished.stopped));
  const exact = b.scan.done && !interrupted;
  const total = exact ? Math.max(b.scan.files, processed) : Math.max(b.scan.files, expected, processed);
  const finishedOk = !!b.finished && !interrupted;
  const percent = finishedOk ? 100 : total ? Math.min(100, Math.floor((100 * processed) / total)) : 0;
  const at = `${processed} of ${total}`;
  let line: string;
  let tone: Tone = 'active';
  if (b.interrupted) {
    line = `Stopped at ${at}: the engine process stopped`;
    tone = 'error';
  } else if (b.finished?.stopped) {
    line = `Stopped at ${at}: ${b.finished.stopped.reason}`;
    tone = 'error';
  } else if (b.finished?.cancelled) {
    line = `Cancelled at ${at} (${percent}%)`;
    tone = 'muted';
  } else if (b.finished) {
    line = failed ? `Finished with ${plural(failed, 'failure')}` : 'Finished';
    tone = failed ? 'warn' : 'ok';
  } else if (b.state === 'cancelling') line = `Cancelling at ${at}…`;
  else if (b.state === 'paused') {
    line = `Paused at ${at}`;
    tone = 'paused';
  } else if (b.state === 'scanning' && processed === 0 && b.lanes.every((l) => l === null)) line = 'Scanning…';
  else line = `Converting ${at}`;
  const rate = b.progress?.imagesPerSec ?? 0;
  const left = total - processed;
  const eta = b.finished || b.interrupted || b.state === 'paused' || b.state === 'cancelling' ? null : (b.progress?.etaSeconds ?? (rate > 0 && left > 0 ? left / rate : null));
  return { processed, total, counting: !exact && !b.finished && !b.interrupted, percent, line, tone, eta };
}

/** The tab title: `42% · PhotoPool` while a batch runs, the outcome after. */
export function titleOf(b: BatchView | null, n: Numbers | null): string {
  if (!b || !n) return 'PhotoPool';
  if (b.interrupted) return 'Stopped · PhotoPool';
  if (!b.finished) return `${b.state === 'paused' ? 'Paused ' : ''}${n.percent}% · PhotoPool`;
  if (n.tone === 'warn') return `Finished with failures · PhotoPool`;
  if (n.tone === 'ok') return 'Finished · PhotoPool';
  return `${n.tone === 'error' ? 'Stopped' : 'Cancelled'} · PhotoPool`;
}

/**
 * What a screen reader hears: start, each 10% step, failures as they first appear, the end.
 * Returns null when nothing new is worth saying since `last` (the previous announcement key).
 */
export function announcement(b: BatchView, n: Numbers, last: string | null): { key: string; text: string } | null {
  const step = Math.floor(n.percent / 10) * 10;
  const failures = b.counts.failed > 0 ? 'f' : '';
  const key = b.finished || b.interrupted ? `${b.batchId}:end` : `${b.batchId}:${step}${failures}`;
  if (key === last) return null;
  if (b.finished || b.interrupted) return { key, text: `${n.line}. ${b.counts.done} converted, ${b.counts.failed} failed, ${b.counts.skipped} skipped.` };
  if (!last?.startsWith(b.batchId)) return { key, text: `Batch started: ${n.total} files.` };
  if (failures && !last.endsWith('f')) return { key, text: `${plural(b.counts.failed, 'file')} failed so far.` };
  return { key, text: `${step}% done.` };
}
