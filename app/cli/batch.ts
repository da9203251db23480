/**
 * Run one batch command (convert, resume) in an engine process to its end: render its events,
 * feed it a --files-from list as it asks, pre-count the total, and own Ctrl-C / SIGTERM (the
 * engine is in its own process group, so the terminal's signal reaches this process alone).
 */
import type { EngineCommand, FatalCode } from '../../common/events.js';
import type { JobSpec } from '../../common/job.js';
import { spawnEngine } from '../engine-client.js';
import { human, ndjson, terminalOptions } from './render.js';
import { precountInputs } from './precount.js';
import type { Precount } from './progress.js';
import { EXIT_INTERRUPTED, onInterrupt } from './signals.js';
import { resumeCommand } from './summary.js';
import { traceStartup } from '../../engine/batch/trace.js';

export const EXIT = { ok: 0, fatal: 1, usage: 2, someFailed: 3, interrupted: EXIT_INTERRUPTED } as const;

export interface RunOptions {
  /** NDJSON events on stdout instead of the progress line and summary. */
  json?: boolean;
  quiet?: boolean;
  verbose?: boolean;
  /** Largest pool the engine will be asked for. */
  maxWorkers?: number;
  /**
   * The pre-count of a job whose inputs the caller knows (convert); without it the pre-count
   * uses {@link precountFor} with the job the engine says it runs (resume). Either starts with
   * the first file (see runBatch).
   */
  precount?: (report: (p: Precount) => void, signal: AbortSignal) => Promise<unknown>;
  /** For a job read from a list: the next chunk of names each time the engine asks (`done` at the end). */
  list?: AsyncIterator<string[]>;
  /** Hears the code of a refusal the caller may answer (`unfinished-batch`, `output-locked`). */
  onRefused?: (code: FatalCode) => void;
  /** How to pre-count a job known only from its `batch-start` event (resume). */
  precountFor?: (spec: JobSpec, report: (p: Precount) => void, signal: AbortSignal, notice: (text: string) => void) => Promise<unknown>;
}

/**
 * Run `cmd` to its end; resolves to the exit code (0 ok, 3 some failed, 1 fatal, 2 usage,
 * 130 stopped by Ctrl-C or SIGTERM).
 *
 * @example
 * process.exitCode = await runBatch({ type: 'resume', output: 'out' }, { json: false });
 */
export async function runBatch(cmd: Extract<EngineCommand, { type: 'start' | 'resume' }>, o: RunOptions = {}): Promise<number> {
  const engine = spawnEngine({ maxWorkers: o.maxWorkers, nats: !!cmd.nats });
  const term = terminalOptions(o.quiet, o.verbose);
  const render = o.json ? ndjson() : human(term);
  const counting = new AbortController();
  const report = (p: Precount) => render.precount(p);
  let counted = false;
  let spec: JobSpec | undefined;
  /**
   * The pre-count feeds the progress line only (a terminal, not --quiet or --json), and starts
   * once the first file started (or with the first progress, if none does): its walk of the
   * inputs (~13 ms of CPU per 200 files) is then off the start-up's critical path.
   */
  const startCount = () => {
    if (counted || o.json || !term.tty) return;
    const run = o.precount ? o.precount(report, counting.signal) : o.precountFor && spec ? o.precountFor(spec, report, counting.signal, (text) => render.notice(text)) : undefined;
    counted = !!run;
    if (run) traceStartup('cli', 'pre-count started');
    void run?.catch(() => undefined); // a pre-count that fails leaves "counting…"
  };
  let code: number = EXIT.fatal;
  let output: string | undefined;
  let killed = false;
  let finish!: () => void;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  const interrupts = onInterrupt({
    cancel: () => {
      if (!o.json) render.notice('Cancelling: running files are stopped, nothing partial is kept (Ctrl-C again to kill at once)...');
      engine.send({ type: 'cancel' });
    },
    kill: () => {
      killed = true;
      engine.kill();
      finish();
    },
    remind: (text) => render.notice(text),
  });
  const sendList = async () => {
    const next = await o.list!.next();
    engine.send({ type: 'list', names: next.done ? [] : next.value, end: !!next.done });
  };
  let firstStart = true;
  engine.onEvent((e) => {
    render.event(e);
    switch (e.type) {
      case 'file-start':
        if (firstStart) traceStartup('cli', `first file started (${e.input})`);
        firstStart = false;
        startCount();
        break;
      case 'progress':
        startCount();
        break;
      case 'list-wanted':
        if (o.list) void sendList().catch((err: Error) => {
          render.notice(`photopool: cannot read the list of files: ${err.message}`);
          engine.send({ type: 'list', names: [], end: true });
        });
        break;
      case 'batch-start':
        traceStartup('cli', 'batch-start received');
        output = e.spec.output;
        spec = e.spec;
        break;
      case 'done':
        code = e.cancelled ? (interrupts.received ? EXIT.interrupted : EXIT.fatal) : e.stopped ? EXIT.fatal : e.totals.failed > 0 ? EXIT.someFailed : EXIT.ok;
        finish();
        break;
      case 'fatal':
        code = e.problems || e.code === 'unfinished-batch' ? EXIT.usage : EXIT.fatal;
        if (e.code) o.onRefused?.(e.code);
        finish();
        break;
    }
  });
  void engine.exited.then(({ code: c, signal }) => {
    if ((signal || c) && !killed) {
      render.close();
      process.stderr.write(`photopool: the engine process ended unexpectedly (${signal ?? `exit code ${c}`}).${output ? ` To continue: ${resumeCommand(output)}` : ''}\n`);
    }
    finish();
  });
  engine.send(o.json || o.verbose ? cmd : { ...cmd, events: 'summary' }); // the summary needs no event per file (common/events.ts EventLevel); --verbose lists every skip
  traceStartup('cli', `${cmd.type} command sent`);
  await finished;
  counting.abort();
  render.close();
  if (!killed) {
    engine.close();
    await engine.exited;
  }
  interrupts.dispose(); // only now: a Ctrl-C while the engine winds down is still ours
  if (killed) {
    process.stderr.write(`Killed. Finished outputs are complete; unfinished ones were never given their names.${output ? ` To continue: ${resumeCommand(output)}` : ''}\n`);
    return EXIT.interrupted;
  }
  return code;
}
