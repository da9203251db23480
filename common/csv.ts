/**
 * CSV cells that are safe to open in a spreadsheet: quoted when they hold a quote, comma or line
 * break, and a text that starts with = + - @ (or a tab or carriage return) is prefixed with a
 * quote mark so that Excel, LibreOffice or Sheets show it as text instead of running it as a
 * formula (CSV injection: a file named `=HYPERLINK(...)`.jpg must not become a link).
 */

/**
 * @param v a cell; numbers and booleans are written as they are (a negative number stays a number)
 * @example
 * csvCell('=1+2') // "'=1+2"; csvCell('a,b') // '"a,b"'; csvCell(-3) // '-3'
 */
export function csvCell(v: unknown): string {
  if (typeof v !== 'string') return String(v ?? '');
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
