/**
 * Steps that need the decoded, resized pixels first: a watermark (sized from the output's
 * dimensions) and a target file size (several encodes of the same pixels). The pipeline hands
 * its sharp instance over instead of encoding it.
 */
import type { Sharp } from 'sharp';
import type { ConvertTask } from '../../common/task.js';
import { encoder } from './encoder.js';
import { freeze } from './frozen.js';
import { encodeToSize, type SizedOutput } from './target-size.js';
import { overlay } from './watermark.js';

/** Whether the task needs the second pass. */
export function needsSecondPass(task: ConvertTask): boolean {
  return task.ops.maxSize !== undefined || task.ops.watermark !== undefined;
}

/** Whether metadata travels with the pixels (then they are frozen as PNG, see frozen.ts). */
function keepsMetadata(task: ConvertTask): boolean {
  return task.keepExif || task.keepIcc || (task.ops.metadata ?? 'strip') !== 'strip';
}

/**
 * Finish `img` (rotated, resized, gray as the recipe says; encoder not set yet).
 *
 * @example
 * const out = await secondPass(img, task); // out.quality: the quality the target size allowed
 */
export async function secondPass(img: Sharp, task: ConvertTask): Promise<SizedOutput> {
  const { ops, limits } = task;
  const meta = keepsMetadata(task);
  let frozen = await freeze(img, meta, limits.timeoutSeconds);
  if (ops.watermark) {
    const marked = frozen.make().composite([await overlay(ops.watermark, frozen.width, frozen.height, ops.grayscale)]);
    if (ops.maxSize === undefined) {
      const { data, info } = await encoder(marked, task.format, task.quality).toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, encodes: 1 };
    }
    frozen = await freeze(marked, meta, limits.timeoutSeconds);
  }
  return encodeToSize(frozen, task.format, task.quality, ops.maxSize!);
}
