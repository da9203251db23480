/**
 * The session's previews and size estimates: inputs through the engine's pipeline on one worker
 * thread (workers/preview.ts; sharp never runs on the session's own thread, which is Electron's
 * main thread in the desktop app), in memory, nothing written. The thread ends when idle.
 */
import { open, readdir } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Estimate, FolderInfo, Handlers, Preview, PreviewJob } from '../../common/contract.js';
import { LimitsSchema, OperationsSchema } from '../../common/job.js';
import type { PreviewJobMessage, PreviewReplyMessage } from '../../common/preview.js';
import type { ConvertTask } from '../../common/task.js';
import { resolveEntry } from '../../engine/entry.js';
import { outputFormat } from '../../engine/plan.js';
import { hasImageExtension, sniff, SNIFF_BYTES } from '../../engine/sniff.js';

const IDLE_MS = 30_000;
/** Image files looked at when choosing an estimate's sample. */
const CANDIDATES = 400;

/** The "before" image: the input as it looks (rotated, shrunk), in colour. */
const BEFORE: PreviewJob = { ops: { grayscale: false, autoRotate: true }, format: 'jpeg', quality: 85 };

async function head(path: string): Promise<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const buf = new Uint8Array(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Renders previews on a lazily started worker thread. */
export class Previewer {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: PreviewReplyMessage) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private idle: NodeJS.Timeout | null = null;

  /**
   * `path` through `job` (the recipe), or as it looks without one; the image is at most
   * `maxSize` pixels on its longest side.
   *
   * @example
   * const p = await previewer.render('/photos/a.tif', { ops: { grayscale: true }, format: 'jpeg', quality: 80 }, 1600);
   * p.output?.bytes // encoded size in the recipe's format
   */
  async render(path: string, job: PreviewJob | undefined, maxSize: number): Promise<Preview> {
    const sniffed = await sniff(await head(path), path);
    if (sniffed.kind !== 'image') throw new Error(`No preview for ${path}: ${sniffed.kind === 'unsupported' ? `${sniffed.name} is not a format PhotoPool reads` : 'it is not an image'}.`);
    const recipe = job ?? { ...BEFORE, ops: { ...BEFORE.ops, resize: { width: maxSize, height: maxSize, fit: 'inside', withoutEnlargement: true } } };
    const task: ConvertTask = {
      input: path,
      inputFormat: sniffed.format,
      tmp: '',
      format: outputFormat(recipe.format ?? 'same', sniffed.format),
      quality: recipe.quality ?? 80,
      ops: OperationsSchema.parse(recipe.ops ?? {}),
      limits: LimitsSchema.parse({}),
      keepExif: false,
      keepIcc: false,
      keepMtime: false,
    };
    const r = await this.post({ task, maxSize, recipe: !!job });
    if (!r.ok) throw new Error(`No preview for ${path}: ${r.message}`);
    const { id: _id, ok: _ok, ...preview } = r;
    return preview;
  }

  /**
   * Convert `sample` images spread over `folders` in memory through `job` and extrapolate the
   * output size of all `images` as a range (mean ± two standard errors, never below the smallest
   * sampled output).
   */
  async estimate(folders: string[], images: number, job: PreviewJob, sample: number, signal?: AbortSignal): Promise<Estimate> {
    const candidates = await imageFiles(folders, CANDIDATES);
    const step = candidates.length / Math.min(sample, candidates.length || 1);
    const samples = Array.from({ length: Math.min(sample, candidates.length) }, (_, i) => candidates[Math.floor(i * step)]!);
    const sizes: number[] = [];
    let sampleInputBytes = 0;
    const used: string[] = [];
    for (const path of samples) {
      signal?.throwIfAborted();
      const p = await this.render(path, job, 64).catch(() => null); // a file that fails is left out (the batch would list it)
      if (!p?.output) continue;
      sizes.push(p.output.bytes);
      sampleInputBytes += p.inputBytes;
      used.push(path);
    }
    const n = sizes.length;
    const mean = n ? sizes.reduce((a, b) => a + b, 0) / n : 0;
    const sd = n > 1 ? Math.sqrt(sizes.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : mean * 0.3;
    const se = sd / Math.sqrt(Math.max(1, n));
    const low = images * Math.max(Math.min(...sizes, mean), mean - 2 * se);
    return { images, sampled: n, samples: used, sampleInputBytes, sampleOutputBytes: sizes.reduce((a, b) => a + b, 0), low: n ? low : 0, high: images * (mean + 2 * se) };
  }

  /** Stop the thread (pending previews fail). */
  async close(): Promise<void> {
    if (this.idle) clearTimeout(this.idle);
    const w = this.worker;
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('previews stopped'));
    this.pending.clear();
    await w?.terminate();
  }

  private post(m: Omit<PreviewJobMessage, 'id'>): Promise<PreviewReplyMessage> {
    if (this.idle) clearTimeout(this.idle);
    const w = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      w.postMessage({ ...m, id } satisfies PreviewJobMessage);
    });
  }

  private start(): Worker {
    const entry = resolveEntry(import.meta.url, '../../workers/preview.js');
    // From TypeScript sources (tests), register tsx inside the thread, then load the entry.
    const w = entry.execArgv.length
      ? new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(pathToFileURL(entry.file).href)}); });`, { eval: true })
      : new Worker(entry.file);
    w.unref();
    w.on('message', (r: PreviewReplyMessage) => {
      const p = this.pending.get(r.id);
      this.pending.delete(r.id);
      p?.resolve(r);
      if (!this.pending.size) this.idle = setTimeout(() => void this.close(), IDLE_MS).unref();
    });
    const died = (err: Error) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new Error(`the preview thread stopped: ${err.message}`));
      this.pending.clear();
    };
    w.on('error', died);
    w.on('exit', (code) => died(new Error(`exit code ${code}`)));
    this.worker = w;
    return w;
  }
}

/** Up to `limit` image files (by extension) below `roots`, breadth first, hidden ones left out. */
async function imageFiles(roots: string[], limit: number): Promise<string[]> {
  const out: string[] = [];
  const queue = [...roots];
  while (queue.length && out.length < limit) {
    const dir = queue.shift()!;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => null);
    if (!entries) {
      if (hasImageExtension(dir)) out.push(dir); // a file added on its own
      continue;
    }
    for (const d of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.name.startsWith('.')) continue;
      const p = join(dir, d.name);
      if (d.isDirectory()) queue.push(p);
      else if (d.isFile() && hasImageExtension(d.name) && out.length < limit) out.push(p);
    }
  }
  return out;
}

/**
 * The `renderPreview` and `estimateSize` handlers: previews only of files in the added inputs or
 * the current batch, estimates over the added inputs that can be read.
 *
 * @example
 * const handlers = { ...previewHandlers(new Previewer(), { folders: () => snapshot.folders, isServable: (p) => false }) };
 */
export function previewHandlers(previews: Previewer, access: { folders: () => FolderInfo[]; isServable: (path: string) => boolean }): Pick<Handlers, 'renderPreview' | 'estimateSize'> {
  return {
    renderPreview: async ({ path, job, maxSize }) => {
      const abs = resolve(path);
      const inInputs = access.folders().some((f) => abs === f.path || abs.startsWith(f.path + sep));
      if (!inInputs && !access.isServable(abs)) throw new Error(`No preview for ${path}: it is not in the added inputs or the current batch.`);
      return previews.render(abs, job, maxSize);
    },
    estimateSize: async ({ job, sample }) => {
      const folders = access.folders().filter((f) => !f.error);
      if (!folders.length) throw new Error('Add photos first: the estimate converts a few of them.');
      const images = folders.reduce((n, f) => n + f.images, 0);
      return previews.estimate(folders.map((f) => f.path), images, job, sample);
    },
  };
}
