/** The finish: what the batch did (counts, time, speed, sizes, space saved) and what to do next. */
import { FinishActions } from './FinishActions.js';
import type { BatchView, PhotoPoolApi } from '../../../common/contract.js';
import { bytes, duration, rate } from '../format.js';
import type { Numbers } from '../status.js';

interface Props {
  api: PhotoPoolApi<File>;
  batch: BatchView;
  numbers: Numbers;
  /** Convert the failed files again (same recipe, output folder and names); null when it cannot. */
  onRetry: (() => void) | null;
}

/** Percentage of the input size saved by the outputs, e.g. `83%` (negative when they grew). */
export function savedPercent(inputBytes: number, outputBytes: number): string {
  if (!inputBytes) return '–';
  return `${Math.round((100 * (inputBytes - outputBytes)) / inputBytes)}%`;
}

/** The summary card of a finished batch. */
export function Summary({ api, batch, numbers, onRetry }: Props) {
  const f = batch.finished;
  if (!f) return null;
  const t = f.totals;
  return (
    <section aria-labelledby="summary-h" className={`card summary tone-${numbers.tone}`} data-testid="summary">
      <h2 id="summary-h">{numbers.line}</h2>
      <dl className="stats">
        <div>
          <dt>Converted</dt>
          <dd data-testid="count-done">{t.done}</dd>
        </div>
        <div className={t.failed ? 'warn' : undefined}>
          <dt>Failed</dt>
          <dd data-testid="count-failed">{t.failed}</dd>
        </div>
        <div>
          <dt>Skipped</dt>
          <dd data-testid="count-skipped">{t.skipped}</dd>
        </div>
        {numbers.total > numbers.processed && (
          <div>
            <dt>Not converted</dt>
            <dd data-testid="count-left">{numbers.total - numbers.processed}</dd>
          </div>
        )}
        <div>
          <dt>Time</dt>
          <dd>{duration(t.elapsedMs / 1000)}</dd>
        </div>
        <div>
          <dt>images/s</dt>
          <dd>{rate(t.imagesPerSec)}</dd>
        </div>
        <div>
          <dt>Input size</dt>
          <dd>{bytes(t.inputBytes)}</dd>
        </div>
        <div>
          <dt>Output size</dt>
          <dd>{bytes(t.outputBytes)}</dd>
        </div>
        <div>
          <dt>Saved</dt>
          <dd data-testid="summary-saved">{savedPercent(t.inputBytes, t.outputBytes)}</dd>
        </div>
      </dl>
      {batch.byLane.luma + batch.byLane.colour + batch.byLane.sharp > 0 && (
        <p className="muted" data-testid="summary-lanes">
          Converted by libjpeg-turbo's fast luma lane: {batch.byLane.luma} · its fast colour lane: {batch.byLane.colour} · by sharp (libvips): {batch.byLane.sharp}
        </p>
      )}
      <p className="muted">
        Output folder: <span className="path" data-testid="summary-output">{batch.spec.output}</span>
      </p>
      <div className="row">
        <FinishActions api={api} batchId={batch.batchId} />
        {onRetry && t.failed > 0 && (
          <button type="button" className="primary" onClick={onRetry}>
            Retry failed
          </button>
        )}
      </div>
      {onRetry && t.failed > 0 && <p className="muted">Retry converts the failed files again with the same recipe, into the same folder under the same names; converted files are kept and skipped.</p>}
    </section>
  );
}
