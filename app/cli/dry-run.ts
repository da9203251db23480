/**
 * `photopool convert --dry-run`: the engine scans and plans the job and writes nothing; this
 * prints each input with its planned output (or why it would be skipped or refused), the
 * collisions the plan resolved and the totals. `--json` prints the engine's events as NDJSON.
 */
import { isAbsolute, relative } from 'node:path';
import type { EngineEvent } from '../../common/events.js';
import type { JobSpec } from '../../common/job.js';
import { spawnEngine } from '../engine-client.js';
import { EXIT } from './batch.js';
import { plural } from './progress.js';
import { onInterrupt } from './signals.js';
import { quote } from './summary.js';

/** A path relative to the current folder when it lies below it (shorter to read), else as is. */
function shown(p: string): string {
  const r = relative(process.cwd(), p);
  return quote(r && !r.startsWith('..') && !isAbsolute(r) ? r : p);
}

/** The line a dry-run event prints, or null. `quiet` keeps refusals and the totals only. */
export function planLine(e: EngineEvent, quiet = false): string | null {
  switch (e.type) {
    case 'plan-file': {
      if (quiet) return null;
      const why = e.renamed ? `  (renamed: ${e.renamed.reason})` : e.overwrites ? '  (replaces the existing file)' : '';
      return `${shown(e.input)} -> ${shown(e.output)}${why}`;
    }
    case 'file-skipped':
      return quiet ? null : `${shown(e.input)}: would be skipped: ${e.reason}`;
    case 'file-failed':
      return `${shown(e.input)}: refused: ${e.reason}${e.detail ? ` (${e.detail})` : ''}`;
    case 'folder-error':
      return `${shown(e.path)}/: cannot be read: ${e.reason}`;
    case 'plan-done': {
      const t = e.totals;
      const notes = [t.renamed && `${t.renamed} renamed`, t.overwrites && `${t.overwrites} replacing an existing output`].filter(Boolean).join(', ');
      return `${e.cancelled ? 'Dry run cancelled' : 'Dry run'}: would convert ${plural(t.planned, 'file')}${notes ? ` (${notes})` : ''}, skip ${t.skipped}, refuse ${t.failed}. Nothing was written.`;
    }
    case 'fatal':
      return `photopool: ${e.message}`;
    default:
      return null;
  }
}

/**
 * Run a dry run of `spec`; resolves to the exit code (0, 3 when some inputs would be refused,
 * 2 bad options, 1 fatal, 130 interrupted).
 *
 * @example
 * process.exitCode = await runDryRun(spec, { json: false });
 */
export async function runDryRun(spec: JobSpec, o: { json?: boolean; quiet?: boolean; list?: AsyncIterator<string[]> }): Promise<number> {
  const engine = spawnEngine();
  let code: number = EXIT.fatal;
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const interrupts = onInterrupt({ cancel: () => engine.send({ type: 'cancel' }), kill: () => (engine.kill(), finish()) });
  engine.onEvent((e) => {
    if (e.type === 'list-wanted') {
      void o.list?.next().then(
        (n) => engine.send({ type: 'list', names: n.done ? [] : n.value, end: !!n.done }),
        (err: Error) => {
          process.stderr.write(`photopool: cannot read the list of files: ${err.message}\n`);
          engine.send({ type: 'list', names: [], end: true });
        },
      );
      return;
    }
    if (o.json) process.stdout.write(JSON.stringify(e) + '\n');
    else {
      const line = planLine(e, o.quiet);
      if (line !== null) (e.type === 'fatal' ? process.stderr : process.stdout).write(line + '\n');
    }
    if (e.type === 'plan-done') {
      code = e.cancelled ? (interrupts.received ? EXIT.interrupted : EXIT.fatal) : e.totals.failed ? EXIT.someFailed : EXIT.ok;
      finish();
    } else if (e.type === 'fatal') {
      code = e.problems ? EXIT.usage : EXIT.fatal;
      finish();
    }
  });
  void engine.exited.then(finish);
  engine.send({ type: 'dry-run', spec });
  await finished;
  engine.close();
  await engine.exited;
  interrupts.dispose();
  return interrupts.received && code === EXIT.fatal ? EXIT.interrupted : code;
}
