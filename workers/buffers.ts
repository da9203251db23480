/**
 * Reusable scratch buffers for one thread: compressed inputs and decoded planes are megabytes
 * each, and allocating them afresh for every file costs page faults and leaves the heap
 * fragmented (measured on the 200-file corpus: ~10% of the time, tens of MiB of peak RSS).
 * A worker converts one file at a time, so it keeps three; the `async` model's thread
 * gets more when it has more files in flight. Buffers above {@link KEEP_BYTES} are not kept:
 * one huge file must not pin its megabytes for the rest of the batch.
 */
const KEEP = 3; // a worker holds one input, one luma plane and one chroma-less JPEG at a time
/** The largest buffer kept for reuse (16 MiB); larger ones are freed when released. */
export const KEEP_BYTES = 16 * 1024 * 1024;
const spare: Buffer[] = [];

/**
 * A buffer of exactly `size` bytes (uninitialised), to hand back with {@link release}.
 *
 * @example
 * const buf = borrow(1 << 20); try { ... } finally { release(buf); }
 */
export function borrow(size: number): Buffer {
  const i = spare.findIndex((b) => b.buffer.byteLength >= size);
  if (i < 0) return Buffer.allocUnsafeSlow(size);
  const b = spare.splice(i, 1)[0]!;
  return Buffer.from(b.buffer, 0, size);
}

/** Give a borrowed buffer back; it must not be used afterwards. */
export function release(buf: Buffer): void {
  const whole = Buffer.from(buf.buffer, 0, buf.buffer.byteLength);
  if (whole.length > KEEP_BYTES) return;
  spare.push(whole);
  spare.sort((a, b) => a.length - b.length);
  if (spare.length > KEEP) spare.shift(); // drop the smallest
}
