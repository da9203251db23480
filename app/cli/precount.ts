/**
 * The pre-count behind the progress line's total: the UI's folder walk in its quick form
 * (walkFolder without sniffing: regular files with an image extension, links never followed),
 * summed over the inputs.
 */
import type { Precount } from './progress.js';
import { walkFolder } from '../session/folders.js';

/**
 * Walk `inputs` one after the other; `report` gets the running count, and once `done: true`.
 *
 * @example
 * const ac = new AbortController();
 * void precountInputs(['photos'], (p) => render.precount(p), ac.signal);
 */
export async function precountInputs(inputs: string[], report: (p: Precount) => void, signal?: AbortSignal): Promise<Precount> {
  let before = 0;
  for (const input of inputs) {
    if (signal?.aborted) break;
    const info = await walkFolder(input, (i) => !signal?.aborted && report({ images: before + i.images, done: false }), signal);
    before += info.images;
  }
  const p = { images: before, done: !signal?.aborted };
  if (!signal?.aborted) report(p);
  return p;
}
