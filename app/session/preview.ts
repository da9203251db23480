/**
 * The session's previews and size estimates: checked here (only files of the added inputs or the
 * current batch), rendered by the engine process.
 */
import { resolve, sep } from 'node:path';
import type { FolderInfo, Handlers } from '../../common/contract.js';
import type { EngineCommand } from '../../common/events.js';
import { EstimateSchema, PreviewSchema } from '../../common/preview.js';

/** The engine commands previews use (without their correlation id). */
export type PreviewCommand = Omit<Extract<EngineCommand, { type: 'preview' }>, 'id'> | Omit<Extract<EngineCommand, { type: 'estimate' }>, 'id'>;

/**
 * The `renderPreview` and `estimateSize` handlers: previews only of files in the added inputs or
 * the current batch, estimates over the added inputs that can be read. The engine renders them
 * (engine/preview.ts): image decoders never run in the session's process.
 *
 * @example
 * const handlers = { ...previewHandlers({ folders: () => snapshot.folders, isServable: (p) => false, engine: (cmd) => link.request(cmd) }) };
 */
export function previewHandlers(access: {
  folders: () => FolderInfo[];
  isServable: (path: string) => boolean;
  /** Send a preview/estimate command to the engine; resolves with the reply's result. */
  engine: (cmd: PreviewCommand) => Promise<unknown>;
  /** What is converting now ('a batch', 'a comparison'), or null: previews wait for it (default: never). */
  busy?: () => string | null;
}): Pick<Handlers, 'renderPreview' | 'estimateSize'> {
  // A preview decodes a full-size input on the engine's cores: while a batch converts (or a
  // comparison measures), it would take their CPU. The UI shows outputs only meanwhile.
  const idle = (what: string) => {
    const busy = access.busy?.();
    if (busy) throw new Error(`No ${what} while ${busy} converts: it would slow it down. Pause it or wait for it to finish.`);
  };
  return {
    renderPreview: async ({ path, job, maxSize }) => {
      idle('preview');
      const abs = resolve(path);
      const inInputs = access.folders().some((f) => abs === f.path || abs.startsWith(f.path + sep));
      if (!inInputs && !access.isServable(abs)) throw new Error(`No preview for ${path}: it is not in the added inputs or the current batch.`);
      return PreviewSchema.parse(await access.engine({ type: 'preview', path: abs, job, maxSize }));
    },
    estimateSize: async ({ job, sample }) => {
      idle('size estimate');
      const folders = access.folders().filter((f) => !f.error);
      if (!folders.length) throw new Error('Add photos first: the estimate converts a few of them.');
      const images = folders.reduce((n, f) => n + f.images, 0);
      return EstimateSchema.parse(await access.engine({ type: 'estimate', folders: folders.map((f) => f.path), images, job, sample }));
    },
  };
}
