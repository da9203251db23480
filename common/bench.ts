/**
 * Benchmark types: one row per concurrency model x worker count. Shared by the engine, the CLI
 * and the Compare view.
 */
import { z } from 'zod';
import { csvCell } from './csv.js';
import { MODELS, OperationsSchema, OUTPUT_FORMATS } from './job.js';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  sharp: string;
  libvips: string;
  uvThreadpoolSize: number;
}

export const BenchOptionsSchema = z
  .object({
    inputs: z.array(z.string().min(1)).min(1),
    models: z.array(z.enum(MODELS)).min(1).default(['threads']),
    workers: z.array(z.number().int().min(1).max(64)).min(1).default([1, 2]),
    /** Timed runs per cell (after one warm-up run). Default 3. */
    repeat: z.number().int().min(1).max(50).default(3),
    /** The job; defaults to the reference job (grayscale, inside 1024x1024, JPEG q80). */
    job: z
      .object({ ops: OperationsSchema.optional(), format: z.enum(OUTPUT_FORMATS).optional(), quality: z.number().int().min(1).max(100).optional() })
      .strict()
      .optional(),
    /** Also run every cell through the Cluster setting's NATS broker (this machine + remote workers). */
    cluster: z.boolean().default(false),
  })
  .strict();
export type BenchOptions = z.output<typeof BenchOptionsSchema>;
export type BenchOptionsInput = z.input<typeof BenchOptionsSchema>;

export interface BenchRow {
  model: string;
  workers: number;
  images: number;
  megapixels: number;
  /** Wall seconds of each timed run. */
  runs: number[];
  medianS: number;
  minS: number;
  maxS: number;
  imagesPerSec: number;
  mpPerSec: number;
  /** Median time at 1 worker of the same model / median time here; null without a 1-worker row. */
  speedup: number | null;
  /** speedup / workers. */
  efficiency: number | null;
  /** CPU time of the process tree / wall time / cores, in percent of the machine. */
  cpuPercent: number;
  /** Peak of the summed RSS of the engine's process tree (sampled), MiB. */
  peakRssMiB: number;
  /** Some run shared the machine with other load (more than 15% of a core on average). */
  disturbed: boolean;
}

export type BenchEvent =
  | { type: 'bench-start'; machine: MachineInfo; cells: number; runsPerCell: number }
  | { type: 'bench-run'; model: string; workers: number; run: number; warmup: boolean; seconds: number; done: number; of: number }
  | { type: 'bench-row'; row: BenchRow }
  | { type: 'bench-done'; machine: MachineInfo; rows: BenchRow[] }
  | { type: 'bench-error'; message: string };

/** The machine in one line (the CLI and the Compare view print the same). */
export function machineLine(m: MachineInfo): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, node ${m.node}, sharp ${m.sharp} (libvips ${m.libvips}), UV_THREADPOOL_SIZE ${m.uvThreadpoolSize}`;
}

const CSV_COLUMNS = ['model', 'workers', 'images', 'megapixels', 'medianS', 'minS', 'maxS', 'imagesPerSec', 'mpPerSec', 'speedup', 'efficiency', 'cpuPercent', 'peakRssMiB', 'disturbed'] as const;

/**
 * The benchmark table as CSV: a comment line with the machine, a header, one row per model x
 * workers. The CLI (`--csv`) and the Compare view export the same text.
 *
 * @example
 * benchCsv(rows, machine).split('\n')[1] // 'model,workers,images,...'
 */
export function benchCsv(rows: BenchRow[], m: MachineInfo): string {
  return (
    [
      `# ${m.cpu}; ${m.cores} cores; ${m.memoryGiB} GiB; ${m.os}; node ${m.node}; sharp ${m.sharp}; libvips ${m.libvips}; UV_THREADPOOL_SIZE ${m.uvThreadpoolSize}`,
      CSV_COLUMNS.join(','),
      ...rows.map((r) => CSV_COLUMNS.map((c) => csvCell(r[c])).join(',')),
    ].join('\n') + '\n'
  );
}
