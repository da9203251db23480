/** Live view of the batch: one state line, the bar, counts that add up, rates, ETA and lanes. */
import type { BatchView } from '../../../common/contract.js';
import { baseName, duration, rate } from '../format.js';
import { ClusterLanes } from './ClusterLanes.js';
import type { Numbers } from '../status.js';

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The live numbers and lanes of a batch (`numbers` from status.ts). */
export function LiveView({ batch, numbers }: { batch: BatchView; numbers: Numbers }) {
  const { percent, total, processed, line, tone, eta, counting } = numbers;
  const p = batch.progress;
  // lanes that converted something stay listed after the pool shrank (their counts add up)
  const laneCount = Math.max(batch.workers, batch.lanes.findLastIndex((l) => l !== null) + 1, batch.laneDone.findLastIndex((n) => n > 0) + 1);
  const perSize = Object.entries(batch.byWorkers).sort((a, b) => Number(a[0]) - Number(b[0]));
  const paused = batch.state === 'paused';
  return (
    <section aria-labelledby="live-h" className={`card live tone-${tone}`}>
      <h2 id="live-h">
        Batch — <span data-testid="state">{line}</span>
      </h2>
      {batch.finished?.stopped && <p className="error">{batch.finished.stopped.hint}</p>}
      <div
        className="progress"
        role="progressbar"
        aria-label="Batch progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${line}`}
      >
        <div className="bar" style={{ width: `${percent}%` }} />
        <span className="pct">{percent}%</span>
      </div>
      {!batch.finished && (
        <dl className="stats">
          <div>
            <dt>Converted</dt>
            <dd data-testid="count-done">{batch.counts.done}</dd>
          </div>
          <div className={batch.counts.failed ? 'warn' : undefined}>
            <dt>Failed</dt>
            <dd data-testid="count-failed">{batch.counts.failed}</dd>
          </div>
          <div>
            <dt>Skipped</dt>
            <dd data-testid="count-skipped">{batch.counts.skipped}</dd>
          </div>
          <div>
            <dt>Left</dt>
            <dd data-testid="count-left">{Math.max(0, total - processed)}</dd>
          </div>
          <div>
            <dt>Files</dt>
            <dd data-testid="count-total" title={counting ? 'Still counting: the folders are walked as the batch goes' : undefined}>
              {total}
              {counting ? '+' : ''}
            </dd>
          </div>
          <div>
            <dt>images/s</dt>
            <dd>{paused ? '–' : rate(p?.imagesPerSec)}</dd>
          </div>
          <div>
            <dt>ETA</dt>
            <dd data-testid="eta">{paused ? 'paused' : duration(eta)}</dd>
          </div>
          <div>
            <dt>Elapsed</dt>
            <dd>{duration((p?.elapsedMs ?? 0) / 1000)}</dd>
          </div>
        </dl>
      )}
      {perSize.length > 0 && (
        <p className="muted" data-testid="by-workers">
          Converted at each pool size: {perSize.map(([w, n]) => `${plural(Number(w), 'worker')}: ${n}`).join(' · ')}
        </p>
      )}
      <ol className="lanes" aria-label="Worker lanes">
        {Array.from({ length: laneCount }, (_, i) => {
          const file = batch.lanes[i] ?? null;
          return (
            <li key={i} data-testid="lane" className={file ? 'busy' : 'idle'}>
              <span className="lane-name">Worker {i + 1}</span>
              <span className="lane-file" title={file ?? ''}>
                {file ? baseName(file) : i >= batch.workers ? 'removed' : batch.finished ? 'finished' : 'idle'}
              </span>
              <span className="muted">{batch.laneDone[i] ?? 0} done</span>
            </li>
          );
        })}
      </ol>
      <ClusterLanes batch={batch} />
    </section>
  );
}
