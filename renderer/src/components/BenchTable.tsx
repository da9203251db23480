/** The comparison table: one row per model x workers, the CLI's columns. */
import type { BenchRow } from '../../../common/bench.js';

const fmt = (x: number | null, d = 2) => (x === null || !Number.isFinite(x) ? '–' : x.toFixed(d));

/** The rows as a table (cells carry `data-col` with the CSV column name). */
export function BenchTable({ rows }: { rows: BenchRow[] }) {
  return (
    <>
    <table className="bench-table" aria-label="Comparison results">
      <thead>
        <tr>
          <th scope="col">model</th>
          <th scope="col">workers</th>
          <th scope="col">median s (min–max)</th>
          <th scope="col">images/s</th>
          <th scope="col">MP/s</th>
          <th scope="col">speed-up</th>
          <th scope="col">efficiency</th>
          <th scope="col">CPU %</th>
          <th scope="col">peak MiB</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={`${r.model}-${r.workers}`} data-testid="bench-row" className={r.disturbed ? 'disturbed' : undefined}>
            <th scope="row" data-col="model" title={r.disturbed ? 'disturbed: other load shared the machine during a run' : undefined}>
              {r.model}
              {r.disturbed ? <span className="error"> *</span> : ''}
            </th>
            <td data-col="workers">{r.workers}</td>
            <td data-col="medianS">
              {fmt(r.medianS)} <span className="muted">({fmt(r.minS)}–{fmt(r.maxS)})</span>
            </td>
            <td data-col="imagesPerSec">{fmt(r.imagesPerSec, 1)}</td>
            <td data-col="mpPerSec">{fmt(r.mpPerSec, 1)}</td>
            <td data-col="speedup">{r.speedup === null ? '–' : `${fmt(r.speedup)}x`}</td>
            <td data-col="efficiency">{r.efficiency === null ? '–' : `${Math.round(r.efficiency * 100)}%`}</td>
            <td data-col="cpuPercent">{Math.round(r.cpuPercent)}</td>
            <td data-col="peakRssMiB">{Math.round(r.peakRssMiB)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    {rows.some((r) => r.disturbed) && <p className="muted"><span className="error">*</span> disturbed: other load shared the machine during a run.</p>}
    </>
  );
}
