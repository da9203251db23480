/**
 * How a batch looks in a terminal: a progress line on a TTY, NDJSON with --json, a summary.
 * `quiet` keeps errors and the final line; `verbose` adds every skipped file with its reason
 * and every renamed output. Colour only on a terminal that has it (NO_COLOR, TERM=dumb and
 * pipes get none).
 */
import { MultiBar, type SingleBar } from 'cli-progress';
import type { EngineEvent, ProgressSnapshot } from '../../common/events.js';
import { plural, progressLine, type Precount } from './progress.js';
import { quote, summary, type Failure, type Paint } from './summary.js';

export interface Renderer {
  event(e: EngineEvent): void;
  /** The pre-count moved on (human output only). */
  precount(p: Precount): void;
  /** A line for the person (cancelling, killed...), above the progress line. */
  notice(text: string): void;
  /** Stop drawing (always called, whatever the way the command ends). */
  close(): void;
}

/** One JSON object per line on stdout: every event, the last one `done`. */
export function ndjson(): Renderer {
  // A reader that goes away (`| head`) is not an error: cancel quietly, as Ctrl-C would.
  let gone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' || gone) return;
    gone = true;
    process.kill(process.pid, 'SIGINT');
  });
  return {
    event: (e) => {
      if (e.type !== 'list-wanted') process.stdout.write(JSON.stringify(e) + '\n');
    },
    precount: () => undefined,
    notice: () => undefined,
    close: () => undefined,
  };
}

export interface HumanOptions {
  /** Draw a progress line (stderr is a terminal). */
  tty: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** ANSI colour in the summary (stdout is a terminal with colours). */
  color?: boolean;
}

/** `HumanOptions` for this process's terminal. */
export function terminalOptions(quiet?: boolean, verbose?: boolean): HumanOptions {
  return { tty: !!process.stderr.isTTY && !quiet, quiet, verbose, color: !!process.stdout.isTTY && process.stdout.hasColors() };
}

/**
 * A progress line (TTY) or nothing (pipe) while running, lines for pool changes, skips
 * (verbose) and notices; then the summary on stdout.
 *
 * @example
 * const r = human(terminalOptions()); engine.onEvent((e) => r.event(e)); ... r.close();
 */
export function human(o: HumanOptions): Renderer {
  const paint: Paint = (code, s) => (o.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const multi = o.tty ? new MultiBar({ format: (_o: unknown, _p: unknown, payload: { line: string }) => payload.line, hideCursor: true, clearOnComplete: true, linewrap: false, stream: process.stderr, fps: 10 }) : null;
  let bar: SingleBar | undefined;
  let progress: ProgressSnapshot | undefined;
  let pre: Precount | undefined;
  let outputExists = 0;
  let closed = false;
  const failures: Failure[] = [];
  /** Lines for the summary: outputs renamed in a name clash, files converted with warnings. */
  const notes = { renamed: [] as string[], warned: [] as string[], byLane: { luma: 0, colour: 0, sharp: 0 }, qualities: [] as number[], byRemote: {} as Record<string, number> };
  const log = (line: string) => {
    if (bar && multi) multi.log(line + '\n');
    else process.stderr.write(line + '\n');
  };
  const draw = () => {
    if (!multi || !progress || closed) return;
    const line = progressLine({ progress, precount: pre, outputExists });
    if (!bar) bar = multi.create(1, 0, { line });
    else bar.update(0, { line });
  };
  const close = () => {
    if (closed) return;
    closed = true;
    multi?.stop();
  };
  return {
    precount(p) {
      pre = p;
      draw();
    },
    notice: (text) => log(text),
    close,
    event(e) {
      switch (e.type) {
        case 'batch-start':
          if (!o.quiet) process.stderr.write(`PhotoPool: ${e.resumed ? 'resuming' : 'converting'} ${e.spec.besideInput ? `beside the inputs (journal in ${e.spec.output})` : `into ${e.spec.output}`} with ${plural(e.workers, 'worker')} on ${plural(e.cores, 'core')}\n`);
          // Draw at once (the pre-count may already know the total), not at the first progress tick.
          progress = { total: 0, done: 0, failed: 0, skipped: 0, running: 0, scanning: true, imagesPerSec: 0, mpPerSec: 0, etaSeconds: null, elapsedMs: 0, workers: e.workers, state: 'scanning' };
          draw();
          break;
        case 'progress':
          progress = e;
          draw();
          break;
        case 'file-skipped':
          if (e.code === 'output-exists') outputExists++;
          if (o.verbose) log(`skipped ${e.input}: ${e.reason}`);
          break;
        case 'file-done':
          notes.byLane[e.lane]++;
          if (e.remote) notes.byRemote[e.remote] = (notes.byRemote[e.remote] ?? 0) + 1;
          if (e.quality !== undefined) notes.qualities.push(e.quality);
          if (e.renamed) notes.renamed.push(`  ${quote(e.output)}: instead of ${quote(e.renamed.from)} (${e.renamed.reason})`);
          if (e.warnings) notes.warned.push(`  ${quote(e.input)}: ${e.warnings.join('; ')}`);
          if (o.verbose && e.renamed) log(`renamed ${quote(e.output)} (instead of ${quote(e.renamed.from)}: ${e.renamed.reason})`);
          break;
        case 'file-failed':
          failures.push({ input: e.input, reason: e.reason, hint: e.hint, detail: e.detail });
          if (o.verbose) log(`failed ${e.input}: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`);
          break;
        case 'folder-error':
          failures.push({ input: e.path + '/', reason: e.reason, hint: e.hint });
          break;
        case 'pool':
          if (!o.quiet) log(`${e.previous === e.workers ? '' : `Pool: ${e.previous} -> `}${plural(e.workers, 'worker')}`);
          break;
        case 'cluster':
          log(`NATS broker ${e.server}: ${e.state}${e.detail ? ` (${e.detail})` : ''}`);
          break;
        case 'done':
          close();
          if (e.totals.lanes) notes.byLane = e.totals.lanes; // every file, also those without a file-done event (level summary)
          summary({ ...e, failures, notes: o.quiet ? undefined : notes, paint });
          break;
        case 'fatal':
          close();
          process.stderr.write(`photopool: ${e.message}\n`);
          break;
      }
    },
  };
}
