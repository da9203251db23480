/**
 * Per-file naming tokens, filled in while planning:
 * - `{counter}`, `{counter:4}`, `{counter:4:100}`: the image's place in scan order (every image
 *   the scan finds counts, those done by an earlier run of a resumed batch too), padded with
 *   zeros to 4 digits, starting at 100 (default: no padding, start 1).
 * - `{date}`, `{date:FMT}`, `{exif-date:FMT}`: the capture time from the EXIF header
 *   (DateTimeOriginal, else CreateDate, read with exifr while planning), else the file's
 *   modification time in local time. FMT takes %Y %m %d %H %M %S (and %% for %); `{date}` is
 *   `%Y-%m-%d`, `{exif-date}` is `%Y%m%d_%H%M%S`.
 * - `{width}`, `{height}`: the final output's size, filled in when the file is converted
 *   (Planner.settleSize); allowed in the file name only, so the temporary file still lies in the
 *   output's folder.
 * The template grammar itself is checked by the job schema (common/job.ts).
 */
import { promises as fs } from 'node:fs';

/** Date and time parts as written in the file (no time zone). */
export interface TimeParts {
  Y: string;
  m: string;
  d: string;
  H: string;
  M: string;
  S: string;
}

const COUNTER = /\{counter(?::(\d+))?(?::(\d+))?\}/g;
const DATE = /\{(date|exif-date)(?::([^}]*))?\}/g;

/** True when the template has tokens whose value differs per file beyond `{name}` and `{ext}`. */
export function hasFileTokens(template: string): boolean {
  return /\{(counter|date|exif-date)[:}]/.test(template) || hasSizeTokens(template);
}

/** True when a name still holds `{width}` or `{height}`, known only once the file is converted. */
export const hasSizeTokens = (name: string) => /\{(width|height)\}/.test(name);

/** True when the template needs the capture time. */
export const needsDate = (template: string) => /\{(date|exif-date)[:}]/.test(template);

/**
 * Fill `{counter...}` and `{date...}` in `template` for the image at scan position `seq` (0-based).
 *
 * @example
 * fillTokens('{dir}/{exif-date}_{counter:3}.{ext}', 4, { Y: '2024', m: '07', d: '01', H: '09', M: '05', S: '00' })
 * // '{dir}/20240701_090500_005.{ext}'
 */
export function fillTokens(template: string, seq: number, time?: TimeParts): string {
  let out = template.replace(COUNTER, (_, pad?: string, start?: string) => String(seq + Number(start ?? 1)).padStart(Number(pad ?? 0), '0'));
  if (time) out = out.replace(DATE, (_, kind: string, fmt?: string) => formatTime(time, fmt ?? (kind === 'date' ? '%Y-%m-%d' : '%Y%m%d_%H%M%S')));
  return out;
}

/** strftime for %Y %m %d %H %M %S and %%. */
export function formatTime(t: TimeParts, fmt: string): string {
  return fmt.replace(/%([YmdHMS%])/g, (_, k: string) => (k === '%' ? '%' : t[k as keyof TimeParts]));
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * The capture time of `path`: EXIF DateTimeOriginal or CreateDate as written in the file, else
 * its modification time (local time). Reads only the file's header.
 *
 * @example
 * await captureTime('/photos/IMG_0001.jpg') // { Y: '2024', m: '07', d: '01', H: '09', M: '05', S: '00' }
 */
export async function captureTime(path: string): Promise<TimeParts> {
  try {
    // loaded on first use: building its tag tables costs ~30 ms of every start-up otherwise
    const { default: exifr } = await import('exifr');
    const tags = (await exifr.parse(path, { pick: ['DateTimeOriginal', 'CreateDate'], reviveValues: false })) as Record<string, unknown> | undefined;
    const text = tags?.DateTimeOriginal ?? tags?.CreateDate;
    const m = typeof text === 'string' ? /^(\d{4}):(\d\d):(\d\d)[ T](\d\d):(\d\d):(\d\d)/.exec(text) : null;
    if (m && m[1] !== '0000') return { Y: m[1]!, m: m[2]!, d: m[3]!, H: m[4]!, M: m[5]!, S: m[6]! };
  } catch {
    /* no EXIF, or a format exifr does not read: the file time below */
  }
  const t = await fs.stat(path).then((st) => st.mtime, () => new Date(0)); // gone: the worker reports it
  return { Y: String(t.getFullYear()), m: pad2(t.getMonth() + 1), d: pad2(t.getDate()), H: pad2(t.getHours()), M: pad2(t.getMinutes()), S: pad2(t.getSeconds()) };
}
