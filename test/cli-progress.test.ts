/**
 * The terminal's progress line: the pre-counted total from the start (not the scan's running
 * count), never more than done/total, "counting…" while the total is unknown, ETA only with a
 * rate and a total, a line per pool change, singular/plural. `-q` prints one line; `-v` lists
 * skipped files with their reason; NO_COLOR and pipes get no colour.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProgressSnapshot } from '../common/events.js';
import { progressLine, shownTotal } from '../app/cli/progress.js';
import { linkFarm, runCli, SAMPLES, tempDir } from './helpers.js';
import { runOnTty } from './cli-helpers.js';

const snap = (p: Partial<ProgressSnapshot>): ProgressSnapshot => ({
  total: 0, done: 0, failed: 0, skipped: 0, running: 0, scanning: true, imagesPerSec: 0, mpPerSec: 0, etaSeconds: null, elapsedMs: 0, workers: 1, state: 'scanning', ...p,
});

describe('progress line (pure)', () => {
  it('says "counting…" until the pre-count is done, then shows its total', () => {
    const p = snap({ total: 59, done: 57, imagesPerSec: 20 });
    expect(shownTotal({ progress: p, outputExists: 0 })).toBeNull();
    const counting = progressLine({ progress: p, precount: { images: 120, done: false }, outputExists: 0 });
    expect(counting).toMatch(/^ counting… 57 done, 120 found so far \|/);
    expect(counting).not.toMatch(/ETA|%/); // no ETA and no percentage without a total
    const known = progressLine({ progress: p, precount: { images: 200, done: true }, outputExists: 0 });
    expect(known).toContain(' 28% | 57/200 |');
    expect(known).toContain('ETA 7s'); // (200 - 57) / 20 img/s
    expect(known).toMatch(/\| 1 worker$/);
  });

  it('never claims more than done/total, and the engine total wins once the scan is over', () => {
    // the pre-count found fewer than the scan did (e.g. images without an image extension)
    expect(shownTotal({ progress: snap({ total: 80 }), precount: { images: 50, done: true }, outputExists: 0 })).toBe(80);
    // outputs skipped because they exist are not work left
    expect(shownTotal({ progress: snap({ total: 10 }), precount: { images: 50, done: true }, outputExists: 30 })).toBe(20);
    expect(shownTotal({ progress: snap({ total: 42, scanning: false }), precount: { images: 50, done: true }, outputExists: 0 })).toBe(42);
    const line = progressLine({ progress: snap({ total: 3, done: 2, failed: 1, scanning: false, workers: 2, imagesPerSec: 0 }), outputExists: 0 });
    expect(line).toContain(' 100% | 3/3 |');
    expect(line).not.toContain('ETA'); // no rate: no ETA
    expect(line).toMatch(/\| 2 workers$/);
    const odd = progressLine({ progress: snap({ total: 3, done: 1, scanning: false }), outputExists: 0 });
    expect(odd).toContain(' 33% | 1/3 |'); // floor, never rounded up
    const exact = progressLine({ progress: snap({ total: 200, done: 58, scanning: false }), outputExists: 0 });
    expect(exact).toContain(' 29% | 58/200 |'); // not 28: no floating-point error
  });
});

describe('progress on a terminal', () => {
  it('shows the pre-counted total of a 200-file batch within its first second, and never another total', async () => {
    const input = linkFarm(SAMPLES, 200, 'tty200');
    const out = tempDir('tty-out');
    const r = await runOnTty(['convert', input, '-o', out, '--gray', '--resize', '96x96', '--format', 'jpeg', '--workers', '1'], { NO_COLOR: '1' });
    expect(r.code, r.text).toBe(0);
    const start = r.chunks.find((c) => c.text.includes('PhotoPool: converting'));
    const first = r.chunks.find((c) => /\d+\/200 \|/.test(c.text));
    expect(start, r.text).toBeDefined();
    expect(first, r.text).toBeDefined();
    expect(first!.ms - start!.ms, `batch-start at ${Math.round(start!.ms)} ms, total at ${Math.round(first!.ms)} ms`).toBeLessThan(1000);
    expect(r.text).toContain('with 1 worker on');
    expect(r.text).not.toMatch(/\b1 workers\b/);
    // every frame: total 200, percentage = floor(100 * value / 200)
    const frames = [...r.text.matchAll(/ (\d+)% \| (\d+)\/(\d+) \|/g)];
    expect(frames.length).toBeGreaterThan(0);
    for (const [, pct, value, total] of frames) {
      expect(Number(total), `a frame with ${value}/${total}`).toBe(200);
      expect(Number(pct)).toBe(Math.floor((100 * Number(value)) / 200));
    }
    expect(r.text).toMatch(/Done: 200 ok, 0 failed/);
    expect(r.text).not.toContain('\x1b[32m'); // NO_COLOR: no colour
  });

  it('colours the summary on a terminal without NO_COLOR, and not in a pipe', async () => {
    const tty = await runOnTty(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', tempDir('col'), '-q'], { NO_COLOR: undefined, FORCE_COLOR: undefined, NODE_DISABLE_COLORS: undefined, CI: undefined, TERM: 'xterm-256color' }); // Node reports no colours under an unknown CI
    expect(tty.text).toContain('\x1b[32mDone\x1b[0m');
    const pipe = await runCli(['convert', join(SAMPLES, 'chelsea.jpg'), '-o', tempDir('nocol')]);
    expect(pipe.stdout).toMatch(/^Done: 1 ok/m);
    expect(pipe.stdout + pipe.stderr).not.toContain('\x1b[');
  });
});

describe('the pre-count', () => {
  it('runs only for a progress line, and only once the first file started (off the start-up)', async () => {
    const input = linkFarm(SAMPLES, 6, 'precount');
    const trace = { PHOTOPOOL_TRACE_STARTUP: '1', NO_COLOR: '1' };
    const tty = await runOnTty(['convert', input, '-o', tempDir('pc-tty'), '--resize', '64x64', '--workers', '1'], trace);
    expect(tty.code, tty.text).toBe(0);
    const at = (what: string) => Number(new RegExp(`startup\\s+([\\d.]+) ms {2}cli: ${what}`).exec(tty.text)?.[1] ?? NaN);
    expect(at('pre-count started'), tty.text).toBeGreaterThanOrEqual(at('first file started'));
    expect(tty.text).toMatch(/Done: 6 ok/);
    for (const args of [[], ['-q'], ['--json']]) {
      const piped = await runCli(['convert', input, '-o', tempDir('pc-pipe'), '--resize', '64x64', '--workers', '1', ...args], { env: trace });
      expect(piped.code, piped.stderr).toBe(0);
      expect(piped.stderr).toContain('cli: first file started');
      expect(piped.stderr, args.join(' ')).not.toContain('pre-count started');
    }
  });
});

describe('-q and -v', () => {
  it('-q prints one line on success', async () => {
    const r = await runCli(['convert', SAMPLES, '-o', tempDir('quiet'), '--gray', '--resize', '64x64', '-q']);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/^Done: 6 ok, 0 failed, 1 skipped in /); // assets/samples/README.md is skipped
  });

  it('-q keeps the errors; -v lists every skipped file with its reason', async () => {
    const input = tempDir('verbose');
    writeFileSync(join(input, 'notes.txt'), 'not a photo');
    writeFileSync(join(input, 'broken.jpg'), 'not a jpeg either');
    const quiet = await runCli(['convert', input, SAMPLES, '-o', tempDir('vq'), '--resize', '64x64', '-q']);
    expect(quiet.code).toBe(3);
    expect(quiet.stdout).toContain(`${join(input, 'broken.jpg')}: not an image`);
    expect(quiet.stdout.trimEnd().split('\n').at(-1)).toMatch(/^Done: 6 ok, 1 failed, 2 skipped/);
    const verbose = await runCli(['convert', input, '-o', tempDir('vv'), '-v']);
    expect(verbose.stderr).toContain(`skipped ${join(input, 'notes.txt')}: not an image`);
  });

  it('-q 75 (the old short form of --quality) is refused with what to write instead', async () => {
    const r = await runCli(['convert', SAMPLES, '-o', tempDir('q75'), '-q', '75']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('-q: expected --quiet (no value); for the quality write -Q 75 or --quality 75, received -q 75');
  });
});
