/**
 * Settings that survive restarts: one JSON file shared by the desktop app, browser mode and the
 * CLI (app/settings.ts reads and writes it). A preset is a recipe, the part of a job that says
 * how to convert (not what or where): `photopool convert --preset NAME` and the UI's Presets
 * menu use the same ones. Pure TypeScript + zod.
 */
import { z } from 'zod';
import { JobSpecSchema } from './job.js';
import { NatsOptionsSchema } from './remote-task.js';

/** How to convert: a job without inputs, output, workers, model or limits. */
export const RecipeSchema = JobSpecSchema.pick({ ops: true, format: true, quality: true, naming: true, keepExif: true, keepIcc: true, keepMtime: true });
export type RecipeInput = z.input<typeof RecipeSchema>;
export type Recipe = z.output<typeof RecipeSchema>;

/** A preset's name: what a person types in the UI or after `--preset`. */
export const PresetNameSchema = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .refine((s) => !/[\u0000-\u001f]/.test(s), { message: 'no control characters' });

const Path = z.string().min(1).max(4096);

/** Window position and size of the desktop app. */
export const WindowBoundsSchema = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200).max(20000), height: z.number().int().min(200).max(20000) }).strict();

/**
 * The UI's Cluster setting: the NATS broker its batches run through (remote workers with the
 * local pool). The URL only: credentials never go to the settings file (no `user:pass@`; a
 * `.creds` file or CA is given to the app in PHOTOPOOL_NATS_CREDS / PHOTOPOOL_NATS_TLS_CA).
 */
export const ClusterSettingSchema = z
  .object({
    url: NatsOptionsSchema.shape.url.refine((u) => !u.includes('@'), { message: 'no user:password in the URL (give a .creds file in PHOTOPOOL_NATS_CREDS)' }),
  })
  .strict();

/** Each setting (without defaults: a patch names only what it changes). */
const Fields = {
  /** The recipe last used or edited (null: the UI's defaults). */
  recipe: RecipeSchema.nullable(),
  /** Input folders of the last batch. */
  lastInputs: z.array(Path).max(1000),
  /** Output folder the user last chose. */
  lastOutput: Path.nullable(),
  /** Worker count last chosen (null: one per core). */
  workers: z.number().int().min(1).max(64).nullable(),
  /** Saved recipes by name. */
  presets: z.record(PresetNameSchema, RecipeSchema),
  /** Desktop window bounds (null: centred default). */
  window: WindowBoundsSchema.nullable(),
  /** The NATS broker the UI's batches run through (null: the local pool only). */
  cluster: ClusterSettingSchema.nullable(),
};

export const SettingsSchema = z
  .object({
    version: z.literal(1).default(1),
    recipe: Fields.recipe.default(null),
    lastInputs: Fields.lastInputs.default([]),
    lastOutput: Fields.lastOutput.default(null),
    workers: Fields.workers.default(null),
    presets: Fields.presets.default({}),
    window: Fields.window.default(null),
    cluster: Fields.cluster.default(null),
  })
  .strict();
export type Settings = z.output<typeof SettingsSchema>;

/** A change to the settings: the fields given replace the stored ones (presets as a whole). */
export const SettingsPatchSchema = z.object(Fields).partial().strict();
export type SettingsPatch = z.input<typeof SettingsPatchSchema>;

/** The defaults (what a missing or corrupt file gives). */
export const defaultSettings = (): Settings => SettingsSchema.parse({});
