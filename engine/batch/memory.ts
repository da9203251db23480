/**
 * What the memory ceiling reads: the RSS of this process and, with worker processes, of its
 * children too (walking /proc costs a read per process on the machine, so only when there are
 * children), or of this process off Linux.
 *
 * @example
 * if (treeRss(spec.model === 'processes') > limitBytes) pauseDispatching();
 */
import { sampleTree } from '../proc.js';

export function treeRss(withChildren: boolean): number {
  try {
    return withChildren ? sampleTree(process.pid).rssBytes : process.memoryUsage.rss();
  } catch {
    return process.memoryUsage.rss();
  }
}
