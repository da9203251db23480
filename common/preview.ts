/**
 * Messages between the UI session and its preview thread (workers/preview.ts): one input through
 * a conversion, in memory. Pure types.
 */
import type { ConvertTask, EncodeFormat } from './task.js';

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
