/** Helpers of the recipe-step tests: run the worker pipeline in-process on a buffer. */
import { JobSpecSchema, type JobSpecInput } from '../common/job.js';
import type { ConvertTask } from '../common/task.js';
import { encode } from '../workers/pipeline.js';

/**
 * The worker pipeline on `input` with the given ops, as PNG unless said otherwise.
 *
 * @example
 * const out = await convertWith(png, { sharpen: true }); // out.data, out.lane, out.quality
 */
export async function convertWith(input: Buffer, ops: JobSpecInput['ops'], format: ConvertTask['format'] = 'png', extra: Partial<ConvertTask> = {}) {
  const spec = JobSpecSchema.parse({ inputs: ['x'], output: 'y', ops });
  const task: ConvertTask = { input: 'test', inputFormat: 'png', tmp: '', format, quality: 90, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false, ...extra };
  return encode(input, task);
}
