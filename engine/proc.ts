/**
 * Sampling a process tree from Linux /proc: summed RSS and CPU time of a pid and all its
 * descendants (worker processes included), and the whole machine's busy CPU time.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK = 100; // USER_HZ on Linux
const PAGE = 4096;

interface Stat {
  ppid: number;
  cpuTicks: number;
  rssPages: number;
}

function readStat(pid: number): Stat | null {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    // fields after "comm": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14) ... rss(21)
    return { ppid: Number(f[1]), cpuTicks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]), rssPages: Number(f[21]) };
  } catch {
    return null;
  }
}

/** RSS (bytes) and CPU (seconds, reaped children included) of `root` and its descendants. */
export function sampleTree(root: number): { rssBytes: number; cpuSeconds: number } {
  const stats = new Map<number, Stat>();
  for (const d of readdirSync('/proc')) {
    if (d.charCodeAt(0) < 48 || d.charCodeAt(0) > 57) continue;
    const st = readStat(Number(d));
    if (st) stats.set(Number(d), st);
  }
  let rss = 0;
  let cpu = 0;
  const todo = [root];
  while (todo.length) {
    const pid = todo.pop()!;
    const st = stats.get(pid);
    if (!st) continue;
    rss += st.rssPages * PAGE;
    cpu += st.cpuTicks;
    for (const [child, cs] of stats) if (cs.ppid === pid) todo.push(child);
  }
  return { rssBytes: rss, cpuSeconds: cpu / TICK };
}

/** Busy CPU seconds of the whole machine since boot (all cores). */
export function machineBusySeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / TICK;
}
