/**
 * Load-insensitive figures of a batch, printed on stderr when asked for (off by default, free):
 * - `PHOTOPOOL_TRACE_STARTUP=1`: the start-up breakdown, each step in ms since the CLI process
 *   started (the CLI passes its start as `PHOTOPOOL_TRACE_T0` to the engine it forks);
 * - `PHOTOPOOL_TRACE_CPU=1`: at a batch's end, the CPU seconds of each thread of the engine
 *   process (from /proc/self/task, Linux), the main thread's event-loop utilisation, and the
 *   garbage collections of the main thread.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { constants, PerformanceObserver, performance } from 'node:perf_hooks';

const env = process.env;
const startup = env.PHOTOPOOL_TRACE_STARTUP === '1';
const T0 = Number(env.PHOTOPOOL_TRACE_T0) || performance.timeOrigin;

/**
 * Print one start-up step (`who`: cli, engine, batch) when PHOTOPOOL_TRACE_STARTUP=1.
 *
 * @param at the moment, in ms since the epoch (default: now)
 * @example
 * traceStartup('engine', 'start command received');
 */
export function traceStartup(who: string, what: string, at = performance.timeOrigin + performance.now()): void {
  if (startup) process.stderr.write(`startup ${(at - T0).toFixed(1).padStart(7)} ms  ${who}: ${what}\n`);
}

const traced = new Set<string>();

/** {@link traceStartup} the first time only (per `who` and `what`). @example traceStartupOnce('batch', 'first image scanned') */
export function traceStartupOnce(who: string, what: string, detail = ''): void {
  if (!startup || traced.has(who + what)) return;
  traced.add(who + what);
  traceStartup(who, what + detail);
}

/** The process's own start, as a start-up step. @example traceProcessStart('engine') */
export function traceProcessStart(who: string): void {
  traceStartup(who, 'process started', performance.timeOrigin);
}

const mib = (bytes: number) => (bytes / 1048576).toFixed(0);

/** CPU seconds of every thread of this process, by thread name, summed over threads of one name; `each` gets every thread's. */
export function threadCpu(each?: (name: string, tid: string, seconds: number) => void): Map<string, { threads: number; seconds: number }> {
  const byName = new Map<string, { threads: number; seconds: number }>();
  const tick = 100; // USER_HZ on Linux
  for (const tid of readdirSync('/proc/self/task')) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    const close = stat.lastIndexOf(')');
    const name = Number(tid) === process.pid ? 'main' : stat.slice(stat.indexOf('(') + 1, close);
    const f = stat.slice(close + 2).split(' '); // f[11] utime, f[12] stime (fields 14, 15)
    const s = (Number(f[11]) + Number(f[12])) / tick;
    each?.(name, tid, s);
    const e = byName.get(name) ?? { threads: 0, seconds: 0 };
    byName.set(name, { threads: e.threads + 1, seconds: e.seconds + s });
  }
  return byName;
}

/**
 * When PHOTOPOOL_TRACE_CPU=1: start counting the main thread's GCs and event-loop use now;
 * the returned function prints the figures (per thread CPU, ELU, GCs) for `files` files.
 * Without it, a no-op pair.
 *
 * @example
 * const report = traceCpu(); ...; report(200);
 */
export function traceCpu(): (files: number) => void {
  if (env.PHOTOPOOL_TRACE_CPU !== '1') return () => undefined;
  const elu0 = performance.eventLoopUtilization();
  const cpu0 = threadCpu().get('main')?.seconds ?? 0;
  const gc = { count: 0, ms: 0, scavenges: 0 };
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      gc.ms += e.duration;
      if (((e as { detail?: { kind?: number } }).detail)?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gc.scavenges++;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  return (files) => {
    obs.disconnect();
    const elu = performance.eventLoopUtilization(elu0);
    const each: string[] = [];
    const threads = threadCpu((name, tid, sec) => sec >= 0.01 && each.push(`${name}#${tid} ${sec.toFixed(2)}`));
    const main = (threads.get('main')?.seconds ?? 0) - cpu0;
    const all = [...threads].sort((a, b) => b[1].seconds - a[1].seconds);
    const lines = [
      `cpu main thread during the batch: ${main.toFixed(2)} s (${((main * 1000) / Math.max(1, files)).toFixed(2)} ms per file, ${files} files); event-loop utilisation ${elu.utilization.toFixed(3)}; ${gc.count} GCs (${gc.scavenges} scavenges), ${gc.ms.toFixed(0)} ms`,
      `cpu by thread since the engine started (s): ${all.map(([n, v]) => `${n}${v.threads > 1 ? `x${v.threads}` : ''} ${v.seconds.toFixed(2)}`).join(', ')}`,
      `cpu of each thread over 0.01 s: ${each.join(', ')}`,
      `engine peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB; main thread heap ${mib(process.memoryUsage().heapTotal)} MiB, external ${mib(process.memoryUsage().external)} MiB`,
    ];
    process.stderr.write(lines.map((l) => `trace ${l}\n`).join(''));
  };
}
