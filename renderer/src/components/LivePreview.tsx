/**
 * The preview while a batch converts: the newest converted file that is cheap to show, one image
 * at a time. It must not take the batch's CPU (measured: following every new file with the
 * full-size input and a strip of thumbnails cost Chromium 0.6-0.9 s of CPU per 47-photo batch,
 * where the engine's own work is ~1.9 s; BENCHMARKS.md "The bench against the UI"), so:
 * - only outputs (never the full-size input: the before/after comparison waits for a pause or
 *   the end), and only those of at most {@link LIVE_MAX_PIXELS} in a format the browser shows;
 * - a new image at most every {@link LIVE_REFRESH_MS}, the first one too (counted from the batch's
 *   start, when the page draws the whole live view: a batch shorter than that loads no image while
 *   it runs, the finished view shows its files at once), and never while the previous one loads;
 * - never rendered by the app (no renderPreview: the session refuses it during a batch anyway).
 */
import { useEffect, useRef, useState } from 'react';
import type { DoneRow, PhotoPoolApi } from '../../../common/contract.js';
import { baseName, bytes } from '../format.js';

/** Shortest time between two images while a batch runs (ms). */
export const LIVE_REFRESH_MS = 2000;
/** Largest output shown while a batch runs (pixels; a 2560x1600 output at most). */
export const LIVE_MAX_PIXELS = 4_096_000;
/** Formats Chromium shows as they are. */
export const SHOWN = /\.(jpe?g|png|webp|avif|gif|bmp)$/i;
/** How far back from the newest file to look for one that is cheap to show. */
const LOOK_BACK = 32;

/** The newest row whose output the page can show cheaply (see {@link LIVE_MAX_PIXELS}), or null. */
export function newestShowable(recent: DoneRow[]): DoneRow | null {
  for (let i = recent.length - 1; i >= Math.max(0, recent.length - LOOK_BACK); i--) {
    const r = recent[i]!;
    if (SHOWN.test(r.output) && r.width * r.height <= LIVE_MAX_PIXELS) return r;
  }
  return null;
}

/**
 * The newest converted file, refreshed at most every {@link LIVE_REFRESH_MS}, one image in flight.
 *
 * @example
 * <LivePreview api={api} recent={batch.recent} />
 */
export function LivePreview({ api, recent }: { api: PhotoPoolApi<File>; recent: DoneRow[] }) {
  const candidate = newestShowable(recent);
  const [row, setRow] = useState<DoneRow | null>(null);
  const [loading, setLoading] = useState(false);
  const asked = useRef(Date.now()); // mounted as the batch starts converting: the first image waits too
  useEffect(() => {
    if (!candidate || loading || candidate.output === row?.output) return;
    const timer = setTimeout(
      () => {
        asked.current = Date.now();
        setRow(candidate);
        setLoading(true);
      },
      Math.max(0, asked.current + LIVE_REFRESH_MS - Date.now()),
    );
    return () => clearTimeout(timer);
  }, [candidate?.output, loading, row?.output]);
  const about = row ?? recent.at(-1); // the file shown (the newest until one is)
  if (!about) return <p className="muted">Converted files appear here as the batch goes.</p>;
  return (
    <>
      <p className="preview-info" data-testid="preview-info">
        Converted: <strong>{baseName(about.output)}</strong> ({about.width}×{about.height}, {bytes(about.outputBytes)}, {about.ms} ms)
      </p>
      <div className="live-frame" data-testid="live-frame">
        {row ? (
          <img
            src={api.fileUrl(row.output) ?? undefined}
            alt={`Converted: ${baseName(row.output)}`}
            width={row.width}
            height={row.height}
            onLoad={() => setLoading(false)}
            onError={() => setLoading(false)}
          />
        ) : (
          <span className="muted">{candidate ? 'Loading…' : 'Outputs of this batch are too large or in a format to show while it runs.'}</span>
        )}
      </div>
      <p className="muted">Before/after and every converted file once the batch is paused or finished (showing them now would slow it down).</p>
    </>
  );
}
