/**
 * How a batch looks in a terminal: a progress bar on a TTY, NDJSON with --json, a summary.
 */
import { SingleBar } from 'cli-progress';
import type { BatchTotals, EngineEvent } from '../../common/events.js';

export interface Renderer {
  event(e: EngineEvent): void;
}

type Failure = { input: string; reason: string; hint: string; detail?: string };

/** One JSON object per line on stdout: every event, the last one `done`. */
export function ndjson(): Renderer {
  // A reader that goes away (`| head`) is not an error: cancel quietly, as Ctrl-C would.
  let gone = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE' || gone) return;
    gone = true;
    process.kill(process.pid, 'SIGINT');
  });
  return { event: (e) => process.stdout.write(JSON.stringify(e) + '\n') };
}

const fmtS = (s: number | null) => (s === null ? '--' : s < 60 ? `${Math.round(s)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`);

/** A progress bar (TTY) or nothing (pipe) while running; then the summary on stderr/stdout. */
export function human(tty: boolean): Renderer {
  const bar = tty
    ? new SingleBar({
        format: ' {bar} {percentage}% | {value}/{total} | ok {done} failed {failed} skipped {skipped} | {ips} img/s {mps} MP/s | ETA {etaS} | {workers} workers',
        barsize: 24,
        hideCursor: true,
        clearOnComplete: true,
        stream: process.stderr,
        fps: 10,
      })
    : null;
  let started = false;
  const failures: Failure[] = [];
  const byLane = { luma: 0, sharp: 0 };
  /** Lines for the summary: outputs renamed in a name clash, files converted with warnings. */
  const notes = { renamed: [] as string[], warned: [] as string[], qualities: [] as number[] };
  return {
    event(e) {
      switch (e.type) {
        case 'batch-start':
          process.stderr.write(`PhotoPool: ${e.resumed ? 'resuming' : 'converting'} into ${e.spec.output} with ${e.workers} workers on ${e.cores} cores\n`);
          break;
        case 'progress': {
          const payload = {
            done: e.done,
            failed: e.failed,
            skipped: e.skipped,
            ips: e.imagesPerSec.toFixed(1),
            mps: e.mpPerSec.toFixed(1),
            etaS: e.scanning ? 'scanning' : fmtS(e.etaSeconds),
            workers: e.workers,
          };
          if (!bar) break;
          if (!started) {
            bar.start(Math.max(1, e.total), e.done + e.failed, payload);
            started = true;
          } else {
            bar.setTotal(Math.max(1, e.total));
            bar.update(e.done + e.failed, payload);
          }
          break;
        }
        case 'file-done':
          byLane[e.lane]++;
          if (e.renamed) notes.renamed.push(`  ${quote(e.output)}: instead of ${quote(e.renamed.from)} (${e.renamed.reason})\n`);
          if (e.warnings) notes.warned.push(`  ${quote(e.input)}: ${e.warnings.join('; ')}\n`);
          if (e.quality !== undefined) notes.qualities.push(e.quality);
          break;
        case 'file-failed':
          failures.push({ input: e.input, reason: e.reason, hint: e.hint, detail: e.detail });
          break;
        case 'folder-error':
          failures.push({ input: e.path + '/', reason: e.reason, hint: e.hint });
          break;
        case 'pool':
          if (!bar) process.stderr.write(`workers: ${e.previous} -> ${e.workers}\n`);
          break;
        case 'cluster':
          bar?.stop();
          started = false;
          process.stderr.write(`NATS broker ${e.server}: ${e.state}${e.detail ? ` (${e.detail})` : ''}\n`);
          break;
        case 'done':
          bar?.stop();
          summary(e.output, e.totals, byLane, failures, e.cancelled, e.stopped);
          if (notes.renamed.length) process.stdout.write(`Renamed (${notes.renamed.length}), to keep one output per input:\n${notes.renamed.join('')}`);
          if (notes.warned.length) process.stdout.write(`Converted with warnings (${notes.warned.length}):\n${notes.warned.join('')}`);
          if (notes.qualities.length) process.stdout.write(qualityLine(notes.qualities));
          break;
        case 'fatal':
          bar?.stop();
          process.stderr.write(`photopool: ${e.message}\n`);
          break;
      }
    },
  };
}

/** JSON.stringify escapes newlines and control characters, so odd file names print on one line. */
const quote = (s: string) => (/^[\w./ +,=@%-]*$/.test(s) ? s : JSON.stringify(s));

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function summary(output: string, t: BatchTotals, byLane: { luma: number; sharp: number }, failures: Failure[], cancelled: boolean, stopped?: { reason: string; hint: string; detail: string }): void {
  const out = process.stdout;
  const secs = t.elapsedMs / 1000;
  out.write(
    `${cancelled ? 'Cancelled' : stopped ? 'Stopped' : 'Done'}: ${t.done} ok${t.doneBefore ? ` (${t.doneBefore} from earlier runs)` : ''}, ${t.failed} failed, ${t.skipped} skipped in ${secs.toFixed(2)} s` +
      ` | ${t.imagesPerSec.toFixed(2)} images/s, ${t.mpPerSec.toFixed(1)} MP/s | ${(t.inputBytes / 1e6).toFixed(1)} MB -> ${(t.outputBytes / 1e6).toFixed(1)} MB | peak RSS ${(t.peakRssBytes / 1048576).toFixed(0)} MiB\n`,
  );
  // This run's conversions by lane (files from earlier runs of a resumed batch are not counted)
  if (byLane.luma + byLane.sharp) out.write(`Lanes: ${byLane.luma} luma (libjpeg-turbo), ${byLane.sharp} sharp\n`);
  if (stopped) out.write(`Stopped because: ${stopped.reason} (${stopped.detail}). ${cap(stopped.hint)}: photopool resume ${quote(output)}\n`);
  if (failures.length) {
    out.write(`Failures (${failures.length}):\n`);
    for (const f of failures) out.write(`  ${quote(f.input)}: ${f.reason}${f.detail ? ` (${f.detail})` : ''}. ${cap(f.hint)}.\n`);
  }
}

/** What a target file size did: the qualities it chose. */
function qualityLine(qs: number[]): string {
  const s = [...qs].sort((a, b) => a - b);
  return `Target size: quality ${s[0]}-${s.at(-1)} (median ${s[Math.floor(s.length / 2)]}) over ${s.length} files\n`;
}
