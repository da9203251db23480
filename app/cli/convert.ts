/**
 * `photopool convert`: flags -> job, then a batch (batch.ts) or a dry run (dry-run.ts); files
 * from folders walked recursively, or from a list (`--files-from`, outputs named below `--base`).
 */
import { Option, type Command } from 'commander';
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { ANCHORS, COLLISIONS, FITS, GRAVITIES, JobSpecSchema, KERNELS, METADATA_MODES, MODELS, OUTPUT_FORMATS, sameFormatText, type JobSpec } from '../../common/job.js';
import { InvalidOptionsError, parseOrThrow, type FieldProblem } from '../../common/validate.js';
import { JOURNAL_NAME } from '../../engine/journal.js';
import { besideStateDir } from '../../engine/beside-input.js';
import { prepareSpec } from '../../engine/source.js';
import { EXIT, runBatch } from './batch.js';
import { runDryRun } from './dry-run.js';
import { countNames, listStream, nameChunks } from './list.js';
import { toJobSpec, type ConvertFlags } from './options.js';
import { loadPreset, withPreset } from './preset.js';
import { precountInputs } from './precount.js';
import { precountForSpec, usageError } from './resume.js';
import { addNatsFlags, natsFromFlags, type NatsFlags } from '../nats/options.js';

export type ConvertCliFlags = ConvertFlags &
  NatsFlags & {
  json?: boolean;
  resume?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  dryRun?: boolean;
  filesFrom?: string;
  null?: boolean;
  base?: string;
  fresh?: boolean;
  preset?: string;
};

/** Problems with the flags that only make sense together (checked before the schema). */
function flagProblems(inputs: string[], f: ConvertCliFlags): FieldProblem[] {
  const p: FieldProblem[] = [];
  if (f.output === undefined && !f.besideInput) p.push({ field: '--output', expected: 'an output folder (or --beside-input: each output next to its input)', received: 'none' });
  if (f.output !== undefined && f.besideInput) p.push({ field: '--beside-input', expected: 'either --output DIR or --beside-input', received: 'both' });
  if (f.quiet && f.verbose) p.push({ field: '--quiet', expected: 'either --quiet or --verbose', received: 'both' });
  // -q was the short form of --quality before it meant --quiet: `-q 75` would read 75 as an input.
  const stray = f.quiet ? inputs.find((i) => /^\d{1,3}$/.test(i) && !existsSync(i)) : undefined;
  if (stray) p.push({ field: '-q', expected: `--quiet (no value); for the quality write -Q ${stray} or --quality ${stray}`, received: `-q ${stray}` });
  if (f.filesFrom !== undefined) {
    if (inputs.length) p.push({ field: '<inputs>', expected: 'no inputs with --files-from (the list names the files)', received: JSON.stringify(inputs) });
    if (f.filesFrom !== '-' && !(existsSync(f.filesFrom) && statSync(f.filesFrom).isFile())) p.push({ field: '--files-from', expected: 'a file that lists the files, or - for stdin', received: JSON.stringify(f.filesFrom) });
    if (f.base !== undefined && !(existsSync(f.base) && statSync(f.base).isDirectory())) p.push({ field: '--base', expected: 'an existing folder', received: JSON.stringify(f.base) });
  } else {
    if (!inputs.length) p.push({ field: '<inputs>', expected: 'at least one file or folder (or --files-from FILE)', received: 'none' });
    if (f.base !== undefined) p.push({ field: '--base', expected: 'only with --files-from', received: JSON.stringify(f.base) });
    if (f.null) p.push({ field: '-0', expected: 'only with --files-from', received: '-0' });
  }
  return p;
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

/** @param typed whether a flag (by its option key) was typed, not a default: it then overrides the preset */
async function convert(inputs: string[], f: ConvertCliFlags, typed: (key: string) => boolean): Promise<number> {
  const json = !!f.json;
  const problems = flagProblems(inputs, f);
  if (problems.length) return usageError(new InvalidOptionsError(problems), json);
  const base = f.filesFrom !== undefined ? resolve(f.base ?? '.') : undefined;
  let spec: JobSpec;
  let nats;
  try {
    nats = natsFromFlags(f);
    const stateDir = f.output ?? besideStateDir(base ? [base] : inputs);
    if (f.resume && existsSync(join(stateDir, JOURNAL_NAME))) {
      const workers = f.workers ? Number(f.workers) : undefined;
      return await runBatch({ type: 'resume', output: stateDir, workers, nats }, { json, quiet: f.quiet, verbose: f.verbose, maxWorkers: workers, precountFor: precountForSpec });
    }
    const flags = toJobSpec(base ? [base] : inputs, f);
    const job = f.preset ? { ...withPreset(flags, loadPreset(f.preset), typed), preset: f.preset.trim() } : flags;
    // prepareSpec: the engine's own checks, said here naming the flags (and a beside-input job's state folder).
    spec = prepareSpec(parseOrThrow(JobSpecSchema, { ...job, fresh: !!f.fresh, ...(base && { filesFrom: { base } }) }));
    if (spec.workers === 0 && !nats) throw new InvalidOptionsError([{ field: '--workers', expected: 'a number >= 1', received: '0 (0 only with --nats)' }]);
  } catch (err) {
    if (err instanceof InvalidOptionsError) return usageError(err, json);
    throw err;
  }
  const sep = f.null ? '\0' : '\n';
  let listed: { images: number; done: boolean } | undefined;
  let report: ((p: { images: number; done: boolean }) => void) | undefined;
  const list = f.filesFrom === undefined ? undefined : nameChunks(listStream(f.filesFrom), sep, undefined, (p) => {
    listed = p;
    report?.(p);
  });
  try {
    if (f.dryRun) return await runDryRun(spec, { json, quiet: f.quiet, list });
    let unfinished = false;
    const options = {
      json,
      quiet: f.quiet,
      verbose: f.verbose,
      maxWorkers: spec.workers,
      list,
      onRefused: (c: string) => (unfinished = c === 'unfinished-batch'),
      precount: async (r: (p: { images: number; done: boolean }) => void, signal: AbortSignal) => {
        if (f.filesFrom === undefined) return precountInputs(spec.inputs, r, signal);
        if (f.filesFrom !== '-') return r({ images: await countNames(f.filesFrom, sep), done: true });
        report = r; // stdin: counted as it is read
        if (listed) r(listed);
      },
    };
    const code = await runBatch({ type: 'start', spec, nats }, options);
    // An unfinished batch in the output folder: on a terminal, ask; otherwise the message says what to run (exit 2).
    const answer = unfinished && !json && process.stdin.isTTY && process.stderr.isTTY ? await askResumeOrFresh() : null;
    if (answer === 'resume') return await runBatch({ type: 'resume', output: spec.output, workers: spec.workers, nats }, { ...options, precount: undefined, precountFor: precountForSpec });
    if (answer === 'fresh') return await runBatch({ type: 'start', spec: { ...spec, fresh: true }, nats }, options);
    return code;
  } finally {
    void list?.return(undefined);
    if (f.filesFrom === '-') process.stdin.destroy();
  }
}

/** Register `photopool convert`. */
export function registerConvertCommand(cli: Command, setExit: (code: number) => void): void {
  addNatsFlags(cli.command('convert'))
    .description('convert image files and folders (walked recursively), or the files of a list, into an output folder')
    .argument('[inputs...]', 'files and folders to convert')
    .option('-o, --output <dir>', 'output folder (the input tree is mirrored inside it)')
    .option('--beside-input', 'write each output next to its input instead (needs --suffix or a --format; the journal goes to PhotoPool\'s state folder)')
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
    .addOption(new Option('-f, --format <format>', `output format (${sameFormatText()})`).choices(OUTPUT_FORMATS).default('same'))
    .option('-Q, --quality <1-100>', 'encoder quality (with --max-size: the highest one tried)', '80')
    .option('--max-size <size>', 'largest output file: 500KB, 1.5MB, 800KiB (quality searched down to 30, then the image shrunk)')
    .option('--template <t>', 'output path template: {dir} {name} {ext} {counter[:PAD[:START]]} {date[:FMT]} {exif-date[:FMT]} {width} {height} {preset}', '{dir}/{name}.{ext}')
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
    .option('--files-from <file>', 'convert exactly the files listed in FILE (- for stdin), one per line')
    .option('-0, --null', 'with --files-from: names are separated by NUL characters (find -print0)')
    .option('--base <dir>', 'with --files-from: outputs mirror the files\' folders below this one (default: the current folder)')
    .option('--dry-run', 'scan and plan only: print where each input would go; write nothing')
    .option('-q, --quiet', 'print errors and the final line only')
    .option('-v, --verbose', 'also print every skipped file with its reason and every renamed output')
    .option('--json', 'print NDJSON events on stdout, the last one "done"')
    .option('--resume', 'if the output folder holds an unfinished batch, continue it')
    .option('--fresh', 'if the output folder holds an unfinished batch, start over (its temporary files are removed, finished outputs kept)')
    .option('--preset <name>', 'start from a preset saved in the UI (flags you type override it)')
    .addHelpText(
      'after',
      `
Examples:
  photopool convert ~/Pictures/trip -o ~/Pictures/trip-web --preset web
  photopool convert ~/Pictures/trip -o ~/Pictures/trip-web --resize 1600x1600 --format webp -Q 75
  photopool convert shoot1 shoot2 -o out --gray --resize 1024x1024 --format jpeg --workers 2
  photopool convert photos -o out --dry-run
  find photos -name '*.jpg' -newer last-run -print0 | photopool convert --files-from - -0 -o out
  photopool convert photos -o out --json | jq -c 'select(.type=="file-failed")'
  photopool convert phone -o web --resize 2048x2048 --format jpeg -Q 90 --max-size 500KB
  photopool convert shop -o squares --resize 1000x1000 --fit contain --background '#ffffff' --sharpen
  photopool convert faces -o thumbs --resize 400x400 --fit cover --gravity attention
  photopool convert event -o share --resize 2048 --watermark-text '© Ann Lee 2026' --watermark-position southeast
  photopool convert phone -o share --metadata keep-no-gps --keep-mtime
  photopool convert print -o proofs --format tiff --keep-icc
  photopool convert shop -o web --watermark-image logo.png --watermark-size 15 --watermark-opacity 0.7 --watermark-position northwest
  photopool convert dcim -o out --template '{dir}/{exif-date:%Y%m%d_%H%M%S}_{counter:4}.{ext}'
  photopool convert shoot -o out --preset web --template '{preset}/{name}_{width}x{height}.{ext}'
  photopool convert ~/Pictures/phone --beside-input --suffix _web --format jpeg --resize 2048

Ctrl-C (or SIGTERM) stops cleanly and prints the command that continues the batch; Ctrl-C
twice within 5 s kills at once (outputs are still never partial).
Exit codes: 0 all converted, 3 some files failed, 2 bad usage, 1 fatal error, 130 interrupted.`,
    )
    .action(async (inputs: string[], f: ConvertCliFlags, cmd: Command) => setExit(await convert(inputs, f, (k) => cmd.getOptionValueSource(k) === 'cli')));
}
