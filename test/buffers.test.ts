/**
 * workers/buffers.ts: a worker's scratch buffers are reused from file to file, three at most
 * (the smallest dropped), and none above KEEP_BYTES is kept, so one huge file does not pin its
 * memory for the rest of a batch.
 */
import { describe, expect, it } from 'vitest';
import { borrow, KEEP_BYTES, release } from '../workers/buffers.js';

const MiB = 1024 * 1024;

describe('worker scratch buffers', () => {
  it('reuses a released buffer for a request that fits in it', () => {
    const a = borrow(2 * MiB);
    const memory = a.buffer;
    release(a);
    const b = borrow(MiB + 1);
    expect(b.buffer).toBe(memory);
    expect(b.length).toBe(MiB + 1);
    release(b);
    const c = borrow(3 * MiB); // larger than any spare: a new one
    expect(c.buffer).not.toBe(memory);
    release(c);
  });

  it('keeps three at most, dropping the smallest', () => {
    const bufs = [4, 5, 6, 7].map((n) => borrow(n * MiB)); // the 2 and 3 MiB spares of the test above are too small
    const [four, ...rest] = bufs.map((b) => b.buffer);
    for (const b of bufs) release(b);
    const again = [borrow(MiB), borrow(MiB), borrow(MiB), borrow(MiB)];
    const reused = again.map((b) => b.buffer);
    expect(reused).not.toContain(four);
    for (const m of rest) expect(reused).toContain(m);
    for (const b of again) release(b);
  });

  it('does not keep a buffer above KEEP_BYTES', () => {
    const big = borrow(KEEP_BYTES + 1);
    const memory = big.buffer;
    release(big);
    const next = borrow(KEEP_BYTES + 1);
    expect(next.buffer).not.toBe(memory);
    release(next);
    const edge = borrow(KEEP_BYTES);
    const kept = edge.buffer;
    release(edge);
    expect(borrow(KEEP_BYTES).buffer).toBe(kept);
  });
});
