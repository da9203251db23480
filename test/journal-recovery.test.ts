/**
 * Journal recovery (engine/journal.ts, journal-format.ts) on journals that are torn, from
 * another version, or crafted to reach outside their output folder: recovery touches only the
 * journal's own temporary files inside the output folder, or refuses the journal whole and
 * touches nothing.
 */
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { EngineError } from '../engine/errors.js';
import { JOURNAL_NAME, recoverJournal } from '../engine/journal.js';
import { hashTree, tempDir } from './helpers.js';

const ID = 'abcd1234';
const tmpOf = (dir: string, name: string, seq: number) => join(dir, `.${name}.${ID}-${seq}.photopool-tmp`);

/** An output folder with a journal made of `records` (objects, or raw lines as strings). */
function folder(records: (object | string)[], opts: { batch?: object } = {}) {
  const out = tempDir('journal');
  const input = tempDir('journal-in');
  const spec = JobSpecSchema.parse({ inputs: [input], output: out });
  const batch = { t: 'batch', v: 1, batchId: ID, spec, at: new Date().toISOString(), ...opts.batch };
  const lines = [batch, ...records].map((r) => (typeof r === 'string' ? r : JSON.stringify(r)));
  writeFileSync(join(out, JOURNAL_NAME), lines.join('\n') + '\n');
  return { out, input };
}

async function refused(out: string, pattern: RegExp) {
  const before = hashTree(out);
  let err: unknown;
  try {
    await recoverJournal(out);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(EngineError);
  expect((err as Error).message).toMatch(pattern);
  expect(hashTree(out)).toEqual(before); // touched nothing
}

describe('journal recovery', () => {
  it('rolls committed temporary files forward and removes uncommitted ones', async () => {
    const { out, input } = folder([]);
    const a = tmpOf(out, 'a.jpg', 1);
    const b = tmpOf(out, 'b.jpg', 2);
    writeFileSync(a, 'AAAA');
    writeFileSync(b, 'BB');
    const j = join(out, JOURNAL_NAME);
    writeFileSync(
      j,
      readFileSync(j, 'utf8') +
        [
          { t: 'start', i: join(input, 'a.jpg'), tmp: a, o: join(out, 'a.jpg') },
          { t: 'start', i: join(input, 'b.jpg'), tmp: b, o: join(out, 'b.jpg') },
          { t: 'commit', i: join(input, 'a.jpg'), tmp: a, o: join(out, 'a.jpg'), bytes: 4 },
        ]
          .map((r) => JSON.stringify(r) + '\n')
          .join(''),
    );
    const state = await recoverJournal(out);
    expect(readFileSync(join(out, 'a.jpg'), 'utf8')).toBe('AAAA');
    expect(existsSync(a) || existsSync(b) || existsSync(join(out, 'b.jpg'))).toBe(false);
    expect([...state.done]).toEqual([join(input, 'a.jpg')]);
    expect([...state.outputs]).toEqual([join(out, 'a.jpg')]);
    expect([...state.planned]).toEqual([[join(input, 'b.jpg'), join(out, 'b.jpg')]]); // redone under its name
    expect(state.finished).toBe(false);
    expect(existsSync(join(out, '.photopool-lock'))).toBe(false); // held during repair only
  });

  it('lets the last commit of an input decide, and keeps the name of one whose output is gone', async () => {
    const { out, input } = folder([]);
    const [a, b, c] = ['a.jpg', 'b.jpg', 'c.jpg'].map((n) => join(out, n));
    writeFileSync(a!, 'AAAA'); // committed at 2 bytes by a first run, redone at 4 by a second
    writeFileSync(b!, 'BB'); // committed at 2, then redone at 9 bytes: the 9-byte file is not there
    const commit = (n: string, bytes: number, seq: number) => ({ t: 'commit', i: join(input, n), tmp: tmpOf(out, n, seq), o: join(out, n), bytes });
    const j = join(out, JOURNAL_NAME);
    writeFileSync(j, readFileSync(j, 'utf8') + [commit('a.jpg', 2, 1), commit('b.jpg', 2, 2), commit('c.jpg', 5, 3), commit('a.jpg', 4, 4), commit('b.jpg', 9, 5)].map((r) => JSON.stringify(r) + '\n').join(''));
    const state = await recoverJournal(out);
    expect([...state.done]).toEqual([join(input, 'a.jpg')]);
    expect([...state.outputs].sort()).toEqual([a, b]); // b was whole at its first commit: claimed either way
    expect([...state.planned].sort()).toEqual([
      [join(input, 'b.jpg'), b],
      [join(input, 'c.jpg'), c], // its output was deleted: redone under the same name
    ]);
  });

  it('touches nothing, not even a committed temporary file, when a later line is bad', async () => {
    const { out, input } = folder([]);
    const a = tmpOf(out, 'a.jpg', 1);
    writeFileSync(a, 'AAAA');
    const j = join(out, JOURNAL_NAME);
    const commit = { t: 'commit', i: join(input, 'a.jpg'), tmp: a, o: join(out, 'a.jpg'), bytes: 4 };
    writeFileSync(j, readFileSync(j, 'utf8') + JSON.stringify(commit) + '\n{"t":"start",\n' + JSON.stringify({ t: 'end', at: 'x', cancelled: true }) + '\n');
    await refused(out, /line 3 is not JSON/);
    expect(existsSync(a)).toBe(true);
  });

  it('ignores a last line torn by a kill, refuses a broken line in the middle', async () => {
    const torn = folder([{ t: 'end', at: 'x', cancelled: false }, '{"t":"start","i":"/x","tm']);
    expect((await recoverJournal(torn.out)).finished).toBe(true);
    const broken = folder(['{"t":"start",', { t: 'end', at: 'x', cancelled: false }]);
    await refused(broken.out, /line 2 is not JSON/);
  });

  it('refuses a record that is not a journal record, naming the field', async () => {
    const { out } = folder([{ t: 'commit', i: '/in/a.jpg', tmp: 'x', o: 'y', bytes: -1 }]);
    await refused(out, /line 2 is not a journal record \(bytes: /);
  });

  it('refuses a journal from another version of PhotoPool', async () => {
    const { out } = folder([], { batch: { v: 2 } });
    await refused(out, /another version of PhotoPool \(journal version 2; this one reads 1\)/);
  });

  it('validates the recovered job with the job schema', async () => {
    const { out } = folder([], { batch: { spec: { inputs: ['/in'], output: '/elsewhere', quality: 500 } } });
    await refused(out, /holds a job this version does not accept \(quality: /);
    const other = folder([], { batch: { spec: JobSpecSchema.parse({ inputs: ['/in'], output: '/elsewhere' }) } });
    await refused(other.out, /is the journal of another output folder \(\/elsewhere\)/);
  });

  it('never deletes or renames a path outside the output folder', async () => {
    const victimDir = tempDir('victim');
    const victim = join(victimDir, 'precious.txt');
    writeFileSync(victim, 'keep me');
    const outside = tmpOf(victimDir, 'precious.txt', 1); // the right name, the wrong folder
    writeFileSync(outside, 'tmp-looking');
    const cases: object[] = [
      { t: 'start', i: '/in/a.jpg', tmp: victim },
      { t: 'start', i: '/in/a.jpg', tmp: outside },
      { t: 'commit', i: '/in/a.jpg', tmp: outside, o: victim, bytes: 11 },
    ];
    for (const rec of cases) {
      const { out } = folder([rec]);
      await refused(out, /line 2 names a/);
      expect(readFileSync(victim, 'utf8')).toBe('keep me');
      expect(existsSync(outside)).toBe(true);
    }
    // inside the folder but through '..', or pointing out of it by a link
    const { out: o1 } = folder([{ t: 'start', i: '/in/a.jpg', tmp: `${tempDir('x')}/../${outside.split('/').slice(-2).join('/')}` }]);
    await refused(o1, /line 2 names a/);
    const o2 = folder([]).out;
    symlinkSync(victimDir, join(o2, 'sub'));
    writeFileSync(join(o2, JOURNAL_NAME), readFileSync(join(o2, JOURNAL_NAME), 'utf8') + JSON.stringify({ t: 'start', i: '/in/a', tmp: tmpOf(join(o2, 'sub'), 'precious.txt', 1) }) + '\n');
    await refused(o2, /line 2 names a/);
    expect(existsSync(outside)).toBe(true);
  });

  it('refuses a path into the folder that is not written normally (//, /./, /x/../), takes the normal one', async () => {
    for (const odd of ['//', '/./', '/sub/../']) {
      const { out } = folder([]);
      mkdirSync(join(out, 'sub'));
      const tmp = tmpOf(out, 'a.jpg', 1);
      writeFileSync(tmp, 'tmp');
      const j = join(out, JOURNAL_NAME);
      writeFileSync(j, readFileSync(j, 'utf8') + JSON.stringify({ t: 'start', i: '/in/a.jpg', tmp: out + odd + tmp.slice(out.length + 1) }) + '\n');
      await refused(out, /line 2 names a temporary file that is not one of this journal's/);
      writeFileSync(j, readFileSync(j, 'utf8').split('\n')[0] + '\n' + JSON.stringify({ t: 'start', i: '/in/a.jpg', tmp }) + '\n');
      await recoverJournal(out);
      expect(existsSync(tmp)).toBe(false); // the uncommitted temporary file, named normally, is removed
    }
  });

  it('refuses files inside the folder that are not its temporary files (an output, another batch, the journal)', async () => {
    const probe = folder([]);
    const output = join(probe.out, 'photo.jpg');
    writeFileSync(output, 'an output');
    for (const tmp of [output, join(probe.out, `.photo.jpg.ffff0000-1.photopool-tmp`), join(probe.out, JOURNAL_NAME)]) {
      const { out } = folder([{ t: 'start', i: '/in/photo.jpg', tmp: tmp.replace(probe.out, '__OUT__') }]);
      const j = join(out, JOURNAL_NAME);
      writeFileSync(j, readFileSync(j, 'utf8').replaceAll('__OUT__', out));
      writeFileSync(join(out, 'photo.jpg'), 'an output');
      await refused(out, /line 2 names a temporary file that is not one of this journal's/);
    }
    // a commit whose output is not beside its temporary file, or under another name
    const { out } = folder([]);
    mkdirSync(join(out, 'd'));
    const j = join(out, JOURNAL_NAME);
    writeFileSync(j, readFileSync(j, 'utf8') + JSON.stringify({ t: 'commit', i: '/in/a.jpg', tmp: tmpOf(out, 'a.jpg', 1), o: join(out, 'd', 'b.jpg'), bytes: 1 }) + '\n');
    await refused(out, /line 2 names a file outside the output folder or not one of its temporary files/);
  });
});
