/** Convert / Pause / Resume / Cancel and the Workers control (applies mid-batch). */
import type { BatchView } from '../../../common/contract.js';

interface Props {
  batch: BatchView | null;
  cores: number;
  workers: number;
  canConvert: boolean;
  onWorkers: (n: number) => void;
  onConvert: () => void;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

/** The batch buttons; each is enabled only when it applies. */
export function Controls({ batch, cores, workers, canConvert, onWorkers, onConvert, onPause, onResume, onCancel }: Props) {
  const active = !!batch && batch.state !== 'done';
  const paused = batch?.state === 'paused';
  const max = 2 * cores;
  return (
    <section aria-label="Batch controls" className="card controls">
      <div className="row">
        <button type="button" className="primary" disabled={active || !canConvert} onClick={onConvert}>
          Convert
        </button>
        <button type="button" disabled={!active || paused || batch?.state === 'cancelling'} onClick={onPause}>
          Pause
        </button>
        <button type="button" disabled={!paused} onClick={onResume}>
          Resume
        </button>
        <button type="button" disabled={!active || batch?.state === 'cancelling'} onClick={onCancel}>
          Cancel
        </button>
        <label htmlFor="workers">Workers</label>
        <input
          id="workers"
          type="number"
          min={1}
          max={max}
          value={workers}
          onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 1 && n <= max) onWorkers(n);
          }}
        />
        <input
          type="range"
          aria-label="Workers slider"
          min={1}
          max={max}
          value={workers}
          onChange={(e) => onWorkers(Number(e.target.value))}
        />
        <span className="muted" data-testid="cores">
          {cores} cores (max {max})
        </span>
      </div>
    </section>
  );
}
