/** A chart as a PNG: title, the uPlot canvas and a legend on an opaque background. */
import type uPlot from 'uplot';

/**
 * Compose the plot's canvas with a title and legend and return a `data:image/png` URL.
 *
 * @example
 * downloadUrl('throughput.png', chartPng(plot, 'Throughput', [{ label: 'threads', color: '#2f7de1' }]));
 */
export function chartPng(u: uPlot, title: string, legend: { label: string; color: string }[]): string {
  const src = u.ctx.canvas;
  const dpr = src.width / Math.max(1, u.width);
  const head = Math.round(30 * dpr);
  const foot = Math.round(26 * dpr);
  const out = document.createElement('canvas');
  out.width = src.width;
  out.height = src.height + head + foot;
  const ctx = out.getContext('2d')!;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, out.width, out.height);
  ctx.fillStyle = '#1b1d21';
  ctx.font = `bold ${14 * dpr}px sans-serif`;
  ctx.fillText(title, 10 * dpr, 20 * dpr);
  ctx.drawImage(src, 0, head);
  ctx.font = `${12 * dpr}px sans-serif`;
  let x = 10 * dpr;
  const y = head + src.height + 17 * dpr;
  for (const item of legend) {
    ctx.fillStyle = item.color;
    ctx.fillRect(x, y - 9 * dpr, 14 * dpr, 4 * dpr);
    ctx.fillStyle = '#1b1d21';
    ctx.fillText(item.label, x + 18 * dpr, y);
    x += (26 + 7 * item.label.length) * dpr;
  }
  return out.toDataURL('image/png');
}
