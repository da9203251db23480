/**
 * Which recipe steps the fast lanes (luma-lane.ts, colour-lane.ts) can do exactly: none of
 * them. They decline any file whose recipe asks for one, and the sharp pipeline runs it instead.
 */
import type { ConvertTask } from '../../common/task.js';

/**
 * True when no recipe step applies that the fast lanes cannot do.
 *
 * @example
 * stepsAllowLuma({ ...task, ops: { ...task.ops, maxSize: 300_000 } }) // false
 */
export function stepsAllowLuma(task: ConvertTask): boolean {
  const { ops } = task;
  return ops.maxSize === undefined && !ops.sharpen && !ops.watermark && (ops.metadata ?? 'strip') === 'strip';
}
