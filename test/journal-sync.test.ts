/**
 * The journal's periodic fdatasync runs off the engine's thread (engine/journal.ts): the crash
 * guarantees stay those of one write(2) per record. A process killed (SIGKILL) right after its
 * 65th commit (just after the 64th asked for a sync) and before renaming: recovery rolls every
 * committed temporary file forward and removes the uncommitted one; nothing lost or doubled.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JOURNAL_NAME, recoverJournal } from '../engine/journal.js';
import { ROOT, tempDir } from './helpers.js';

const ID = 'abcd1234';

describe('journal: syncs off the thread, same crash guarantees', () => {
  it('a batch killed mid-commit loses no committed output and redoes only the uncommitted file', async () => {
    const input = tempDir('jsync-in');
    const out = tempDir('jsync-out');
    const dist = (p: string) => pathToFileURL(join(ROOT, 'dist', p)).href;
    // the child: 66 files started, 65 written and committed, none renamed, then killed
    const child = `
      const { Journal } = await import(${JSON.stringify(dist('engine/journal.js'))});
      const { JobSpecSchema } = await import(${JSON.stringify(dist('common/job.js'))});
      const { writeFileSync } = await import('node:fs');
      const spec = JobSpecSchema.parse({ inputs: [${JSON.stringify(input)}], output: ${JSON.stringify(out)} });
      const j = Journal.open(${JSON.stringify(out)}, '${ID}', spec, false);
      for (let i = 0; i < 66; i++) {
        const o = ${JSON.stringify(out)} + '/f' + i + '.jpg', tmp = ${JSON.stringify(out)} + '/.f' + i + '.jpg.${ID}-' + i + '.photopool-tmp';
        j.start(${JSON.stringify(input)} + '/f' + i + '.jpg', tmp, o);
        writeFileSync(tmp, 'x'.repeat(i + 1));
        if (i < 65) j.commit(${JSON.stringify(input)} + '/f' + i + '.jpg', tmp, o, i + 1);
      }
      process.kill(process.pid, 'SIGKILL');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', child]);
    expect(r.signal).toBe('SIGKILL');
    const lines = readFileSync(join(out, JOURNAL_NAME), 'utf8').trim().split('\n');
    expect(lines.filter((l) => l.includes('"t":"commit"'))).toHaveLength(65); // every record written, none torn
    const state = await recoverJournal(out);
    expect(state.done.size).toBe(65);
    const files = readdirSync(out).filter((f) => f !== JOURNAL_NAME && !f.startsWith('.photopool-lock'));
    expect(files.sort()).toEqual(Array.from({ length: 65 }, (_, i) => `f${i}.jpg`).sort()); // rolled forward; the uncommitted tmp removed
    for (let i = 0; i < 65; i++) expect(readFileSync(join(out, `f${i}.jpg`), 'utf8')).toHaveLength(i + 1);
  });
});
