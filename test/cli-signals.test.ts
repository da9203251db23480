/**
 * Ctrl-C as a terminal sends it (SIGINT to the CLI's whole process group): the engine is in a
 * group of its own, so only the CLI gets it and cancels cleanly: exit 130, the resume command
 * printed, no temporary file, and resume finishes with every output exactly once. A second
 * Ctrl-C kills at once; SIGTERM is a first Ctrl-C; an engine whose CLI is killed -9 ends too.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HAVE_SHARED, linkFarm, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles } from './helpers.js';
import { alive, enginePid, outputsIn, startInGroup, until } from './cli-helpers.js';

const JOB = ['--gray', '--resize', '640x640', '--format', 'jpeg', '--workers', '2'];

/** Resume `out` and check that it ends with `count` outputs, each input committed exactly once. */
async function resumeToTheEnd(out: string, count: number) {
  const r = await runCli(['resume', out, '--json']);
  expect(r.code, r.stderr).toBe(0);
  expect(ofType(r.events, 'done')[0]!.totals.done).toBe(count);
  const commits = readFileSync(join(out, '.photopool-journal.ndjson'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { t: string; i?: string })
    .filter((rec) => rec.t === 'commit')
    .map((rec) => rec.i);
  expect(commits).toHaveLength(count);
  expect(new Set(commits).size).toBe(count);
  expect(outputsIn(out)).toHaveLength(count);
  expect(tmpFiles(out)).toEqual([]);
}

describe('Ctrl-C', () => {
  const input = linkFarm(HAVE_SHARED ? SHARED_PHOTOS : SAMPLES, 120, 'sigint');

  it('SIGINT to the whole process group mid-batch: exit 130, resume command, no temp file; resume finishes', async () => {
    const out = join(tempDir('sigint-out'), 'out');
    const run = startInGroup(['convert', input, '-o', out, ...JOB]);
    const engine = await enginePid(run.child.pid!);
    await until(() => outputsIn(out).length >= 5, 60_000, 'five outputs');
    run.signalGroup('SIGINT');
    const { code } = await run.ended;
    expect(code, run.out.stderr).toBe(130);
    expect(run.out.stdout).toMatch(/^Cancelled: \d+ ok/m);
    expect(run.out.stdout).toContain(`To continue: photopool resume ${out}\n`);
    expect(run.out.stderr).toContain('Cancelling');
    expect(run.out.stderr).not.toContain('ended unexpectedly'); // the engine did not get the SIGINT
    expect(tmpFiles(out)).toEqual([]);
    await until(() => !alive(engine), 10_000, 'the engine to exit');
    expect(outputsIn(out).length).toBeLessThan(120);
    await resumeToTheEnd(out, 120);
  });

  it('a second Ctrl-C kills at once; nothing partial has its final name, and resume finishes', async () => {
    // two signals sent at once arrive as one, so the second comes 20 ms after the first; a quiet
    // machine can finish the first cancel before that (the group is gone: ESRCH), then the
    // batch is started again, 5 times at most, until a second Ctrl-C finds it still stopping
    let out = '';
    let run!: ReturnType<typeof startInGroup>;
    let engine = 0;
    let t0 = 0;
    for (let attempt = 0; !t0; attempt++) {
      expect(attempt, 'a second Ctrl-C reached the CLI in 5 attempts').toBeLessThan(5);
      out = tempDir('sigint2-out');
      run = startInGroup(['convert', input, '-o', out, ...JOB]);
      engine = await enginePid(run.child.pid!);
      await until(() => outputsIn(out).length >= 5, 60_000, 'five outputs');
      run.signalGroup('SIGINT');
      await new Promise((r) => setTimeout(r, 20));
      try {
        run.signalGroup('SIGINT');
        t0 = Date.now();
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
        await run.ended;
      }
    }
    const { code } = await run.ended;
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(code).toBe(130);
    expect(run.out.stderr).toContain(`Killed. Finished outputs are complete; unfinished ones were never given their names. To continue: photopool resume ${out}`);
    await until(() => !alive(engine), 5000, 'the engine to die');
    await resumeToTheEnd(out, 120);
  });

  it('SIGTERM to the CLI alone behaves as a first Ctrl-C', async () => {
    const out = tempDir('sigterm-out');
    const run = startInGroup(['convert', input, '-o', out, ...JOB]);
    await until(() => outputsIn(out).length >= 3, 60_000, 'three outputs');
    run.child.kill('SIGTERM');
    const { code } = await run.ended;
    expect(code).toBe(130);
    expect(run.out.stdout).toContain(`To continue: photopool resume ${out}`);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('the engine (its own process group) still ends when the CLI is killed -9, leaving no temp file', async () => {
    const out = tempDir('kill9-out');
    const run = startInGroup(['convert', input, '-o', out, ...JOB]);
    const engine = await enginePid(run.child.pid!);
    await until(() => outputsIn(out).length >= 3, 60_000, 'three outputs');
    run.child.kill('SIGKILL');
    await run.ended;
    await until(() => !alive(engine), 15_000, 'the orphaned engine to exit');
    expect(tmpFiles(out)).toEqual([]);
    await resumeToTheEnd(out, 120);
  });

  it('bench: Ctrl-C to the group stops the benchmark (exit 130), its engine and scratch folder go', async () => {
    const scratch = () => new Set(readdirSync(tmpdir()).filter((f) => f.startsWith('photopool-bench-')));
    const before = scratch();
    const run = startInGroup(['bench', SAMPLES, '--workers', '1', '--repeat', '50', '--resize', '200x200', '--models', 'threads,processes']); // runs past the signal: with the pool kept between runs, 20 threads runs of the samples end in ~1 s
    const engine = await enginePid(run.child.pid!);
    await new Promise((r) => setTimeout(r, 1500));
    run.signalGroup('SIGINT');
    const { code } = await run.ended;
    expect(code, run.out.stderr).toBe(130);
    expect(run.out.stderr).toContain('benchmark interrupted');
    await until(() => !alive(engine), 10_000, 'the bench engine to exit');
    expect([...scratch()].filter((f) => !before.has(f))).toEqual([]);
  });
});
