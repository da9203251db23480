/**
 * Throughput over time (uPlot): images/s and MP/s, a dashed marker at every pool-size change,
 * shaded pauses, and the values under the pointer. One plot for the page's life: a new batch only
 * replaces its data (creating a plot, its canvases and layers, was part of what Chromium drew as a
 * batch starts, while the workers start too: BENCHMARKS.md "UI and bench, session 6").
 */
import { useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { BatchView } from '../../../common/contract.js';

const HEIGHT = 180;

/** The chart; `version` changes whenever the batch data did. */
export function Chart({ batch, version }: { batch: BatchView; version: number }) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const marks = useRef({ changes: batch.poolChanges, pauses: batch.pauses });
  marks.current = { changes: batch.poolChanges, pauses: batch.pauses };
  /** The values under the pointer, and where the pointer is (CSS px from the plot's left: tests wait for it). */
  const [hover, setHover] = useState<{ text: string | null; left: number } | null>(null);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#ccc' : '#333', grid: { stroke: dark ? '#333' : '#e5e5e5' } };
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      legend: { show: false },
      series: [
        { label: 's' },
        { label: 'images/s', stroke: '#2f7de1', width: 2 },
        { label: 'MP/s', stroke: '#e18a2f', width: 2, scale: 'mp' },
      ],
      axes: [{ ...axis, label: 'seconds' }, { ...axis, label: 'images/s' }, { ...axis, side: 1, scale: 'mp', label: 'MP/s' }],
      scales: { x: { time: false } },
      hooks: {
        setCursor: [
          (u) => {
            const i = u.cursor.idx;
            const left = Math.round(u.cursor.left ?? -1);
            if (i === null || i === undefined) return setHover({ text: null, left });
            const [t, ips, mps] = [u.data[0][i], u.data[1]?.[i], u.data[2]?.[i]];
            setHover({ text: `at ${t?.toFixed(1)} s: ${ips?.toFixed(1) ?? '–'} images/s · ${mps?.toFixed(1) ?? '–'} MP/s`, left });
          },
        ],
        draw: [
          (u) => {
            const ctx = u.ctx;
            const dpr = devicePixelRatio;
            const xOf = (t: number) => u.valToPos(t, 'x', true);
            const right = u.bbox.left + u.bbox.width;
            ctx.save();
            ctx.font = `${12 * dpr}px sans-serif`;
            ctx.fillStyle = dark ? 'rgba(200,200,200,0.15)' : 'rgba(90,90,90,0.12)';
            for (const p of marks.current.pauses) {
              const x0 = Math.max(u.bbox.left, xOf(p.t));
              const x1 = Math.min(right, p.until === null ? right : xOf(p.until));
              if (x1 <= x0) continue;
              ctx.fillRect(x0, u.bbox.top, x1 - x0, u.bbox.height);
              ctx.fillStyle = dark ? '#ccc' : '#555';
              ctx.fillText('paused', x0 + 4 * dpr, u.bbox.top + u.bbox.height - 6 * dpr);
              ctx.fillStyle = dark ? 'rgba(200,200,200,0.15)' : 'rgba(90,90,90,0.12)';
            }
            ctx.strokeStyle = '#c0392b';
            ctx.fillStyle = '#c0392b';
            ctx.setLineDash([4, 4]);
            for (const c of marks.current.changes) {
              const x = xOf(c.t);
              if (x < u.bbox.left || x > right) continue;
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.fillText(`${c.previous}→${c.workers}`, x + 4, u.bbox.top + 14 * dpr);
            }
            ctx.restore();
          },
        ],
      },
    };
    plot.current = new uPlot(opts, [[], [], []], el);
    const ro = new ResizeObserver(() => plot.current?.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    const s = batch.series;
    plot.current?.setData([s.t.slice(), s.imagesPerSec.slice(), s.mpPerSec.slice()]);
  }, [batch, version]);

  const last = batch.series.imagesPerSec.length - 1;
  const latest = last >= 0 ? `latest, at ${batch.series.t[last]!.toFixed(1)} s: ${batch.series.imagesPerSec[last]!.toFixed(1)} images/s · ${batch.series.mpPerSec[last]!.toFixed(1)} MP/s` : 'no samples yet';
  return (
    <section aria-labelledby="chart-h" className="card">
      <h2 id="chart-h">Throughput</h2>
      <div ref={host} className="chart" role="img" aria-label={`Throughput over time; ${batch.poolChanges.length} pool-size changes and ${batch.pauses.length} pauses marked`} />
      <p className="chart-readout" data-testid="chart-readout" data-cursor-left={hover?.left}>
        <span className="swatch" style={{ background: '#2f7de1' }} /> images/s <span className="swatch" style={{ background: '#e18a2f' }} /> MP/s — {hover?.text ?? latest}
      </p>
      <ul className="pool-changes" aria-label="Pool-size changes and pauses">
        {batch.poolChanges.map((c, i) => (
          <li key={`c${i}`} data-testid="pool-change">
            at {c.t.toFixed(1)} s: {c.previous} → {c.workers} workers
          </li>
        ))}
        {batch.pauses.map((p, i) => (
          <li key={`p${i}`} data-testid="pause-mark">
            paused at {p.t.toFixed(1)} s{p.until === null ? '' : ` for ${(p.until - p.t).toFixed(1)} s`}
          </li>
        ))}
      </ul>
    </section>
  );
}
