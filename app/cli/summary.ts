/**
 * The summary printed when a batch ends: the outputs renamed in a name clash, the files
 * converted with warnings and the conversions per lane (not with --quiet), every failure with its reason and what to do, why
 * it stopped, then one line of totals (the only line `--quiet` keeps on success) and, after a
 * cancel, the command that continues.
 */
import type { BatchTotals, EngineEvent } from '../../common/events.js';
import type { ConvertLane } from '../../common/task.js';
import { machineLines } from '../nats/machines.js';
import { shellQuote } from './signals.js';

export type Failure = { input: string; reason: string; hint: string; detail?: string };
/** Wrap text in an SGR colour code, or not (no colour). */
export type Paint = (sgr: number, s: string) => string;

/** JSON.stringify escapes newlines and control characters, so odd file names print on one line. */
export const quote = (s: string) => (/^[\w./ +,=@%-]*$/.test(s) ? s : JSON.stringify(s));

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** The one-line totals: `Done: 200 ok, 0 failed, 3 skipped in 8.24 s | ...`. */
export function totalsLine(t: BatchTotals, outcome: string): string {
  return (
    `${outcome}: ${t.done} ok${t.doneBefore ? ` (${t.doneBefore} from earlier runs)` : ''}, ${t.failed} failed, ${t.skipped} skipped in ${(t.elapsedMs / 1000).toFixed(2)} s` +
    ` | ${t.imagesPerSec.toFixed(2)} images/s, ${t.mpPerSec.toFixed(1)} MP/s | ${(t.inputBytes / 1e6).toFixed(1)} MB -> ${(t.outputBytes / 1e6).toFixed(1)} MB | peak RSS ${(t.peakRssBytes / 1048576).toFixed(0)} MiB`
  );
}

/** What a target file size did: the qualities it chose. */
function qualityLine(qs: number[]): string {
  const s = [...qs].sort((a, b) => a - b);
  return `Target size: quality ${s[0]}-${s.at(-1)} (median ${s[Math.floor(s.length / 2)]}) over ${s.length} files\n`;
}

/** The command that continues the batch in `output`. */
export const resumeCommand = (output: string) => `photopool resume ${shellQuote(output)}`;

/**
 * Print the summary of a finished (or cancelled, or stopped) batch on stdout.
 *
 * @example
 * summary({ ...doneEvent, failures: [], paint: (_, s) => s });
 */
export function summary(e: Extract<EngineEvent, { type: 'done' }> & { failures: Failure[]; notes?: { renamed: string[]; warned: string[]; byLane: Record<ConvertLane, number>; qualities: number[]; byRemote?: Record<string, number> }; paint: Paint }): void {
  const out = process.stdout;
  const { stopped, paint, notes } = e;
  const outcome = e.cancelled ? paint(33, 'Cancelled') : stopped ? paint(31, 'Stopped') : paint(e.totals.failed ? 33 : 32, 'Done');
  if (notes?.renamed.length) out.write(`Renamed (${notes.renamed.length}), to keep one output per input:\n${notes.renamed.join('\n')}\n`);
  if (notes?.warned.length) out.write(`Converted with warnings (${notes.warned.length}):\n${notes.warned.join('\n')}\n`);
  // This run's conversions by lane (files from earlier runs of a resumed batch are not counted)
  const lanes = notes?.byLane;
  const converted = lanes ? lanes.luma + lanes.colour + lanes.sharp : 0;
  if (lanes && converted) out.write(`Lanes: ${lanes.luma} luma (libjpeg-turbo), ${lanes.colour} colour (libjpeg-turbo + libvips), ${lanes.sharp} sharp\n`);
  if (notes?.qualities.length) out.write(qualityLine(notes.qualities));
  // A cluster batch: each machine's files and images/s, remote workers as `host/worker`
  if (lanes && notes?.byRemote && Object.keys(notes.byRemote).length) out.write(machineLines(notes.byRemote, converted, e.totals.elapsedMs));
  if (e.failures.length) {
    // Quiet keeps the errors: one line each, before the final line.
    out.write(`${paint(31, `Failures (${e.failures.length})`)}:\n`);
    for (const f of e.failures) out.write(`  ${quote(f.input)}: ${f.reason}${f.detail ? ` (${f.detail})` : ''}. ${cap(f.hint)}.\n`);
  }
  if (stopped) out.write(`Stopped because: ${stopped.reason} (${stopped.detail}). ${cap(stopped.hint)}: ${resumeCommand(e.output)}\n`);
  out.write(totalsLine(e.totals, outcome) + '\n');
  if (e.cancelled) out.write(`Nothing partial was kept. To continue: ${resumeCommand(e.output)}\n`);
}
