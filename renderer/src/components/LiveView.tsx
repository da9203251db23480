/** Live view of the batch: progress bar, counts, rates, ETA and one lane per worker. */
import type { BatchView } from '../../../common/contract.js';
import { baseName, duration, rate } from '../format.js';

/**
 * Images the batch will process: the engine's count once its scan finished; while it still
 * scans (it walks only as fast as it converts), the quick pre-count of the added folders.
 */
export function totalOf(b: BatchView, expected: number): number {
  const found = Math.max(b.scan.images, b.progress?.total ?? 0);
  return b.scan.done ? found : Math.max(found, expected);
}

/** Percent of the found images processed (100 once the batch finished normally). */
export function percent(b: BatchView, expected = 0): number {
  if (b.finished && !b.finished.cancelled && !b.finished.stopped) return 100;
  const total = totalOf(b, expected);
  if (!total) return 0;
  return Math.min(100, Math.floor(((b.counts.done + b.counts.failed) / total) * 100));
}

/** The live numbers and lanes of a batch. */
export function LiveView({ batch, expected }: { batch: BatchView; expected: number }) {
  const pct = percent(batch, expected);
  const p = batch.progress;
  const total = totalOf(batch, expected);
  const left = total - batch.counts.done - batch.counts.failed;
  const eta = p?.etaSeconds ?? (p && p.imagesPerSec > 0 && left > 0 ? left / p.imagesPerSec : null);
  const laneCount = Math.max(batch.workers, batch.lanes.findLastIndex((l) => l !== null) + 1);
  const status = batch.finished
    ? batch.finished.stopped
      ? `Stopped: ${batch.finished.stopped.reason}. ${batch.finished.stopped.hint}`
      : batch.finished.cancelled
        ? 'Cancelled'
        : 'Finished'
    : batch.state;
  return (
    <section aria-labelledby="live-h" className="card">
      <h2 id="live-h">
        Batch <span className="muted">{batch.batchId}</span> — <span data-testid="state">{status}</span>
      </h2>
      <div className="progress" role="progressbar" aria-label="Batch progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="bar" style={{ width: `${pct}%` }} />
        <span className="pct">{pct}%</span>
      </div>
      <dl className="stats">
        <div>
          <dt>Done</dt>
          <dd data-testid="count-done">{batch.counts.done}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-testid="count-failed">{batch.counts.failed}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="count-skipped">{batch.counts.skipped}</dd>
        </div>
        <div>
          <dt>Images</dt>
          <dd>{total}{batch.scan.done ? '' : ' (counting)'}</dd>
        </div>
        <div>
          <dt>images/s</dt>
          <dd>{rate(batch.finished ? batch.finished.totals.imagesPerSec : p?.imagesPerSec)}</dd>
        </div>
        <div>
          <dt>MP/s</dt>
          <dd>{rate(batch.finished ? batch.finished.totals.mpPerSec : p?.mpPerSec)}</dd>
        </div>
        <div>
          <dt>ETA</dt>
          <dd>{batch.finished ? '–' : duration(eta)}</dd>
        </div>
        <div>
          <dt>Elapsed</dt>
          <dd>{duration((batch.finished?.totals.elapsedMs ?? p?.elapsedMs ?? 0) / 1000)}</dd>
        </div>
      </dl>
      <ol className="lanes" aria-label="Worker lanes">
        {Array.from({ length: laneCount }, (_, i) => {
          const file = batch.lanes[i] ?? null;
          return (
            <li key={i} data-testid="lane" className={file ? 'busy' : 'idle'}>
              <span className="lane-name">Worker {i + 1}</span>
              <span className="lane-file" title={file ?? ''}>
                {file ? baseName(file) : i >= batch.workers ? 'stopped' : 'idle'}
              </span>
              <span className="muted">{batch.laneDone[i] ?? 0} done</span>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
