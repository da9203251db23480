/**
 * Where outputs go when the person has not chosen a folder: a persistent, visible folder under
 * their Pictures folder (never the browser-mode staging folder, which is removed on exit).
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

const two = (n: number) => String(n).padStart(2, '0');

/**
 * `~/Pictures/PhotoPool/<date time>` for `now`, e.g. `/home/me/Pictures/PhotoPool/2026-11-29 10-05`
 * (no colons, so the name is valid on every platform).
 *
 * @example
 * defaultOutputFolder(new Date(2026, 10, 29, 10, 5)) // '/home/me/Pictures/PhotoPool/2026-11-29 10-05'
 */
export function defaultOutputFolder(now = new Date(), home = homedir()): string {
  const stamp = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}-${two(now.getMinutes())}`;
  return join(home, 'Pictures', 'PhotoPool', stamp);
}
