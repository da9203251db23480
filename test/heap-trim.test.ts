/**
 * heap-trim.ts: after a large file, memory the heap kept is handed back to the system (RSS
 * falls); small files do not trim, nor a process whose resident memory is low already.
 */
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { TRIM_ABOVE_BYTES, TRIM_PIXELS, trimAfter } from '../workers/heap-trim.js';

const rssMiB = () => process.memoryUsage.rss() / 1048576;

describe.runIf(process.platform === 'linux')('heap trim', () => {
  it('gives freed heap memory back after a large file, and does nothing after a small one', () => {
    const libc = koffi.load('libc.so.6');
    const malloc = libc.func('void *malloc(size_t size)');
    const free = libc.func('void free(void *p)');
    const memset = libc.func('void *memset(void *p, int c, size_t n)');
    // 48 MiB in 64 KiB blocks (below malloc's mmap threshold: they come from the heap), touched,
    // then freed but for the last one, which keeps the heap's top: glibc gives none of it back itself.
    const size = 64 * 1024;
    const blocks = Array.from({ length: 768 }, () => malloc(size));
    for (const p of blocks) memset(p, 1, size);
    const last = blocks.pop();
    for (const p of blocks) free(p);
    const before = rssMiB();
    expect(trimAfter(640 * 480, TRIM_ABOVE_BYTES * 2)).toBe(false);
    expect(rssMiB()).toBeGreaterThan(before - 8); // a small file leaves the heap as it is
    expect(trimAfter(TRIM_PIXELS, TRIM_ABOVE_BYTES - 1)).toBe(false);
    expect(rssMiB()).toBeGreaterThan(before - 8); // so does a process below the threshold
    expect(trimAfter(TRIM_PIXELS, TRIM_ABOVE_BYTES + 1)).toBe(true);
    expect(rssMiB()).toBeLessThan(before - 32);
    free(last);
  });
});
