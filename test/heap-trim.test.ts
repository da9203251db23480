/**
 * heap-trim.ts: after a large file, memory the heap kept is handed back to the system (RSS
 * falls); small files do not trim, nor a process whose resident memory is low already.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import koffi from 'koffi';
import { describe, expect, it } from 'vitest';
import { TRIM_ABOVE_BYTES, TRIM_GROWTH_BYTES, TRIM_PIXELS, trimAfter, trimThreshold } from '../workers/heap-trim.js';
import { ROOT } from './helpers.js';

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
    expect(trimAfter(640 * 480, trimThreshold() * 2)).toBe(false);
    expect(rssMiB()).toBeGreaterThan(before - 8); // a small file leaves the heap as it is
    expect(trimAfter(TRIM_PIXELS, trimThreshold() - 1)).toBe(false);
    expect(rssMiB()).toBeGreaterThan(before - 8); // so does a process below the threshold
    expect(trimAfter(TRIM_PIXELS, trimThreshold() + 1)).toBe(true);
    expect(rssMiB()).toBeLessThan(before - 32);
    free(last);
  });

  it('trims above 180 MiB, or 64 MiB above what the process held when the worker started if that is more (a long-lived engine at rest)', () => {
    // a process that holds 256 MiB more before the module loads (an engine whose preview thread
    // and earlier batches stay resident): only 64 MiB above that does a large file trim
    const MiB = 1048576;
    const code = [
      `const rest = Buffer.alloc(256 * ${MiB}, 1);`,
      `const rss = process.memoryUsage.rss();`,
      `const m = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'workers/heap-trim.ts')).href)});`,
      `const t = m.trimThreshold();`,
      `console.log(JSON.stringify({ rss, t, below: m.trimAfter(m.TRIM_PIXELS, t - ${MiB}), above: m.trimAfter(m.TRIM_PIXELS, t + ${MiB}), held: rest.length }));`,
    ].join('\n');
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' }));
    expect(out.rss).toBeGreaterThan(256 * MiB);
    expect(Math.abs(out.t - (out.rss + TRIM_GROWTH_BYTES))).toBeLessThan(16 * MiB); // measured as the module loaded, just after
    expect([out.below, out.above]).toEqual([false, true]);
    // a small process keeps the floor
    expect(trimThreshold()).toBeGreaterThanOrEqual(TRIM_ABOVE_BYTES);
  });
});
