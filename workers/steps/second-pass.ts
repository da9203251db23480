/**
 * Steps that need the decoded, resized pixels first: a watermark (sized from the output's
 * dimensions) and a target file size (several encodes of the same pixels). The pipeline hands
 * its sharp instance over instead of encoding it.
 */
import type { Sharp } from 'sharp';
import type { ConvertTask } from '../../common/task.js';
import { encoder } from './encoder.js';
import { freeze } from './frozen.js';
import { insertIptc } from './metadata.js';
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
 * Finish `img` (rotated, resized, gray as the recipe says; encoder not set yet). `iptc` is the
 * input's IPTC block (sharp's `metadata().iptc`) when the recipe keeps metadata: a JPEG output
 * gets it back, and a target size leaves room for it.
 *
 * @example
 * const out = await secondPass(img, task, meta.iptc); // out.quality: the quality the target size allowed
 */
export async function secondPass(img: Sharp, task: ConvertTask, iptc?: Buffer): Promise<SizedOutput> {
  const { ops } = task;
  const meta = keepsMetadata(task);
  // The frozen PNG carries EXIF, XMP and ICC but not IPTC, which of the formats written only a
  // JPEG holds: it is put back into the JPEG (a target size leaves room for it).
  const restore = task.format === 'jpeg' && (ops.metadata ?? 'strip') !== 'strip' && iptc?.length ? iptc : undefined;
  const out = await finish(img, task, meta, restore ? restore.length + 4 : 0);
  return restore ? { ...out, data: insertIptc(out.data, restore) } : out;
}

async function finish(img: Sharp, task: ConvertTask, meta: boolean, room: number): Promise<SizedOutput> {
  const { ops, limits } = task;
  let frozen = await freeze(img, meta, limits.timeoutSeconds);
  if (ops.watermark) {
    const marked = frozen.make().composite([await overlay(ops.watermark, frozen.width, frozen.height, ops.grayscale)]);
    if (ops.maxSize === undefined) {
      const { data, info } = await encoder(marked, task.format, task.quality).toBuffer({ resolveWithObject: true });
      return { data, width: info.width, height: info.height, encodes: 1 };
    }
    frozen = await freeze(marked, meta, limits.timeoutSeconds);
  }
  return encodeToSize(frozen, task.format, task.quality, ops.maxSize! - room);
}
