/**
 * The engine's commands as a schema: the engine host validates every message it receives with
 * {@link EngineCommandSchema} before acting on it (the client is another process: trusted code,
 * but versions can differ and a bug must not become a crash). Pure TypeScript + zod.
 */
import { z } from 'zod';
import type { EngineCommand } from './events.js';
import { JobSpecSchema } from './job.js';
import { PreviewJobSchema } from './preview.js';
import { NatsOptionsSchema } from './remote-task.js';

/** A pool size the engine accepts. */
export const WorkersSchema = z.number().int().min(1).max(64);
/** Correlation id: the engine's `reply` event carries it back. */
const Id = z.string().min(1).max(64).optional();
const Path = z.string().min(1).max(4096);
/** Which events the client wants (common/events.ts EventLevel); absent: all. */
const Events = z.enum(['all', 'summary']).optional();

export const EngineCommandSchema: z.ZodType<EngineCommand> = z.discriminatedUnion('type', [
  z.object({ type: z.literal('start'), id: Id, spec: JobSpecSchema, nats: NatsOptionsSchema.optional(), events: Events }).strict(),
  z.object({ type: z.literal('resume'), id: Id, output: Path, workers: WorkersSchema.optional(), nats: NatsOptionsSchema.optional(), events: Events }).strict(),
  z.object({ type: z.literal('set-workers'), id: Id, workers: WorkersSchema }).strict(),
  z.object({ type: z.literal('pause'), id: Id }).strict(),
  z.object({ type: z.literal('continue'), id: Id }).strict(),
  z.object({ type: z.literal('cancel'), id: Id }).strict(),
  z.object({ type: z.literal('list'), id: Id, names: z.array(Path).max(10_000), end: z.boolean() }).strict(),
  z.object({ type: z.literal('dry-run'), id: Id, spec: JobSpecSchema }).strict(),
  z.object({ type: z.literal('preview'), id: Id, path: Path, job: PreviewJobSchema.optional(), maxSize: z.number().int().min(16).max(4096) }).strict(),
  z.object({ type: z.literal('estimate'), id: Id, folders: z.array(Path).min(1).max(1000), images: z.number().int().min(0), job: PreviewJobSchema, sample: z.number().int().min(1).max(16) }).strict(),
]) as unknown as z.ZodType<EngineCommand>;
