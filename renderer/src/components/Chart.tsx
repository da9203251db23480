/** Throughput over time (uPlot): images/s and MP/s, with a marker at every pool-size change. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BatchView } from '../../../common/contract.js';

/** The chart; `version` changes whenever the batch data did. */
export function Chart({ batch, version }: { batch: BatchView; version: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const changes = useRef(batch.poolChanges);
  changes.current = batch.poolChanges;

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#ccc' : '#333', grid: { stroke: dark ? '#333' : '#e5e5e5' } };
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: 180,
      series: [
        { label: 's' },
        { label: 'images/s', stroke: '#2f7de1', width: 2 },
        { label: 'MP/s', stroke: '#e18a2f', width: 2, scale: 'mp' },
      ],
      axes: [{ ...axis }, { ...axis, label: 'images/s' }, { ...axis, side: 1, scale: 'mp', label: 'MP/s' }],
      scales: { x: { time: false } },
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#c0392b';
            ctx.fillStyle = '#c0392b';
            ctx.setLineDash([4, 4]);
            ctx.font = `${12 * devicePixelRatio}px sans-serif`;
            for (const c of changes.current) {
              const x = u.valToPos(c.t, 'x', true);
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillText(`${c.previous}→${c.workers}`, x + 4, u.bbox.top + 14 * devicePixelRatio);
            }
            ctx.restore();
          },
        ],
      },
    };
    plot.current = new uPlot(opts, [[], [], []], el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: 180 }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [batch.batchId]);

  useEffect(() => {
    const s = batch.series;
    plot.current?.setData([s.t.slice(), s.imagesPerSec.slice(), s.mpPerSec.slice()]);
  }, [batch, version]);

  return (
    <section aria-labelledby="chart-h" className="card">
      <h2 id="chart-h">Throughput</h2>
      <div ref={host} className="chart" role="img" aria-label={`Throughput over time; ${batch.poolChanges.length} pool-size changes marked`} />
      <ul className="pool-changes" aria-label="Pool-size changes">
        {batch.poolChanges.map((c, i) => (
          <li key={i} data-testid="pool-change">
            at {c.t.toFixed(1)} s: {c.previous} → {c.workers} workers
          </li>
        ))}
      </ul>
    </section>
  );
}
