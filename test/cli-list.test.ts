/**
 * `--files-from`: exactly the listed files are converted, named below `--base`; a file outside
 * the base is refused with its name; stdin, NUL-separated lists; the list is streamed (bounded
 * look-ahead) and journalled, so `resume` works after a list read from a pipe.
 */
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ListFeed } from '../engine/file-list.js';
import { ListSpool, spoolState } from '../engine/list-spool.js';
import { nameChunks } from '../app/cli/list.js';
import { HAVE_SHARED, linkFarm, listFiles, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles } from './helpers.js';
import { outputsIn, startInGroup, until } from './cli-helpers.js';

/** A folder with a few images in sub-folders. */
function tree(): string {
  const dir = tempDir('list-in');
  mkdirSync(join(dir, 'trip/day 1'), { recursive: true });
  mkdirSync(join(dir, 'other'));
  cpSync(join(SAMPLES, 'chelsea.jpg'), join(dir, 'trip/day 1/cat.jpg'));
  cpSync(join(SAMPLES, 'coffee.jpg'), join(dir, 'trip/coffee.jpg'));
  cpSync(join(SAMPLES, 'retina.jpg'), join(dir, 'other/retina.jpg'));
  cpSync(join(SAMPLES, 'nested/astronaut.jpg'), join(dir, 'other/astronaut.jpg'));
  return dir;
}

describe('--files-from', () => {
  it('- (stdin) converts exactly the listed files, outputs named below --base; outside it is refused', async () => {
    const dir = tree();
    const out = tempDir('list-out');
    const outside = join(SAMPLES, 'coffee.jpg');
    const list = [join(dir, 'trip/day 1/cat.jpg'), join(dir, 'other/retina.jpg'), '', outside].join('\n') + '\n';
    const r = await runCliWithStdin(['convert', '--files-from', '-', '--base', dir, '-o', out, '--resize', '64x64', '--json'], list);
    expect(r.code, r.stderr).toBe(3); // the outside file failed
    expect(outputsIn(out).map((f) => relative(out, f)).sort()).toEqual(['other/retina.jpg', 'trip/day 1/cat.jpg']);
    const failed = ofType(r.events, 'file-failed');
    expect(failed).toEqual([expect.objectContaining({ input: outside, code: 'outside-base', detail: `not inside ${dir}` })]);
    // the list is spooled beside the journal for resume: three names and the list's end
    expect(readFileSync(join(out, '.photopool-list.ndjson'), 'utf8')).toBe([list.split('\n')[0], list.split('\n')[1], outside].map((n) => JSON.stringify(n)).join('\n') + '\n{"end":3}\n');
  });

  it('-0 reads NUL-separated names (a newline in a name is fine); relative names are taken from the current folder', async () => {
    const dir = tree();
    const odd = join(dir, 'trip/line\nbreak.jpg');
    cpSync(join(SAMPLES, 'chelsea.jpg'), odd);
    const out = tempDir('list0-out');
    const r = await runCliWithStdin(['convert', '--files-from', '-', '-0', '-o', out, '--resize', '64x64', '-q'], `trip/coffee.jpg\0${odd}\0`, dir);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(outputsIn(out).map((f) => relative(out, f)).sort()).toEqual(['trip/coffee.jpg', 'trip/line\nbreak.jpg']);
  });

  it('a list FILE: exactly those files; --base must be a folder and inputs cannot be mixed in', async () => {
    const dir = tree();
    const listFile = join(tempDir('listfile'), 'list.txt');
    writeFileSync(listFile, `${join(dir, 'other/astronaut.jpg')}\r\n`); // CRLF list
    const out = tempDir('listfile-out');
    const r = await runCli(['convert', '--files-from', listFile, '--base', dir, '-o', out, '--resize', '64x64', '-q']);
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['other/astronaut.jpg']);
    const bad = await runCli(['convert', dir, '--files-from', listFile, '--base', join(dir, 'nope'), '-o', tempDir('x')]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('<inputs>: expected no inputs with --files-from (the list names the files)');
    expect(bad.stderr).toContain(`--base: expected an existing folder, received ${JSON.stringify(join(dir, 'nope'))}`);
  });

  it('resume works after a list read from stdin was interrupted: every listed output exactly once', async () => {
    const farm = linkFarm(HAVE_SHARED ? SHARED_PHOTOS : SAMPLES, 90, 'list-resume');
    const names = listFiles(farm).map((f) => join(farm, f));
    const out = tempDir('list-resume-out');
    const run = startInGroup(['convert', '--files-from', '-', '--base', farm, '-o', out, '--gray', '--resize', '640x640', '--format', 'jpeg', '-w', '2'], { stdin: names.join('\n') + '\n' });
    await until(() => outputsIn(out).length >= 5, 60_000, 'five outputs');
    run.signalGroup('SIGINT');
    expect((await run.ended).code, run.out.stderr).toBe(130);
    expect(outputsIn(out).length).toBeLessThan(90);
    const r = await runCli(['resume', out, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(outputsIn(out).map((f) => relative(out, f)).sort()).toEqual(names.map((n) => relative(farm, n).replace(/\.png$/, '.jpg')).sort());
    const commits = readFileSync(join(out, '.photopool-journal.ndjson'), 'utf8').split('\n').filter((l) => l.startsWith('{"t":"commit'));
    expect(commits).toHaveLength(90);
    expect(tmpFiles(out)).toEqual([]);
  });
});

describe('list streaming (units)', () => {
  it('nameChunks splits, drops CR and empty names, and reads no faster than it is consumed', async () => {
    let pulled = 0;
    const source = Readable.from(
      (function* () {
        for (let i = 0; i < 1_000_000; i += 1000) {
          pulled += 1000;
          yield Buffer.from(Array.from({ length: 1000 }, (_, k) => `/p/${i + k}.jpg\r\n`).join(''));
        }
      })(),
      { objectMode: false, highWaterMark: 1 },
    );
    const chunks = nameChunks(source, '\n', 512);
    const first = await chunks.next();
    expect(first.value).toHaveLength(512);
    expect(first.value![0]).toBe('/p/0.jpg');
    expect(pulled).toBeLessThan(10_000); // 1 000 000 names listed, a few thousand read
    let count = 512;
    for await (const c of chunks) count += c.length;
    expect(count).toBe(1_000_000);
  });

  it('ListFeed asks for the next chunk once it has handed one over, never before: two chunks at most', async () => {
    let asks = 0;
    const feed = new ListFeed(() => asks++);
    const chunk = (from: number) => Array.from({ length: 512 }, (_, i) => `/n/${from + i}`);
    const first = feed.take();
    expect(asks).toBe(1);
    feed.push(chunk(0), false);
    expect(await first).toHaveLength(512);
    expect(asks).toBe(2); // handing a chunk over asks for the next one
    feed.push(chunk(512), false);
    feed.push(chunk(1024), false); // (a client that does not wait to be asked)
    expect(asks).toBe(2); // nothing more is asked until the engine takes again
    const second = await feed.take();
    expect(second![0]).toBe('/n/512');
    expect(asks).toBe(3);
    feed.push([], true);
    expect(await feed.take()).toBeNull();
    expect(asks).toBe(3);
  });

  it('the spool is read behind its writer, in order, up to the end mark', async () => {
    const out = tempDir('spool');
    const feed = new ListFeed(() => undefined);
    const spool = ListSpool.fill(out, feed, new AbortController().signal);
    const got: string[] = [];
    const reading = (async () => {
      for await (const n of spool.names()) got.push(n);
    })();
    feed.push(['/a\nb.jpg', '/c.jpg'], false);
    await until(() => got.length === 2, 5000, 'the first two names');
    expect(got).toEqual(['/a\nb.jpg', '/c.jpg']); // read while the list is still open
    feed.push(['/d.jpg'], true);
    await reading;
    expect(got).toEqual(['/a\nb.jpg', '/c.jpg', '/d.jpg']);
    expect(await spoolState(out)).toEqual({ names: 3, ended: true });
    const again: string[] = [];
    for await (const n of ListSpool.reopen(out).names()) again.push(n);
    expect(again).toEqual(got);
  });
});

/** runCli with `input` on stdin (and an optional working folder). */
async function runCliWithStdin(args: string[], input: string, cwd?: string) {
  const run = startInGroup(args, { stdin: input, cwd });
  const { code } = await run.ended;
  const events = run.out.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as import('../common/events.js').EngineEvent);
  return { code, stdout: run.out.stdout, stderr: run.out.stderr, events };
}
