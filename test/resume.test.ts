/**
 * A batch killed with SIGKILL mid-run, then resumed: every output exactly once, no file
 * converted twice, no temporary file left, every output decodes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, linkFarm, listFiles, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles, hashTree } from './helpers.js';

describe('kill -9 and resume', () => {
  it('ends with every output exactly once and nothing converted twice', async () => {
    const input = linkFarm(HAVE_SHARED ? SHARED_PHOTOS : SAMPLES, 80, 'kill');
    const before = hashTree(input);
    const out = tempDir('kill-out');
    const args = ['convert', input, '-o', out, '--gray', '--resize', '800x800', '--format', 'jpeg', '--workers', '2', '--json'];

    // Run 1: SIGKILL the CLI and its engine process after 25 files.
    let n = 0;
    const first = await runCli(args, {
      onEvent: (e, kill) => {
        if (e.type === 'file-done' && ++n === 25) kill();
      },
    });
    expect(first.signal ?? first.code).toBeTruthy();
    expect(ofType(first.events, 'done')).toEqual([]);
    const doneFirst = new Set(ofType(first.events, 'file-done').map((e) => e.input));
    expect(doneFirst.size).toBeGreaterThanOrEqual(25);
    expect(doneFirst.size).toBeLessThan(80);

    // Run 2: resume from the journal.
    const second = await runCli(['resume', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    const doneSecond = ofType(second.events, 'file-done').map((e) => e.input);
    const before2 = ofType(second.events, 'file-skipped').filter((e) => e.code === 'done-before').map((e) => e.input);
    // nothing converted twice: what run 1 finished is not redone, and run 2 converts each file once
    for (const i of doneSecond) expect(doneFirst.has(i), i).toBe(false);
    expect(new Set(doneSecond).size).toBe(doneSecond.length);
    expect(new Set([...before2, ...doneSecond]).size).toBe(80);
    const totals = ofType(second.events, 'done')[0]!.totals;
    expect(totals.done).toBe(80);

    // The journal agrees: one commit per input across both runs.
    const commits = readFileSync(join(out, '.photopool-journal.ndjson'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { t: string; i?: string })
      .filter((r) => r.t === 'commit')
      .map((r) => r.i);
    expect(commits).toHaveLength(80);
    expect(new Set(commits).size).toBe(80);

    const outputs = listFiles(out).filter((f) => f.endsWith('.jpg'));
    expect(outputs).toHaveLength(80);
    expect(tmpFiles(out)).toEqual([]);
    for (const f of outputs) {
      const m = await sharp(join(out, f)).metadata();
      expect(m.channels).toBe(1);
    }
    expect(hashTree(input)).toEqual(before);
  });

  it('resume of a folder without a journal is a clear fatal error', async () => {
    const r = await runCli(['resume', tempDir('nojournal')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/No batch to resume in .*\.photopool-journal\.ndjson/);
  });
});
