/**
 * Trailing debounce for controls that fire on every step (the Workers slider): only the value
 * the person settles on is sent, `ms` after the last change. The engine coalesces bursts too;
 * this keeps a drag across the slider from sending one request per step.
 */
import { useEffect, useMemo, useRef } from 'react';

/**
 * @param ms quiet time before the call (default 150)
 * @example
 * const sendWorkers = useDebounced((n: number) => api.setWorkers({ workers: n }), 150);
 * <input type="range" onChange={(e) => sendWorkers(Number(e.target.value))} />
 */
export function useDebounced<A extends unknown[]>(fn: (...args: A) => void, ms = 150): (...args: A) => void {
  const latest = useRef(fn);
  latest.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => () => clearTimeout(timer.current), []);
  return useMemo(
    () =>
      (...args: A) => {
        clearTimeout(timer.current);
        timer.current = setTimeout(() => latest.current(...args), ms);
      },
    [ms],
  );
}
