/**
 * What both fast lanes (luma-lane.ts, colour-lane.ts) need of a recipe: JPEG input, no kept
 * EXIF or ICC, an `inside` fit without enlargement (or no resize), and none of the recipe steps,
 * which they cannot do exactly. They decline any other file, and the sharp pipeline runs it.
 */
import type { ConvertTask } from '../../common/task.js';

/**
 * True when the recipe leaves nothing a fast lane cannot do; each lane adds its own output
 * format and gray or colour.
 *
 * @example
 * recipeFitsLanes({ ...task, ops: { ...task.ops, maxSize: 300_000 } }) // false
 */
export function recipeFitsLanes(task: ConvertTask): boolean {
  const { ops } = task;
  const r = ops.resize;
  return (
    task.inputFormat === 'jpeg' &&
    !task.keepExif &&
    !task.keepIcc &&
    (!r || (r.fit === 'inside' && r.withoutEnlargement)) &&
    ops.maxSize === undefined &&
    !ops.sharpen &&
    !ops.watermark &&
    (ops.metadata ?? 'strip') === 'strip'
  );
}
