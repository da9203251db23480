/**
 * The renderer's copy of the app state: the snapshot, then every event folded in with the same
 * reducer the server uses. Re-renders are coalesced to at most MAX_UI_UPDATES_PER_SEC, and to
 * {@link UPDATES_PER_SEC_CONVERTING} while a batch converts (every redraw then takes CPU from it).
 */
import { useEffect, useRef, useState } from 'react';
import { MAX_UI_UPDATES_PER_SEC, type PhotoPoolApi, type Snapshot } from '../../common/contract.js';
import { applyEngineEvent, benchInterrupted } from '../../common/snapshot.js';

/**
 * Redraws a second while a batch converts (scanning or running); a pause or the end shows at once.
 * Each redraw costs Chromium ~0.02-0.05 CPU-s over its processes (renderer, compositor, browser),
 * taken from the workers when they use every core (BENCHMARKS.md "UI and bench, session 6"): at 2 a
 * second that was ~3% of a 2-core machine's batch; the numbers change once a second (Elapsed, ETA).
 */
export const UPDATES_PER_SEC_CONVERTING = 1;

const converting = (s: Snapshot | null) => s?.batch?.state === 'running' || s?.batch?.state === 'scanning';

export interface Model {
  snapshot: Snapshot | null;
  /** Increments on every (coalesced) update. */
  version: number;
}

/** Subscribe to the app's events and keep a coalesced view of its state. */
export function useModel(api: PhotoPoolApi<File>, onReconnect?: (fn: () => void) => () => void): Model {
  const snap = useRef<Snapshot | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let dirty = false;
    let loaded = false;
    let last = 0;
    const touch = () => (dirty = true);
    const timer = setInterval(() => {
      if (!dirty) return;
      const now = performance.now();
      if (converting(snap.current) && now - last < 1000 / UPDATES_PER_SEC_CONVERTING - 50) return;
      dirty = false;
      last = now;
      setVersion((v) => v + 1);
    }, 1000 / MAX_UI_UPDATES_PER_SEC);
    const offs = [
      api.on('engine', (e) => {
        if (!loaded || !snap.current) return; // already part of the snapshot being fetched
        applyEngineEvent(snap.current, e);
        touch();
      }),
      api.on('folder', (f) => {
        const s = snap.current;
        if (!s) return;
        const i = s.folders.findIndex((x) => x.path === f.path);
        if (i >= 0) s.folders[i] = f;
        else s.folders.push(f);
        touch();
      }),
      api.on('engineExit', (x) => {
        const s = snap.current;
        if (!s) return;
        s.engine = { alive: false, message: x.message, canResume: x.canResume };
        if (s.batch) s.batch.lanes = s.batch.lanes.map(() => null);
        if (s.batch && !s.batch.finished) {
          // as the session does: the batch is over, a new one may start
          s.batch.state = 'done';
          s.batch.interrupted = x.message;
        }
        benchInterrupted(s, x.message);
        touch();
      }),
    ];
    const load = () => {
      loaded = false;
      api.snapshot({}).then(
        (s) => {
          snap.current = s;
          loaded = true;
          touch();
        },
        () => undefined,
      );
    };
    load();
    const offReconnect = onReconnect?.(load);
    return () => {
      clearInterval(timer);
      offs.forEach((off) => off());
      offReconnect?.();
    };
  }, [api, onReconnect]);
  return { snapshot: snap.current, version };
}

/** Re-fetch the snapshot now (after an action whose effect should show at once). */
export async function refreshed(api: PhotoPoolApi<File>): Promise<Snapshot> {
  return api.snapshot({});
}
