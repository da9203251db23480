/**
 * `photopool bench`: the same job on the same files, per concurrency model x worker count:
 * one warm-up run, then timed runs into a scratch folder, each in a fresh engine batch, with
 * the process tree sampled for memory and CPU every 50 ms.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchEvent, BenchOptions, BenchRow } from '../../common/bench.js';
import type { JobSpecInput } from '../../common/job.js';
import type { EngineProcess } from '../engine-client.js';
import { machineInfo } from './machine.js';
import { machineBusySeconds, sampleTree } from '../../engine/proc.js';
import { addSpeedups, toRow, type RunSample } from './stats.js';
import type { NatsOptions } from '../../common/remote-task.js';

/** The reference job: grayscale, fit inside 1024x1024 without enlarging, JPEG quality 80. */
export const REFERENCE_JOB = {
  ops: { grayscale: true, resize: { width: 1024, height: 1024, fit: 'inside', withoutEnlargement: true } },
  format: 'jpeg',
  quality: 80,
} as const satisfies Partial<JobSpecInput>;

const SAMPLE_MS = 50;

/** Run one batch on `engine` and measure it. */
async function timedRun(engine: EngineProcess, spec: JobSpecInput, signal?: AbortSignal, nats?: NatsOptions): Promise<RunSample & { images: number; megapixels: number; failed: number }> {
  const pid = engine.pid!;
  const t0 = performance.now();
  const tree0 = sampleTree(pid);
  const busy0 = machineBusySeconds();
  let peak = tree0.rssBytes;
  const timer = setInterval(() => (peak = Math.max(peak, sampleTree(pid).rssBytes)), SAMPLE_MS);
  try {
    const totals = await new Promise<{ done: number; failed: number; megapixels: number }>((resolve, reject) => {
      const onAbort = () => engine.send({ type: 'cancel' });
      signal?.addEventListener('abort', onAbort, { once: true });
      const off = engine.onEvent((e) => {
        if (e.type === 'done') {
          off();
          signal?.removeEventListener('abort', onAbort);
          if (e.cancelled) reject(new Error('benchmark cancelled'));
          else resolve(e.totals);
        } else if (e.type === 'fatal') {
          off();
          reject(new Error(e.message));
        }
      });
      void engine.exited.then(({ code, signal: sig }) => reject(new Error(`the benchmark's engine process ended unexpectedly (${sig ?? `exit code ${code}`})`)));
      engine.send(nats ? { type: 'start', spec, nats } : { type: 'start', spec });
    });
    const seconds = (performance.now() - t0) / 1000;
    const tree1 = sampleTree(pid);
    peak = Math.max(peak, tree1.rssBytes);
    const cpuSeconds = tree1.cpuSeconds - tree0.cpuSeconds;
    const otherCpuSeconds = Math.max(0, machineBusySeconds() - busy0 - cpuSeconds);
    return { seconds, cpuSeconds, peakRssBytes: peak, otherCpuSeconds, images: totals.done, megapixels: totals.megapixels, failed: totals.failed };
  } finally {
    clearInterval(timer);
  }
}

/** Starts a fresh engine process able to run a pool of `maxWorkers` (the CLI forks, Electron uses a utilityProcess). */
export type SpawnEngine = (maxWorkers: number) => EngineProcess;

/**
 * Run the benchmark, each model x worker count in a fresh engine from `spawn`; events arrive
 * through `onEvent`, the rows are also returned. With `options.cluster`, each cell runs a
 * second time through the broker of `nats` (model named `<model> + cluster`: the local pool of
 * that size plus the remote workers), so the table compares this machine alone with the cluster.
 *
 * @example
 * const rows = await runBench({ inputs: ['photos'], models: ['threads'], workers: [1, 2], repeat: 3 }, (n) => spawnEngine({ maxWorkers: n }), console.log);
 */
export async function runBench(options: BenchOptions, spawn: SpawnEngine, onEvent: (e: BenchEvent) => void, signal?: AbortSignal, nats?: NatsOptions): Promise<BenchRow[]> {
  if (options.cluster && !nats) throw new Error('Comparing with the cluster needs the Cluster setting (the NATS broker URL, under Convert)');
  const maxWorkers = Math.max(...options.workers);
  const machine = machineInfo(maxWorkers);
  const cells = options.models.flatMap((model) => options.workers.flatMap((workers) => [{ model, workers, remote: undefined as NatsOptions | undefined }, ...(options.cluster ? [{ model, workers, remote: nats }] : [])]));
  const perCell = options.repeat + 1;
  onEvent({ type: 'bench-start', machine, cells: cells.length, runsPerCell: perCell });
  const scratch = mkdtempSync(join(tmpdir(), 'photopool-bench-'));
  const rows: BenchRow[] = [];
  let done = 0;
  try {
    for (const { model: engineModel, workers, remote } of cells) {
      const model = remote ? `${engineModel} + cluster` : engineModel;
      const engine = spawn(maxWorkers);
      try {
        const samples: RunSample[] = [];
        let images = 0;
        let megapixels = 0;
        for (let run = 0; run < perCell; run++) {
          if (signal?.aborted) throw new Error('benchmark cancelled');
          const output = join(scratch, `${engineModel}-${remote ? 'cluster-' : ''}${workers}-${run}`);
          const spec: JobSpecInput = { ...REFERENCE_JOB, ...options.job, inputs: options.inputs, output, workers, model: engineModel, naming: { collision: 'overwrite-output' } };
          const r = await timedRun(engine, spec, signal, remote);
          rmSync(output, { recursive: true, force: true });
          if (r.failed) throw new Error(`${r.failed} file(s) failed during the benchmark: run "photopool convert" on the same inputs to see why`);
          const warmup = run === 0;
          if (!warmup) samples.push(r);
          images = r.images;
          megapixels = r.megapixels;
          onEvent({ type: 'bench-run', model, workers, run, warmup, seconds: r.seconds, done: ++done, of: cells.length * perCell });
        }
        const row = toRow(model, workers, images, megapixels, samples, machine.cores);
        rows.push(row);
        addSpeedups(rows);
        onEvent({ type: 'bench-row', row });
      } finally {
        engine.close();
        await engine.exited;
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  onEvent({ type: 'bench-done', machine, rows });
  return rows;
}
