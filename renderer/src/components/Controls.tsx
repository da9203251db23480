/** Convert / Pause / Resume / Cancel and the Workers control (applies mid-batch). */
import { useEffect, useRef } from 'react';
import type { BatchView } from '../../../common/contract.js';

interface Props {
  batch: BatchView | null;
  cores: number;
  workers: number;
  /** Why Convert cannot run now (nothing to convert, no output folder, a problem), or null. */
  blocked: string | null;
  onWorkers: (n: number) => void;
  onConvert: () => void;
  onPause: () => void;
  onResume: () => void;
  onCancel: () => void;
}

/** The batch buttons; each is enabled only when it applies. */
export function Controls({ batch, cores, workers, blocked, onWorkers, onConvert, onPause, onResume, onCancel }: Props) {
  const active = !!batch && batch.state !== 'done';
  const paused = batch?.state === 'paused';
  const max = 2 * cores;
  const pause = useRef<HTMLButtonElement>(null);
  const wantFocus = useRef(false);
  // after Convert, keyboard focus goes to Pause (Convert itself becomes disabled)
  useEffect(() => {
    if (active && wantFocus.current) {
      wantFocus.current = false;
      pause.current?.focus();
    }
  }, [active, batch?.batchId]);
  const reason = active ? null : blocked;
  return (
    <section aria-label="Batch controls" className="card controls">
      <div className="row">
        <button
          type="button"
          className="primary big"
          disabled={active || !!blocked}
          aria-describedby={reason ? 'convert-why' : undefined}
          onClick={() => {
            wantFocus.current = true;
            onConvert();
          }}
        >
          Convert
        </button>
        <button type="button" ref={pause} disabled={!active || paused || batch?.state === 'cancelling'} onClick={onPause}>
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
      {reason && (
        <p className="muted" id="convert-why" data-testid="convert-why">
          {reason}
        </p>
      )}
    </section>
  );
}
