/** A uPlot line chart by worker count, one line per model, with optional batch reference points. */
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { COLORS, type BatchPoint, type Lines } from '../compare/data.js';
import { chartPng } from '../compare/png.js';

interface Props {
  title: string;
  yLabel: string;
  data: Lines;
  /** The batch's measured points, drawn as markers; the current one carries `label`. */
  reference?: { points: BatchPoint[]; label: string | null };
  testId: string;
}

/** What a parent can do with the chart. */
export interface BenchChartHandle {
  /** The chart (with title and legend) as a PNG data URL, or null before it is drawn. */
  png(): string | null;
}

const HEIGHT = 220;

/** The chart; re-created whenever its data changes (a few times per comparison). */
export const BenchChart = forwardRef<BenchChartHandle, Props>(function BenchChart({ title, yLabel, data, reference, testId }, ref) {
  const host = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const legend = [...data.lines.map((l) => ({ label: l.label, color: COLORS[l.label] ?? '#888' })), ...(reference?.label ? [{ label: reference.label, color: COLORS.batch! }] : [])];
  useImperativeHandle(ref, () => ({ png: () => (plot.current ? chartPng(plot.current, title, legend) : null) }));
  const key = JSON.stringify([data, reference]);

  useEffect(() => {
    const el = host.current;
    if (!el || !data.xs.length) return;
    const dark = window.matchMedia?.('(prefers-color-scheme: dark)').matches;
    const axis = { stroke: dark ? '#ccc' : '#333', grid: { stroke: dark ? '#333' : '#e5e5e5' } };
    const refValues = data.xs.map((x) => reference?.points.find((p) => p.workers === x)?.imagesPerSec ?? null);
    const hasRef = !!reference?.points.length;
    const series: uPlot.Series[] = [
      { label: 'workers' },
      ...data.lines.map((l) => ({ label: l.label, stroke: COLORS[l.label] ?? '#888', width: 2, spanGaps: true, points: { show: true, size: 7 } })),
      ...(hasRef ? [{ label: 'batch', stroke: COLORS.batch, paths: () => null, points: { show: true, size: 11, fill: COLORS.batch } }] : []),
    ];
    const opts: uPlot.Options = {
      width: Math.max(300, el.clientWidth),
      height: HEIGHT,
      series,
      legend: { show: false },
      scales: { x: { time: false, range: (_u, min, max) => [Math.max(0, min - 0.5), max + 0.5] }, y: { range: (_u, _min, max) => [0, (max || 1) * 1.15] } },
      axes: [
        { ...axis, label: 'workers', splits: () => data.xs },
        { ...axis, label: yLabel },
      ],
      hooks: {
        draw: [
          (u) => {
            const current = reference?.points.find((p) => p.current);
            if (!current || !reference?.label) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = COLORS.batch!;
            ctx.font = `${12 * devicePixelRatio}px sans-serif`;
            const x = u.valToPos(current.workers, 'x', true);
            const y = u.valToPos(current.imagesPerSec, 'y', true);
            const w = ctx.measureText(reference.label).width;
            const right = x + 10 * devicePixelRatio + w < u.bbox.left + u.bbox.width;
            ctx.textAlign = right ? 'left' : 'right';
            ctx.fillText(reference.label, x + (right ? 10 : -10) * devicePixelRatio, y - 8 * devicePixelRatio);
            ctx.restore();
          },
        ],
      },
    };
    const values = [data.xs, ...data.lines.map((l) => l.values), ...(hasRef ? [refValues] : [])] as uPlot.AlignedData;
    const u = new uPlot(opts, values, el);
    plot.current = u;
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(300, el.clientWidth), height: HEIGHT }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
      if (plot.current === u) plot.current = null;
    };
  }, [key, yLabel]);

  return (
    <figure className="bench-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <div ref={host} className="chart" role="img" aria-label={`${title}: ${data.lines.map((l) => l.label).join(', ') || 'no rows yet'}${reference?.label ? `; ${reference.label}` : ''}`} />
      <ul className="legend" aria-hidden="true">
        {legend.map((l) => (
          <li key={l.label}>
            <span className="swatch" style={{ background: l.color }} />
            {l.label}
          </li>
        ))}
      </ul>
    </figure>
  );
});
