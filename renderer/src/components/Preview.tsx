/**
 * Preview: a virtualized strip of the batch's converted files and a before/after slider of the
 * chosen one (inputs the browser cannot show, such as TIFF or HEIC, are rendered by the app),
 * once the batch is paused or finished; while it converts, the newest output only
 * (LivePreview.tsx: nothing that would take the batch's CPU).
 * Before a batch: one sample input through the current recipe, and the estimated output size.
 */
import { useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { DoneRow, Estimate, PhotoPoolApi, Preview as Rendered, PreviewJob } from '../../../common/contract.js';
import { baseName, bytes } from '../format.js';
import { BeforeAfter } from './BeforeAfter.js';
import { LivePreview, SHOWN } from './LivePreview.js';

/** An image of `path` the page can show: the file itself when the browser can, else rendered by the app. */
function useImage(api: PhotoPoolApi<File>, path: string | null, direct: boolean): { src: string | null; onError: () => void; error: string | null } {
  const [rendered, setRendered] = useState<{ path: string; src: string | null; error: string | null } | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  const useDirect = !!path && direct && SHOWN.test(path) && failed !== path;
  useEffect(() => {
    if (!path || useDirect || rendered?.path === path) return;
    let live = true;
    api.renderPreview({ path }).then(
      (r) => live && setRendered({ path, src: r.image, error: null }),
      (e: Error) => live && setRendered({ path, src: null, error: e.message }),
    );
    return () => void (live = false);
  }, [api, path, useDirect]);
  if (!path) return { src: null, onError: () => undefined, error: null };
  if (useDirect) return { src: api.fileUrl(path), onError: () => setFailed(path), error: null };
  const r = rendered?.path === path ? rendered : null;
  return { src: r?.src ?? null, onError: () => undefined, error: r?.error ?? null };
}

/** Thumbnails of the converted files, newest first (only the visible ones are in the page). */
function Strip({ api, rows, selected, onSelect }: { api: PhotoPoolApi<File>; rows: DoneRow[]; selected: string | null; onSelect: (r: DoneRow) => void }) {
  const scroller = useRef<HTMLDivElement>(null);
  // keyed by file: a new file at the head adds one thumbnail instead of reloading every visible one
  const v = useVirtualizer({ horizontal: true, count: rows.length, getScrollElement: () => scroller.current, estimateSize: () => 92, overscan: 4, getItemKey: (i) => rows[i]!.output });
  return (
    <div ref={scroller} className="strip" role="listbox" aria-label="Converted files" aria-orientation="horizontal">
      <div style={{ width: v.getTotalSize(), height: '100%', position: 'relative' }}>
        {v.getVirtualItems().map((item) => {
          const r = rows[item.index]!;
          const on = r.output === selected;
          return (
            <button
              key={item.key}
              type="button"
              role="option"
              aria-selected={on}
              data-testid="thumb"
              className={`thumb${on ? ' on' : ''}`}
              title={baseName(r.output)}
              style={{ position: 'absolute', top: 0, left: 0, transform: `translateX(${item.start}px)`, width: item.size - 6 }}
              onClick={() => onSelect(r)}
            >
              {SHOWN.test(r.output) ? <img src={api.fileUrl(r.output) ?? undefined} alt="" loading="lazy" /> : <span>{baseName(r.output)}</span>}
            </button>
          );
        })}
      </div>
    </div>
  );
}

/** A converted file, before and after. */
function BatchPreview({ api, recent }: { api: PhotoPoolApi<File>; recent: DoneRow[] }) {
  const rows = recent.slice().reverse();
  const [chosen, setChosen] = useState<DoneRow | null>(null);
  const row = chosen ?? rows[0] ?? null;
  const before = useImage(api, row?.input ?? null, true);
  const after = useImage(api, row?.output ?? null, true);
  if (!row) return <p className="muted">Converted files appear here as the batch goes.</p>;
  return (
    <>
      <Strip api={api} rows={rows} selected={row.output} onSelect={setChosen} />
      <p className="preview-info" data-testid="preview-info">
        <strong>{baseName(row.input)}</strong>: {row.inWidth}×{row.inHeight}, {bytes(row.inputBytes)} → {row.width}×{row.height}, {bytes(row.outputBytes)} ({row.ms} ms)
        {api.platform === 'electron' && (
          <button type="button" className="small" onClick={() => void api.showInFolder({ path: row.output })}>
            Show in folder
          </button>
        )}
      </p>
      {before.error && <p className="muted">{before.error}</p>}
      <BeforeAfter
        before={before.src}
        after={after.src}
        width={row.width}
        height={row.height}
        beforeAlt={`Before: ${baseName(row.input)}`}
        afterAlt={`After: ${baseName(row.output)}`}
        onBeforeError={before.onError}
        onAfterError={after.onError}
      />
    </>
  );
}

/** Before a batch: a sample input through the recipe, and the estimated output size. */
function SamplePreview({ api, job, inputsKey }: { api: PhotoPoolApi<File>; job: PreviewJob | null; inputsKey: string }) {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [shots, setShots] = useState<{ before: Rendered; after: Rendered } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([job, inputsKey]);
  useEffect(() => {
    if (!job) return;
    let live = true;
    const timer = setTimeout(async () => {
      try {
        const e = await api.estimateSize({ job });
        if (!live) return;
        setEstimate(e);
        setError(null);
        const path = e.samples[0];
        if (!path) return;
        const [before, after] = await Promise.all([api.renderPreview({ path }), api.renderPreview({ path, job })]);
        if (live) setShots({ before, after });
      } catch (err) {
        if (live) setError((err as Error).message);
      }
    }, 500); // refreshed when the recipe rests
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [key]);
  if (!job) return <p className="muted">Fix the recipe to see a preview and the estimated size.</p>;
  const out = shots?.after.output;
  return (
    <>
      <p data-testid="estimate" aria-live="polite">
        {estimate
          ? estimate.sampled
            ? `Estimated output: ${bytes(estimate.low)} – ${bytes(estimate.high)} for ${estimate.images} images (from ${estimate.sampled} converted in memory).`
            : 'No image could be sampled for an estimate.'
          : error ?? 'Estimating the output size…'}
      </p>
      {shots && out && (
        <>
          <p className="preview-info" data-testid="preview-info">
            Sample <strong>{baseName(estimate!.samples[0]!)}</strong>: {shots.before.inputWidth}×{shots.before.inputHeight}, {bytes(shots.before.inputBytes)} → {out.width}×{out.height}, {bytes(out.bytes)} as {out.format}
          </p>
          <BeforeAfter before={shots.before.image} after={shots.after.image} width={out.width} height={out.height} beforeAlt="Before: sample input" afterAlt="After: sample through the recipe" />
        </>
      )}
    </>
  );
}

interface Props {
  api: PhotoPoolApi<File>;
  /** The batch's converted files (null before the first batch). */
  recent: DoneRow[] | null;
  /** The batch is converting (not paused, not finished): the newest output only (LivePreview). */
  live?: boolean;
  /** The current recipe as a preview job (null while it has problems). */
  job: PreviewJob | null;
  /** Changes when the inputs change (the estimate is redone). */
  inputsKey: string;
  version: number;
}

/** The Preview card. */
export function Preview({ api, recent, live = false, job, inputsKey }: Props) {
  return (
    <section aria-labelledby="preview-h" className="card preview">
      <h2 id="preview-h">{recent ? 'Preview' : 'Preview and estimated size'}</h2>
      {recent ? live ? <LivePreview api={api} recent={recent} /> : <BatchPreview api={api} recent={recent} /> : <SamplePreview api={api} job={job} inputsKey={inputsKey} />}
    </section>
  );
}
