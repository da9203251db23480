/** Failures: a virtualized list (thousands of rows stay fast) with CSV/JSON export. */
import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { FailureRow } from '../../../common/contract.js';
import { csvCell } from '../../../common/csv.js';
import { baseName } from '../format.js';

/** Failures as CSV (file, code, reason, hint, detail). */
export function failuresCsv(rows: FailureRow[]): string {
  return ['file,code,reason,hint,detail', ...rows.map((r) => [r.input, r.code, r.reason, r.hint, r.detail].map(csvCell).join(','))].join('\n') + '\n';
}

function download(name: string, type: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The failures of the batch; `version` triggers a re-measure. */
export function Failures({ rows, version }: { rows: FailureRow[]; version: number }) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 56, overscan: 8 });
  void version;
  return (
    <section aria-labelledby="fail-h" className="card">
      <h2 id="fail-h">
        Failures <span className="muted">({rows.length})</span>
      </h2>
      <div className="row">
        <button type="button" disabled={!rows.length} onClick={() => download('photopool-failures.csv', 'text/csv', failuresCsv(rows))}>
          Export CSV
        </button>
        <button type="button" disabled={!rows.length} onClick={() => download('photopool-failures.json', 'application/json', JSON.stringify(rows, null, 2))}>
          Export JSON
        </button>
      </div>
      <div ref={scroller} className="failures" role="list" aria-label="Failed files" tabIndex={0}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = rows[item.index]!;
            return (
              <div
                key={item.key}
                role="listitem"
                data-testid="failure"
                className="failure"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, height: item.size }}
              >
                <span className="file" title={r.input}>
                  {baseName(r.input)}
                </span>
                <span className="reason">{r.reason}</span>
                <span className="hint muted">{r.hint}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
