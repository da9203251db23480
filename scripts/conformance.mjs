#!/usr/bin/env node
// Conformance run (issue 18): convert any folder with the default recipe and tabulate the outcomes.
//   npm run conformance -- DIR [-o OUT] [-- EXTRA CONVERT FLAGS...]
//   e.g. npm run conformance -- ../shared/photos -- --format jpeg
// Runs `photopool convert DIR -o OUT --json [FLAGS]` (OUT: a fresh temporary folder, removed after
// unless -o is given) and prints, as markdown: outcomes by code, outcomes by file type (the type
// from the content, by file-type; SVG by its text; "? .ext" when nothing matches), every failure
// with its reason and libvips' detail, the outputs renamed in a name clash, and the files that
// converted with warnings. Needs a built project (npm run build). Exit code: the CLI's.
import { spawn } from 'node:child_process';
import { closeSync, constants, fstatSync, lstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { fileTypeFromBuffer } from 'file-type';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const dashdash = process.argv.indexOf('--', 2);
const own = dashdash < 0 ? process.argv.slice(2) : process.argv.slice(2, dashdash);
const extra = dashdash < 0 ? [] : process.argv.slice(dashdash + 1);
const { values: opt, positionals } = parseArgs({ args: own, allowPositionals: true, options: { out: { type: 'string', short: 'o' } } });
if (positionals.length !== 1) {
  console.error('usage: npm run conformance -- DIR [-o OUT] [-- EXTRA CONVERT FLAGS]');
  process.exit(2);
}
const dir = resolve(positionals[0]);
const out = opt.out ? resolve(opt.out) : mkdtempSync(join(tmpdir(), 'photopool-conformance-'));

/** What the file is by content: file-type's extension, `svg`, or `? .ext`. */
async function typeOf(path) {
  let head;
  try {
    if (!lstatSync(path).isFile()) return lstatSync(path).isSymbolicLink() ? 'symlink' : 'special';
    // O_NONBLOCK | O_NOFOLLOW: a FIFO swapped in never blocks, a link is never followed
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      if (!fstatSync(fd).isFile()) return 'special';
      head = Buffer.alloc(4100);
      head = head.subarray(0, readSync(fd, head, 0, head.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return `? ${extname(path).toLowerCase() || '(none)'}`;
  }
  const t = await fileTypeFromBuffer(head).catch(() => undefined);
  if (t) return t.ext;
  if (/<svg[\s>]/i.test(head.toString('latin1'))) return 'svg';
  if (head.length === 0) return 'empty';
  return `? ${extname(path).toLowerCase() || '(none)'}`;
}

function run(args) {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin/photopool'), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    const events = [];
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('{')) events.push(JSON.parse(line));
      }
    });
    child.on('close', (code) => done({ code, events }));
  });
}

const { code, events } = await run(['convert', dir, '-o', out, '--json', ...extra]);
const rows = []; // { path, outcome, type, reason?, detail? }
const renamed = [];
const warned = [];
for (const e of events) {
  if (e.type === 'file-done') {
    rows.push({ path: e.input, outcome: 'converted' });
    if (e.renamed) renamed.push(`\`${relative(dir, e.input)}\` -> \`${relative(out, e.output)}\` (${e.renamed.reason})`);
    if (e.warnings) warned.push(`\`${relative(dir, e.input)}\`: ${e.warnings.join('; ')}`);
  } else if (e.type === 'file-failed') rows.push({ path: e.input, outcome: `failed ${e.code}`, reason: e.reason, detail: e.detail });
  else if (e.type === 'file-skipped') rows.push({ path: e.input, outcome: `skipped ${e.code}` });
  else if (e.type === 'folder-error') rows.push({ path: e.path, outcome: `folder-error ${e.code}`, reason: e.reason });
}
for (const r of rows) r.type = await typeOf(r.path);
if (!opt.out) rmSync(out, { recursive: true, force: true });

const count = (key) => {
  const m = new Map();
  for (const r of rows) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
};
const cell = (s) => String(s).replaceAll('|', '\\|').replaceAll('\n', ' ');
const p = (s = '') => process.stdout.write(s + '\n');

const done = events.find((e) => e.type === 'done');
p(`## Conformance: \`${dir}\``);
p();
p(`\`photopool convert DIR -o OUT --json${extra.length ? ' ' + extra.join(' ') : ''}\`: ${rows.length} entries, exit code ${code}` + (done ? `, ${done.totals.done} converted, ${done.totals.failed} failed, ${done.totals.skipped} skipped` : ', no done event'));
p();
p('| outcome | files |');
p('|---|---|');
for (const [k, n] of count((r) => r.outcome)) p(`| ${k} | ${n} |`);
p();
const outcomes = count((r) => r.outcome.split(' ')[0]).map(([k]) => k).sort();
p(`| type (by content) | ${outcomes.join(' | ')} |`);
p(`|---|${outcomes.map(() => '---').join('|')}|`);
for (const [type] of count((r) => r.type)) {
  const of = rows.filter((r) => r.type === type);
  p(`| ${cell(type)} | ${outcomes.map((o) => of.filter((r) => r.outcome.startsWith(o)).length || '').join(' | ')} |`);
}
const failures = rows.filter((r) => !r.outcome.startsWith('converted') && !r.outcome.startsWith('skipped'));
if (failures.length) {
  p();
  p('| failed file | type | outcome | reason (detail) |');
  p('|---|---|---|---|');
  for (const r of failures.sort((a, b) => (a.path < b.path ? -1 : 1))) {
    p(`| \`${cell(relative(dir, r.path) || basename(r.path))}\` | ${cell(r.type)} | ${r.outcome} | ${cell(r.reason ?? '')}${r.detail ? ` (${cell(r.detail.slice(0, 200))})` : ''} |`);
  }
}
if (renamed.length) {
  p();
  p(`Renamed in a name clash (${renamed.length}):`);
  for (const l of renamed) p(`- ${l}`);
}
if (warned.length) {
  p();
  p(`Converted with warnings (${warned.length}):`);
  for (const l of warned) p(`- ${l}`);
}
process.exitCode = code ?? 1;
