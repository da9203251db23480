/**
 * `photopool bench`: throughput and memory per concurrency model x worker count.
 */
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { benchCsv, BenchOptionsSchema, machineLine, type BenchEvent, type BenchOptions, type BenchRow, type MachineInfo } from '../../common/bench.js';
import { InvalidOptionsError, parseOrThrow } from '../../common/validate.js';
import { MODELS, OUTPUT_FORMATS } from '../../common/job.js';
import { REFERENCE_JOB, runBench } from '../bench/run.js';
import { parseBox } from './options.js';
import { spawnEngine, type EngineProcess } from '../engine-client.js';
import { EXIT_INTERRUPTED, onInterrupt } from './signals.js';

const fmt = (x: number | null, d = 2) => (x === null ? '-' : x.toFixed(d));

/** The results as an aligned text table. */
export function table(rows: BenchRow[]): string {
  const head = ['model', 'workers', 'median s', 'min-max s', 'images/s', 'MP/s', 'speed-up', 'efficiency', 'CPU %', 'peak RSS MiB', 'note'];
  const body = rows.map((r) => [
    r.model,
    String(r.workers),
    fmt(r.medianS),
    `${fmt(r.minS)}-${fmt(r.maxS)}`,
    fmt(r.imagesPerSec, 1),
    fmt(r.mpPerSec, 1),
    r.speedup === null ? '-' : `${fmt(r.speedup)}x`,
    r.efficiency === null ? '-' : `${Math.round(r.efficiency * 100)}%`,
    String(Math.round(r.cpuPercent)),
    String(Math.round(r.peakRssMiB)),
    r.disturbed ? 'DISTURBED: other load during a run' : '',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [line(head), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n');
}

const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);

export function registerBenchCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('bench')
    .description('measure throughput and memory per concurrency model and worker count')
    .argument('<inputs...>', 'files and folders to convert (the same files for every run)')
    .option('-w, --workers <list>', 'worker counts, comma-separated', '1,2')
    .option('-m, --models <list>', `models, comma-separated (${MODELS.join(', ')})`, 'threads')
    .option('-r, --repeat <n>', 'timed runs per cell, after one warm-up', '3')
    .option('--resize <WxH>', 'box to fit into (reference job: 1024x1024)')
    .addOption(new Option('-f, --format <format>', 'output format (reference: jpeg)').choices(OUTPUT_FORMATS.filter((f) => f !== 'same')))
    .option('-Q, --quality <n>', 'quality (reference: 80)')
    .option('--no-gray', 'keep colour (reference job: grayscale)')
    .option('--json', 'NDJSON events on stdout')
    .option('--csv <file>', 'also write the table as CSV')
    .addHelpText('after', '\nExample:\n  photopool bench ../shared/photos --workers 1,2 --models threads,processes,async --repeat 3\n')
    .action(async (inputs: string[], f: { workers: string; models: string; repeat: string; resize?: string; format?: string; quality?: string; gray: boolean; json?: boolean; csv?: string }) => {
      const num = (x: string) => (/^\d+$/.test(x) ? Number(x) : x);
      let options: BenchOptions;
      try {
        const box = f.resize ? parseBox(f.resize) : REFERENCE_JOB.ops.resize;
        options = parseOrThrow(BenchOptionsSchema, {
          inputs,
          models: list(f.models),
          workers: list(f.workers).map(num),
          repeat: num(f.repeat),
          job: {
            ops: { grayscale: f.gray, resize: { ...box, fit: 'inside', withoutEnlargement: true } },
            format: f.format ?? REFERENCE_JOB.format,
            quality: f.quality === undefined ? REFERENCE_JOB.quality : num(f.quality),
          },
        });
      } catch (err) {
        if (!(err instanceof InvalidOptionsError)) throw err;
        for (const p of err.problems) process.stderr.write(`photopool: --${p.field.replace(/^job\.(ops\.)?/, '').replace(/\..*$/, '')}: expected ${p.expected}, received ${p.received}\n`);
        return setExit(2);
      }

      const bar = !f.json && process.stderr.isTTY ? new SingleBar({ format: ' {bar} {value}/{total} runs | {cell}', hideCursor: true, clearOnComplete: true, stream: process.stderr }) : null;
      let machine: MachineInfo | undefined;
      const onEvent = (e: BenchEvent) => {
        if (e.type === 'bench-start') machine = e.machine;
        if (f.json) return void process.stdout.write(JSON.stringify(e) + '\n');
        if (e.type === 'bench-start') {
          process.stdout.write(`Machine: ${machineLine(e.machine)}\n`);
          bar?.start(e.cells * e.runsPerCell, 0, { cell: '' });
        } else if (e.type === 'bench-run') {
          bar?.update(e.done, { cell: `${e.model} x${e.workers} ${e.warmup ? 'warm-up' : `run ${e.run}`} ${e.seconds.toFixed(2)} s` });
          if (!bar) process.stderr.write(`${e.model} x${e.workers} ${e.warmup ? 'warm-up' : `run ${e.run}`}: ${e.seconds.toFixed(2)} s\n`);
        } else if (e.type === 'bench-done') {
          bar?.stop();
          process.stdout.write(table(e.rows) + '\n');
        }
      };
      // Ctrl-C / SIGTERM: cancel the running batch (the scratch folder is removed); twice: kill its engine.
      const abort = new AbortController();
      let engine: EngineProcess | undefined;
      const interrupts = onInterrupt({ cancel: () => abort.abort(), kill: () => engine?.kill() });
      try {
        const rows = await runBench(options, (maxWorkers) => (engine = spawnEngine({ maxWorkers })), onEvent, abort.signal);
        if (f.csv && machine) writeFileSync(f.csv, benchCsv(rows, machine));
        setExit(0);
      } catch (err) {
        bar?.stop();
        const message = interrupts.received ? 'benchmark interrupted' : (err as Error).message;
        if (f.json) process.stdout.write(JSON.stringify({ type: 'bench-error', message }) + '\n');
        process.stderr.write(`photopool: ${message}\n`);
        setExit(interrupts.received ? EXIT_INTERRUPTED : 1);
      } finally {
        interrupts.dispose();
      }
    });
}
