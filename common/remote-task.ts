/**
 * What travels between a coordinator (the engine running a batch with `--nats`) and remote
 * workers (`photopool worker`) through NATS JetStream. A task carries the recipe, the name of
 * the input object in the batch's object store and a relative display name: nothing of the
 * coordinator's file system. Both ends validate what they receive with these schemas.
 * Pure TypeScript + zod.
 */
import { z } from 'zod';
import { FAILURE_CODES } from './failures.js';
import { LimitsSchema, OperationsSchema } from './job.js';
import { INPUT_FORMATS } from './task.js';
import { InvalidOptionsError } from './validate.js';

/** The work-queue stream all batches publish their tasks to (subjects `photopool.task.<batch>`). */
export const TASK_STREAM = 'PHOTOPOOL_TASKS';
/** The one durable pull consumer every worker shares. */
export const WORKERS_CONSUMER = 'photopool-workers';
/** Result header holding the result's JSON; the message's payload is the output when it is small. */
export const RESULT_HEADER = 'Photopool-Result';
/** Outputs up to this size travel in the result message itself (the broker's default limit is 1 MB). */
export const INLINE_OUTPUT_MAX = 512 * 1024;
/** A task delivered this many times without an answer (every worker that took it died) fails. */
export const MAX_DELIVERIES = 3;

const batchId = z.string().regex(/^[a-z0-9]{1,32}$/, 'lower-case letters and digits');

/** Subjects, stream and bucket of one batch. @example natsNames('1a2b3c4d').bucket // 'photopool-1a2b3c4d' */
export function natsNames(batch: string): { taskSubject: string; resultStream: string; resultSubject: string; bucket: string } {
  return {
    taskSubject: `photopool.task.${batch}`,
    resultStream: `PHOTOPOOL_RESULTS_${batch}`,
    resultSubject: `photopool.result.${batch}`,
    bucket: `photopool-${batch}`,
  };
}

/** A relative path with no `..`, no leading slash or drive, no control characters. */
const displayName = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !/^([\\/]|[A-Za-z]:)/.test(s) && !s.split(/[\\/]/).includes('..') && !/[\u0000-\u001f]/.test(s), {
    message: 'a relative file name (no leading slash, drive or "..")',
  });

export const RemoteTaskSchema = z
  .object({
    v: z.literal(1),
    /** Unique within the batch. */
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    batch: batchId,
    /** Name of the input bytes in the batch's object store. */
    object: z.string().regex(/^in\/[A-Za-z0-9_-]{1,64}$/),
    /** The input's path relative to its input folder: for messages only. */
    name: displayName,
    inputFormat: z.enum(INPUT_FORMATS),
    format: z.enum(['jpeg', 'png', 'webp', 'avif', 'tiff']),
    quality: z.number().int().min(1).max(100),
    /** A logo watermark names a file of the coordinator: such batches convert locally only. */
    ops: OperationsSchema.refine((o) => !o.watermark?.image, { message: 'no image watermark (it names a file of the coordinator)' }),
    limits: LimitsSchema,
    keepExif: z.boolean(),
    keepIcc: z.boolean(),
  })
  .strict();
export type RemoteTask = z.output<typeof RemoteTaskSchema>;

const outcome = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    inputBytes: z.number().int().min(0),
    outputBytes: z.number().int().min(0),
    width: z.number().int().min(0),
    height: z.number().int().min(0),
    outWidth: z.number().int().min(0),
    outHeight: z.number().int().min(0),
    ms: z.number().min(0),
    lane: z.enum(['luma', 'colour', 'sharp']),
    /** The encoder quality a target file size (`ops.maxSize`) chose, as a local conversion reports it. */
    quality: z.number().int().min(1).max(100).optional(),
    warnings: z.array(z.string().max(1000)).max(50).optional(),
    /** Name of the output bytes in the batch's object store; absent: they are the result message's payload. */
    object: z.string().regex(/^out\/[A-Za-z0-9_/-]{1,128}$/).optional(),
  }),
  z.object({ ok: z.literal(false), code: z.enum(FAILURE_CODES), detail: z.string().max(4096), ms: z.number().min(0) }),
]);

export const RemoteResultSchema = z
  .object({
    v: z.literal(1),
    id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    /** `host/worker` that converted it. */
    worker: z.string().min(1).max(200),
    result: outcome,
  })
  .strict();
export type RemoteResult = z.output<typeof RemoteResultSchema>;

/**
 * How to reach the broker. Never part of a JobSpec: it is not journaled, saved or sent in events.
 */
export const NatsOptionsSchema = z
  .object({
    /** Server URL(s), comma-separated: nats://host:4222, tls://host:4222. */
    url: z
      .string()
      .min(1)
      .refine((u) => u.split(',').every((s) => /^((nats|tls|ws|wss):\/\/)?[^\s/]+(:\d+)?\/?$/.test(s.trim())), { message: 'nats://host:port (comma-separated for several)' }),
    /** A NATS credentials file (JWT + NKey seed). */
    creds: z.string().min(1).optional(),
    /** A CA certificate (PEM) to verify the server's TLS certificate. */
    tlsCa: z.string().min(1).optional(),
    /** Files uploaded or queued for remote workers at once (the coordinator's window). Default 32. */
    window: z.number().int().min(1).max(4096).default(32),
  })
  .strict();
export type NatsOptions = z.output<typeof NatsOptionsSchema>;
export type NatsOptionsInput = z.input<typeof NatsOptionsSchema>;

/**
 * The server part of a URL list with any user:password removed, for messages and events.
 *
 * @example
 * redactUrl('nats://alice:secret@broker:4222') // 'nats://broker:4222'
 */
export function redactUrl(url: string): string {
  return url
    .split(',')
    .map((s) => s.trim().replace(/^(\w+:\/\/)?[^@/]*@/, '$1'))
    .join(',');
}

const FLAG: Record<string, string> = { url: '--nats', creds: '--nats-creds', tlsCa: '--nats-tls-ca', window: '--nats-window' };

/**
 * Validate connection options; a problem names the flag and never shows a password.
 *
 * @example
 * parseNatsOptions({ url: 'nats://127.0.0.1:4222' }) // { url: 'nats://127.0.0.1:4222', window: 32 }
 */
export function parseNatsOptions(input: unknown): NatsOptions {
  const r = NatsOptionsSchema.safeParse(input);
  if (r.success) return r.data;
  throw new InvalidOptionsError(
    r.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? '');
      const value = (input as Record<string, unknown> | null)?.[key];
      const received = value === undefined ? 'nothing' : key === 'url' ? JSON.stringify(redactUrl(String(value))) : JSON.stringify(value);
      return { field: FLAG[key] ?? (key || '--nats'), expected: issue.message, received };
    }),
  );
}
