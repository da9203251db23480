/**
 * Failed and skipped files: a virtualized list (thousands of rows stay fast) with a filter and
 * CSV/JSON export of what the filter shows.
 */
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { csvCell } from '../../../common/csv.js';
import { baseName } from '../format.js';
import { downloadText } from '../compare/data.js';

/** One row: a file, its outcome code, why, and (failures) what to do. */
export interface OutcomeRow {
  input: string;
  code: string;
  reason: string;
  hint?: string;
  detail?: string;
}

/** Rows as CSV (file, code, reason, hint, detail); a cell a spreadsheet would run as a formula is written as text. */
export function outcomesCsv(rows: OutcomeRow[]): string {
  return ['file,code,reason,hint,detail', ...rows.map((r) => [r.input, r.code, r.reason, r.hint, r.detail].map(csvCell).join(','))].join('\n') + '\n';
}

interface Props {
  /** `failed` or `skipped`: the heading, test ids and export file names. */
  kind: 'failed' | 'skipped';
  rows: OutcomeRow[];
  /** All of them, when more were counted than listed. */
  count: number;
  /** Changes whenever rows changed (they are mutated in place). */
  version: number;
}

/** The list of failed (warning colour) or skipped files of the batch. */
export function Outcomes({ kind, rows, count, version }: Props) {
  if (!count) return null;
  return <OutcomeList kind={kind} rows={rows} count={count} version={version} />;
}

function OutcomeList({ kind, rows, count, version }: Props) {
  const [filter, setFilter] = useState('');
  const scroller = useRef<HTMLDivElement>(null);
  const q = filter.trim().toLowerCase();
  const shown = useMemo(() => (q ? rows.filter((r) => `${r.input} ${r.code} ${r.reason}`.toLowerCase().includes(q)) : rows.slice()), [rows, q, version, rows.length]);
  const v = useVirtualizer({ count: shown.length, getScrollElement: () => scroller.current, estimateSize: () => (kind === 'failed' ? 56 : 36), overscan: 8 });
  const title = kind === 'failed' ? 'Failures' : 'Skipped';
  const file = `photopool-${kind}`;
  return (
    <section aria-labelledby={`${kind}-h`} className={`card outcomes ${kind === 'failed' && count ? 'tone-warn' : ''}`}>
      <h2 id={`${kind}-h`}>
        {title} <span className="muted">({count}{count > rows.length ? `, first ${rows.length} listed` : ''})</span>
      </h2>
      <div className="row">
        <label htmlFor={`${kind}-filter`}>Filter</label>
        <input id={`${kind}-filter`} type="search" placeholder="name, code or reason" value={filter} onChange={(e) => setFilter(e.target.value)} />
        <button type="button" disabled={!shown.length} onClick={() => downloadText(`${file}.csv`, 'text/csv', outcomesCsv(shown))} aria-label={`Export ${title.toLowerCase()} as CSV`}>
          Export CSV
        </button>
        <button type="button" disabled={!shown.length} onClick={() => downloadText(`${file}.json`, 'application/json', JSON.stringify(shown, null, 2))} aria-label={`Export ${title.toLowerCase()} as JSON`}>
          Export JSON
        </button>
      </div>
      <div ref={scroller} className="failures" role="list" aria-label={kind === 'failed' ? 'Failed files' : 'Skipped files'} tabIndex={0}>
        <div style={{ height: v.getTotalSize(), position: 'relative' }}>
          {v.getVirtualItems().map((item) => {
            const r = shown[item.index]!;
            return (
              <div
                key={item.key}
                role="listitem"
                data-testid={kind === 'failed' ? 'failure' : 'skipped'}
                className="failure"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)`, height: item.size }}
              >
                <span className="file" title={r.input}>
                  {baseName(r.input)}
                </span>
                <span className="reason">{r.reason}</span>
                {r.hint && <span className="hint muted">{r.hint}</span>}
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
