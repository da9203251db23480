/**
 * Per-machine throughput of a cluster batch, from the `remote` (`host/worker`) of each
 * `file-done` event: what the CLI summary prints and the bench compares. Pure functions.
 */

export interface MachineRow {
  /** Host name (`this machine` for the local pool). */
  machine: string;
  files: number;
  /** The machine's share of the batch's throughput: files / batch seconds. */
  imagesPerSec: number;
  /** Files per remote worker slot (`host/worker`), in name order; empty for the local pool. */
  workers: [string, number][];
}

/** The host part of `host/worker` (a host name may itself hold a slash: the last one splits). */
export const hostOf = (worker: string): string => (worker.includes('/') ? worker.slice(0, worker.lastIndexOf('/')) : worker);

/**
 * Rows per machine, the local pool first, then hosts by files converted.
 *
 * @param remote files per `host/worker` (from `file-done` events' `remote`)
 * @param done files converted by this run in all (local + remote)
 * @param elapsedMs the batch's duration
 * @example
 * machineRows({ 'scan2/0': 60, 'scan2/1': 50 }, 150, 10_000)
 * // [{ machine: 'this machine', files: 40, imagesPerSec: 4, workers: [] }, { machine: 'scan2', files: 110, imagesPerSec: 11, workers: [['scan2/0', 60], ['scan2/1', 50]] }]
 */
export function machineRows(remote: Record<string, number>, done: number, elapsedMs: number): MachineRow[] {
  const secs = Math.max(elapsedMs, 1) / 1000;
  const hosts = new Map<string, [string, number][]>();
  let remoteFiles = 0;
  for (const [w, n] of Object.entries(remote).sort(([a], [b]) => a.localeCompare(b))) {
    const h = hostOf(w);
    if (!hosts.has(h)) hosts.set(h, []);
    hosts.get(h)!.push([w, n]);
    remoteFiles += n;
  }
  const rows: MachineRow[] = [...hosts].map(([machine, workers]) => {
    const files = workers.reduce((s, [, n]) => s + n, 0);
    return { machine, files, imagesPerSec: files / secs, workers };
  });
  rows.sort((a, b) => b.files - a.files || a.machine.localeCompare(b.machine));
  const local = Math.max(0, done - remoteFiles);
  return local > 0 ? [{ machine: 'this machine', files: local, imagesPerSec: local / secs, workers: [] }, ...rows] : rows;
}

/**
 * The summary's lines: one per machine with its files and images/s, and its workers' counts.
 *
 * @example
 * machineLines({ 'scan2/0': 60 }, 100, 10_000)
 * // 'Machines:\n  this machine: 40 files, 4.00 images/s\n  scan2: 60 files, 6.00 images/s (scan2/0: 60)\n'
 */
export function machineLines(remote: Record<string, number>, done: number, elapsedMs: number): string {
  const rows = machineRows(remote, done, elapsedMs);
  const line = (r: MachineRow) => `  ${r.machine}: ${r.files} files, ${r.imagesPerSec.toFixed(2)} images/s${r.workers.length ? ` (${r.workers.map(([w, n]) => `${w}: ${n}`).join(', ')})` : ''}\n`;
  return `Machines:\n${rows.map(line).join('')}`;
}
