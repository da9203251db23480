/**
 * Hand freed heap memory back to the system after a large file. glibc's malloc raises its mmap
 * threshold (up to 32 MiB) each time a large mmapped block is freed, so the next decode's
 * megabyte-sized blocks (libjpeg's whole-image coefficient arrays of a progressive JPEG:
 * 27 MiB for the Y plane of 13 MP, see luma-strip.ts) come from an arena and stay resident after
 * they are freed, up to twice that threshold per arena. `malloc_trim(0)` returns them (it also releases free pages inside
 * the heap) in microseconds when there is nothing to give back; it is process-wide, so one
 * worker's call also trims what the others freed. Reached through koffi; glibc only (elsewhere,
 * and with PHOTOPOOL_HEAP_TRIM=off, a no-op).
 */
import koffi from 'koffi';

/** Files of at least this many pixels trim the heap when done (4 MP). */
export const TRIM_PIXELS = 4_000_000;

/**
 * ...and only while the process's resident memory is above this (180 MiB, or
 * PHOTOPOOL_HEAP_TRIM_ABOVE_MIB): below it there is nothing worth the trim's price (the next
 * file's page faults). The gray job on the 200-file corpus, 4 alternated rounds: 1 worker
 * (resident ~160 MiB, so it no longer trims) 7.84 -> 6.90 s; 2 workers 4.40 -> 4.44 s, peak
 * RSS 241 -> 217 MB (BENCHMARKS.md "Heap trim, session 6").
 */
export const TRIM_ABOVE_BYTES = (Number(process.env.PHOTOPOOL_HEAP_TRIM_ABOVE_MIB) || 180) * 1048576;

/**
 * ...and above what the process held when this worker started, plus this (64 MiB): a
 * long-lived engine holds more at rest (the app's: its preview thread, earlier batches' heaps)
 * and sat above 180 MiB, where every large progressive file trimmed and the next one faulted
 * the memory back in: 5-10% more worker CPU per batch than the CLI's engine doing the same files
 * (scripts/ui-vs-bench.mjs, BENCHMARKS.md "Session 10").
 */
export const TRIM_GROWTH_BYTES = 64 * 1048576;

/** The process's resident memory when this module loaded: at a worker's start. */
const RSS_AT_START = process.memoryUsage.rss();

/**
 * The resident memory above which a large file trims: {@link TRIM_ABOVE_BYTES}, or what the
 * process held at this worker's start plus {@link TRIM_GROWTH_BYTES} when that is more.
 *
 * @example
 * trimThreshold() // 188743680 (180 MiB) for a worker that started while the process held under 116 MiB
 */
export function trimThreshold(): number {
  return Math.max(TRIM_ABOVE_BYTES, RSS_AT_START + TRIM_GROWTH_BYTES);
}

let trim: ((pad: number) => number) | null | undefined;

function load(): ((pad: number) => number) | null {
  if (trim !== undefined) return trim;
  trim = null;
  if (process.platform !== 'linux' || process.env.PHOTOPOOL_HEAP_TRIM === 'off') return trim;
  try {
    trim = koffi.load('libc.so.6').func('int malloc_trim(size_t pad)') as (pad: number) => number;
  } catch {
    trim = null; // not glibc (musl has no libc.so.6)
  }
  return trim;
}

/**
 * Return freed heap memory to the system when a file of `pixels` pixels (width x height of the
 * input) is done: at or above {@link TRIM_PIXELS}, while the process's resident memory `rss` is
 * above {@link trimThreshold}. Returns whether it trimmed. The price: the next file touches
 * that memory afresh (page faults; measured +0.4 worker CPU-s per 200 files when called after
 * each progressive JPEG, see BENCHMARKS.md).
 *
 * @param rss resident bytes of the process (default: read now, ~10 µs)
 * @example
 * trimAfter(4224 * 3168) // true on glibc with 200 MiB resident: the decode's arrays are given back
 * trimAfter(640 * 480)   // false: small files leave nothing worth trimming
 */
export function trimAfter(pixels: number, rss?: number): boolean {
  if (!(pixels >= TRIM_PIXELS)) return false;
  const fn = load();
  if (!fn || !((rss ?? process.memoryUsage.rss()) > trimThreshold())) return false;
  fn(0);
  return true;
}
