/**
 * Steps that need the decoded, resized pixels first: a target file size (several encodes of
 * the same pixels). The pipeline hands its sharp instance over instead of encoding it.
 */
import type { Sharp } from 'sharp';
import type { ConvertTask } from '../../common/task.js';
import { freeze } from './frozen.js';
import { encodeToSize, type SizedOutput } from './target-size.js';

/** Whether the task needs the second pass. */
export function needsSecondPass(task: ConvertTask): boolean {
  return task.ops.maxSize !== undefined;
}

/** Whether metadata travels with the pixels (then they are frozen as PNG, see frozen.ts). */
function keepsMetadata(task: ConvertTask): boolean {
  return task.keepExif || task.keepIcc;
}

/**
 * Finish `img` (rotated, resized, gray as the recipe says; encoder not set yet).
 *
 * @example
 * const out = await secondPass(img, task); // out.quality: the quality the target size allowed
 */
export async function secondPass(img: Sharp, task: ConvertTask): Promise<SizedOutput> {
  const frozen = await freeze(img, keepsMetadata(task), task.limits.timeoutSeconds);
  return encodeToSize(frozen, task.format, task.quality, task.ops.maxSize!);
}
