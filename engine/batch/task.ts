/**
 * What a worker is given for one file: the recipe of the batch, the input as the scan recognised
 * it, and the temporary path it writes to (the engine commits it; see commit.ts).
 */
import type { JobSpec } from '../../common/job.js';
import type { ConvertTask, InputFormat } from '../../common/task.js';
import type { PlannedOutput } from '../plan.js';

/**
 * @example
 * convertTask(spec, { path: '/in/a.png', format: 'png' }, { output: '/out/a.jpg', format: 'jpeg' }, '/out/.a.jpg.x.photopool-tmp')
 */
export function convertTask(spec: JobSpec, item: { path: string; format: InputFormat }, planned: PlannedOutput, tmp: string): ConvertTask {
  return {
    input: item.path,
    inputFormat: item.format,
    tmp,
    format: planned.format,
    quality: spec.quality,
    ops: spec.ops,
    limits: spec.limits,
    keepExif: spec.keepExif,
    keepIcc: spec.keepIcc,
    keepMtime: spec.keepMtime,
  };
}
