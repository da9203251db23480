/**
 * Previews and size estimates: what a UI asks for (a recipe's pixels, in memory, nothing
 * written), what it gets back, and the messages between the engine and its preview thread
 * (workers/preview.ts). Pure TypeScript + zod.
 */
import { z } from 'zod';
import { OperationsSchema, OUTPUT_FORMATS } from './job.js';
import type { ConvertTask, EncodeFormat } from './task.js';

const Path = z.string().min(1).max(4096);

/** The part of a recipe a preview or an estimate applies (the rest does not change pixels or bytes). */
export const PreviewJobSchema = z
  .object({ ops: OperationsSchema.optional(), format: z.enum(OUTPUT_FORMATS).optional(), quality: z.number().int().min(1).max(100).optional() })
  .strict();
export type PreviewJob = z.input<typeof PreviewJobSchema>;

/** A rendered preview: a small image the page can show, and the sizes it stands for. */
export const PreviewSchema = z.object({
  /** `data:image/jpeg;base64,…` (or the recipe's own format when the browser shows it). */
  image: z.string(),
  /** Pixel size of `image`. */
  width: z.number().int(),
  height: z.number().int(),
  /** The input's pixel size (after EXIF rotation) and file size. */
  inputWidth: z.number().int(),
  inputHeight: z.number().int(),
  inputBytes: z.number().int(),
  /** With a job: the output's pixel size and encoded size in the recipe's format. */
  output: z.object({ width: z.number().int(), height: z.number().int(), bytes: z.number().int(), format: z.string() }).nullable(),
});
export type Preview = z.infer<typeof PreviewSchema>;

/** Estimated output size of the added inputs through a recipe, from a converted sample. */
export const EstimateSchema = z.object({
  /** Images in the added inputs (the quick count). */
  images: z.number().int(),
  /** Files converted in memory for the estimate, and their paths (the preview's sample inputs). */
  sampled: z.number().int(),
  samples: z.array(Path),
  /** Sum of the sampled inputs' and outputs' sizes. */
  sampleInputBytes: z.number(),
  sampleOutputBytes: z.number(),
  /** Total output size for all images: a range (bytes). */
  low: z.number(),
  high: z.number(),
});
export type Estimate = z.infer<typeof EstimateSchema>;


export interface PreviewJobMessage {
  id: number;
  /** The conversion to run (`tmp` unused): the recipe's, or a plain resize for the "before" image. */
  task: ConvertTask;
  /** Longest side of the image sent back to the page. */
  maxSize: number;
  /** True when `task` is the person's recipe (its encoded size is reported). */
  recipe: boolean;
}

export type PreviewReplyMessage =
  | {
      id: number;
      ok: true;
      /** A data URL the page can show. */
      image: string;
      width: number;
      height: number;
      /** The input's stored pixel size and file size. */
      inputWidth: number;
      inputHeight: number;
      inputBytes: number;
      output: { width: number; height: number; bytes: number; format: EncodeFormat } | null;
    }
  | { id: number; ok: false; message: string };
