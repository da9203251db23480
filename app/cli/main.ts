/**
 * `photopool` command line: convert, resume (and, from other modules, ui / bench / doctor).
 * Exit codes: 0 all converted; 3 finished but some files failed; 2 bad usage or options;
 * 1 fatal error (engine crashed, batch stopped by a full or vanished output disk).
 */
import { Command, CommanderError, Option } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { EngineCommand, FatalCode } from '../../common/events.js';
import { ANCHORS, COLLISIONS, FITS, GRAVITIES, JobSpecSchema, KERNELS, METADATA_MODES, MODELS, OUTPUT_FORMATS } from '../../common/job.js';
import { InvalidOptionsError, parseOrThrow } from '../../common/validate.js';
import { spawnEngine } from '../engine-client.js';
import { JOURNAL_NAME } from '../../engine/journal.js';
import { asFlags, toJobSpec, type ConvertFlags } from './options.js';
import { loadPreset, withPreset } from './preset.js';
import { human, ndjson } from './render.js';
import { registerUiCommand } from '../server/command.js';
import { registerBenchCommand } from './bench.js';
import { registerDoctorCommand } from './doctor.js';
import { registerWorkerCommand } from './worker.js';
import { addNatsFlags, natsFromFlags, type NatsFlags } from '../nats/options.js';

export const EXIT = { ok: 0, fatal: 1, usage: 2, someFailed: 3 } as const;

/** Run one engine command to its end, rendering events; resolves to the exit code (`onRefused`: the code of a refusal). */
export async function runBatch(cmd: EngineCommand, json: boolean, maxWorkers?: number, onRefused?: (code: FatalCode) => void): Promise<number> {
  const engine = spawnEngine({ maxWorkers });
  const render = json ? ndjson() : human(!!process.stderr.isTTY);
  let code: number = EXIT.fatal;
  let interrupted = 0;
  const onSigint = () => {
    if (++interrupted === 1) {
      if (!json) process.stderr.write('\nCancelling (running files are stopped, nothing partial is kept; Ctrl-C again to kill)...\n');
      engine.send({ type: 'cancel' });
    } else engine.kill();
  };
  process.on('SIGINT', onSigint);
  const finished = new Promise<void>((resolve) => {
    engine.onEvent((e) => {
      render.event(e);
      if (e.type === 'done') {
        code = e.stopped || e.cancelled ? EXIT.fatal : e.totals.failed > 0 ? EXIT.someFailed : EXIT.ok;
        resolve();
      } else if (e.type === 'fatal') {
        code = e.problems || e.code === 'unfinished-batch' ? EXIT.usage : EXIT.fatal;
        if (e.code) onRefused?.(e.code);
        resolve();
      }
    });
    void engine.exited.then(({ code: c, signal }) => {
      if (signal || c) process.stderr.write(`photopool: the engine process ended unexpectedly (${signal ?? `exit code ${c}`}). Run "photopool resume <output>" to continue.\n`);
      resolve();
    });
  });
  engine.send(cmd);
  await finished;
  engine.close();
  await engine.exited;
  process.off('SIGINT', onSigint);
  return code;
}

/** Ask on the terminal what to do with an unfinished batch; null = neither. */
async function askResumeOrFresh(): Promise<'resume' | 'fresh' | null> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const a = (await rl.question('[r]esume it, start [o]ver, or [c]ancel? ')).trim().toLowerCase();
    return a.startsWith('r') ? 'resume' : a.startsWith('o') ? 'fresh' : null;
  } finally {
    rl.close();
  }
}

function usageError(err: InvalidOptionsError, json: boolean): number {
  const problems = asFlags(err.problems);
  if (json) process.stdout.write(JSON.stringify({ type: 'fatal', message: err.message, problems }) + '\n');
  for (const p of problems) process.stderr.write(`photopool: ${p.field}: expected ${p.expected}, received ${p.received}\n`);
  process.stderr.write('Run "photopool convert --help" for the options.\n');
  return EXIT.usage;
}

export function program(setExit: (code: number) => void): Command {
  const cli = new Command('photopool')
    .description('Bulk image conversion on all your cores (sharp + piscina).')
    .exitOverride()
    .showHelpAfterError();

  addNatsFlags(cli
    .command('convert'))
    .description('convert image files and folders (walked recursively) into an output folder')
    .argument('<inputs...>', 'files and folders to convert')
    .requiredOption('-o, --output <dir>', 'output folder (the input tree is mirrored inside it)')
    .option('--gray', 'convert to grayscale (one channel, Rec.601 luma)')
    .option('--resize <WxH>', 'fit into a box: 1024x1024, 1024 (width) or x768 (height)')
    .addOption(new Option('--fit <fit>', 'how to fit the box').choices(FITS).default('inside'))
    .option('--enlarge', 'allow making small images bigger (default: never enlarge)')
    .addOption(new Option('--gravity <where>', 'with --fit cover: the part kept (attention: what stands out, entropy: detail; default centre)').choices(GRAVITIES))
    .option('--background <#rrggbb>', 'with --fit contain: colour of the bars padding to the exact box (default #000000)')
    .option('--sharpen', 'after the resize, a mild unsharp mask for web output (default: off)')
    .option('--watermark-text <text>', 'write this text over each image (white, soft shadow)')
    .option('--watermark-image <png>', 'put this PNG logo over each image (its transparency kept)')
    .addOption(new Option('--watermark-position <anchor>', 'where the watermark sits (default southeast)').choices(ANCHORS))
    .option('--watermark-opacity <0-1>', 'watermark opacity (default 0.5)')
    .option('--watermark-size <percent>', "watermark width in % of the image's width (default 20)")
    .option('--watermark-margin <percent>', "gap to the edges in % of the image's shorter side (default 3)")
    .addOption(new Option('--kernel <kernel>', 'resampling kernel').choices(KERNELS))
    .option('--no-rotate', 'do not apply the EXIF orientation')
    .addOption(new Option('-f, --format <format>', 'output format').choices(OUTPUT_FORMATS).default('same'))
    .option('-q, --quality <1-100>', 'encoder quality (with --max-size: the highest one tried)', '80')
    .option('--max-size <size>', 'largest output file: 500KB, 1.5MB, 800KiB (quality searched down to 30, then the image shrunk)')
    .option('--template <t>', 'output path template: {dir} {name} {ext} {counter[:PAD[:START]]} {date[:FMT]} {exif-date[:FMT]}', '{dir}/{name}.{ext}')
    .option('--suffix <text>', 'text after the name, before the extension (photo_web.jpg)')
    .addOption(new Option('--collision <policy>', 'when the output exists').choices(COLLISIONS).default('skip'))
    .addOption(new Option('--metadata <mode>', 'strip all metadata (default), keep all of it, or keep all but the location (EXIF GPS, XMP/IPTC location)').choices(METADATA_MODES))
    .option('--keep-exif', 'copy EXIF metadata (default: strip)')
    .option('--keep-icc', 'keep the ICC profile instead of converting to sRGB')
    .option('--keep-mtime', "give outputs their input's modification time")
    .option('-w, --workers <n>', 'workers (default: number of cores)')
    .addOption(new Option('--model <model>', 'concurrency model: worker threads, child processes, or async calls on one thread').choices(MODELS).default('threads'))
    .option('--max-pixels <n>', 'refuse images with more pixels (default 100000000)')
    .option('--timeout <s>', 'per-file time limit in seconds (default 60)')
    .option('--max-memory <MiB>', 'memory ceiling: above it no new file starts until running ones finish (default 2048)')
    .option('--json', 'print NDJSON events on stdout, the last one "done"')
    .option('--resume', 'if the output folder holds an unfinished batch, continue it')
    .option('--fresh', 'if the output folder holds an unfinished batch, start over (its temporary files are removed, finished outputs kept)')
    .option('--preset <name>', 'start from a preset saved in the UI (flags you type override it)')
    .addHelpText(
      'after',
      `
Examples:
  photopool convert ~/Pictures/trip -o ~/Pictures/trip-web --preset web
  photopool convert ~/Pictures/trip -o ~/Pictures/trip-web --resize 1600x1600 --format webp -q 75
  photopool convert shoot1 shoot2 -o out --gray --resize 1024x1024 --format jpeg --workers 2
  photopool convert photos -o out --json | jq -c 'select(.type=="file-failed")'
  photopool convert phone -o web --resize 2048x2048 --format jpeg -q 90 --max-size 500KB
  photopool convert shop -o squares --resize 1000x1000 --fit contain --background '#ffffff' --sharpen
  photopool convert faces -o thumbs --resize 400x400 --fit cover --gravity attention
  photopool convert event -o share --resize 2048 --watermark-text '© Ann Lee 2026' --watermark-position southeast
  photopool convert phone -o share --metadata keep-no-gps --keep-mtime
  photopool convert shop -o web --watermark-image logo.png --watermark-size 15 --watermark-opacity 0.7 --watermark-position northwest
  photopool convert dcim -o out --template '{dir}/{exif-date:%Y%m%d_%H%M%S}_{counter:4}.{ext}'

Exit codes: 0 all converted, 3 some files failed, 2 bad usage, 1 fatal error.`,
    )
    .action(async (inputs: string[], f: ConvertFlags & NatsFlags & { json?: boolean; resume?: boolean; fresh?: boolean; preset?: string }, cmd: Command) => {
      const json = !!f.json;
      let spec, nats;
      try {
        nats = natsFromFlags(f);
        if (f.resume && existsSync(join(f.output, JOURNAL_NAME))) {
          setExit(await runBatch({ type: 'resume', output: f.output, workers: f.workers ? Number(f.workers) : undefined, nats }, json));
          return;
        }
        const base = f.preset ? withPreset(toJobSpec(inputs, f), loadPreset(f.preset), (k) => cmd.getOptionValueSource(k) === 'cli') : toJobSpec(inputs, f);
        spec = parseOrThrow(JobSpecSchema, { ...base, fresh: !!f.fresh });
        if (spec.workers === 0 && !nats) throw new InvalidOptionsError([{ field: '--workers', expected: 'a number >= 1', received: '0 (0 only with --nats)' }]);
      } catch (err) {
        if (err instanceof InvalidOptionsError) return setExit(usageError(err, json));
        throw err;
      }
      let unfinished = false;
      const code = await runBatch({ type: 'start', spec, nats }, json, spec.workers, (c) => (unfinished = c === 'unfinished-batch'));
      // an unfinished batch in the output folder: on a terminal, ask; otherwise the message says what to run (exit 2)
      const answer = unfinished && !json && process.stdin.isTTY && process.stderr.isTTY ? await askResumeOrFresh() : null;
      if (answer === 'resume') return setExit(await runBatch({ type: 'resume', output: spec.output, workers: spec.workers, nats }, json, spec.workers));
      if (answer === 'fresh') return setExit(await runBatch({ type: 'start', spec: { ...spec, fresh: true }, nats }, json, spec.workers));
      setExit(code);
    });

  addNatsFlags(cli
    .command('resume'))
    .description('continue an interrupted batch from the journal in its output folder')
    .argument('<output>', 'the output folder of the batch')
    .option('-w, --workers <n>', 'worker threads (default: as the batch was started)')
    .option('--json', 'print NDJSON events on stdout')
    .action(async (output: string, f: NatsFlags & { workers?: string; json?: boolean }) => {
      const workers = f.workers === undefined ? undefined : Number(f.workers);
      let nats;
      try {
        nats = natsFromFlags(f);
        if (workers !== undefined && !(Number.isInteger(workers) && workers >= (nats ? 0 : 1) && workers <= 64)) {
          throw new InvalidOptionsError([{ field: '--workers', expected: `a whole number from ${nats ? 0 : 1} to 64`, received: JSON.stringify(f.workers) }]);
        }
      } catch (err) {
        if (err instanceof InvalidOptionsError) return setExit(usageError(err, !!f.json));
        throw err;
      }
      setExit(await runBatch({ type: 'resume', output, workers, nats }, !!f.json, workers));
    });
  registerUiCommand(cli, setExit);
  registerBenchCommand(cli, setExit);
  registerDoctorCommand(cli, setExit);
  registerWorkerCommand(cli, setExit);
  return cli;
}

/** Entry point used by bin/photopool. */
export async function main(argv = process.argv): Promise<number> {
  let exit: number = EXIT.ok;
  try {
    await program((c) => (exit = c)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`photopool: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.fatal;
  }
  return exit;
}
