/**
 * The unit of work handed to a worker: one input file, one temporary output path.
 * Shared by the engine (which plans it) and the workers (which run it).
 */
import type { FailureCode } from './failures.js';
import type { Limits, Operations } from './job.js';

/** Formats PhotoPool reads (sharp, or a decoder of workers/decode/ for heif, jxl, bmp, ico and raw). */
export const INPUT_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif', 'svg', 'jxl', 'bmp', 'ico', 'raw'] as const;
export type InputFormat = (typeof INPUT_FORMATS)[number];
/** Formats the pipeline writes. */
export type EncodeFormat = 'jpeg' | 'png' | 'webp' | 'avif' | 'tiff';

/** Which path converted a file: `luma` (libjpeg-turbo's Y plane, gray JPEG from JPEG) or `sharp` (libvips). */
export type ConvertLane = 'luma' | 'colour' | 'sharp';

export interface ConvertTask {
  input: string;
  /** Format the scan recognised from the content. */
  inputFormat: InputFormat;
  /** Where the worker writes; the engine renames it to `output` after journaling. */
  tmp: string;
  format: EncodeFormat;
  quality: number;
  ops: Operations;
  limits: Limits;
  keepExif: boolean;
  keepIcc: boolean;
  keepMtime: boolean;
}

export type ConvertResult =
  | {
      ok: true;
      inputBytes: number;
      outputBytes: number;
      /** Input dimensions (before rotation). */
      width: number;
      height: number;
      outWidth: number;
      outHeight: number;
      lane: ConvertLane;
      ms: number;
      threadId: number;
      /** Decoder warnings that do not touch the pixels (see workers/warnings.ts); absent when none. */
      warnings?: string[];
      /** Encoder quality a target file size (`ops.maxSize`) chose; absent otherwise. */
      quality?: number;
      /** `host/worker` of the remote worker that converted it (a `--nats` batch); absent for the local pool. */
      remote?: string;
    }
  | { ok: false; code: FailureCode; detail: string; ms: number; threadId: number };
