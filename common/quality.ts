/**
 * Constants of the job that the workers need too, kept out of job.ts (its zod schemas cost a
 * worker thread ~50 ms of CPU to load, for one number).
 */

/** The lowest quality a target file size may use before the image is shrunk instead. */
export const TARGET_QUALITY_FLOOR = 30;
