/**
 * The 52 hostile inputs of ../shared/bad (issue 6): every outcome matches docs/bad-inputs.md,
 * as root and as an unprivileged user; the batch finishes, nothing partial, corpus untouched.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { BIN, hashTree, letNobodyIn, listFiles, ROOT, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const MAKE_BAD = resolve(ROOT, '../shared/bad/make-bad.sh');

/** Rows of docs/bad-inputs.md: entry -> { root, nobody }. */
function expectedTable(): Map<string, { root: string; nobody: string }> {
  const rows = new Map<string, { root: string; nobody: string }>();
  for (const line of readFileSync(join(ROOT, 'docs/bad-inputs.md'), 'utf8').split('\n')) {
    const m = /^\| `(.+)` \| ([^|]+) \| ([^|]+) \|/.exec(line);
    if (m) rows.set(JSON.parse(`"${m[1]}"`) as string, { root: m[2]!.trim(), nobody: m[3]!.trim() });
  }
  return rows;
}

function outcomes(events: EngineEvent[], corpus: string): Map<string, string> {
  const out = new Map<string, string>();
  const rel = (p: string) => p.slice(corpus.length + 1);
  for (const e of events) {
    if (e.type === 'file-done') out.set(rel(e.input), 'converted');
    else if (e.type === 'file-failed') out.set(rel(e.input), `failed ${e.code}`);
    else if (e.type === 'file-skipped') out.set(rel(e.input), `skipped ${e.code}`);
    else if (e.type === 'folder-error') out.set(rel(e.path), `folder-error ${e.code}`);
  }
  return out;
}

describe.skipIf(!existsSync(MAKE_BAD))('bad-input corpus (needs ../shared/bad/make-bad.sh)', () => {
  let base: string;
  let corpus: string;
  let before: Record<string, string>;
  const table = expectedTable();

  let undo = () => {};
  afterAll(() => undo());
  beforeAll(() => {
    undo = letNobodyIn();
    base = tempDir('bad');
    chmodSync(base, 0o755);
    corpus = join(base, 'corpus');
    mkdirSync(corpus);
    execFileSync('bash', [MAKE_BAD, corpus], { stdio: 'pipe' });
    // The SVG that references ../outside-input/basn3p08.png: give it a real PNG to (not) pull in.
    mkdirSync(join(base, 'outside-input'));
    execFileSync(process.execPath, ['-e', `require('sharp')(${JSON.stringify(join(SAMPLES, 'coffee.jpg'))}).png().toFile(${JSON.stringify(join(base, 'outside-input/basn3p08.png'))})`], { cwd: ROOT });
    before = hashTree(corpus);
  });

  for (const user of ['root', 'nobody'] as const) {
    it(`every entry behaves as documented, as ${user}`, async () => {
      const out = mkdtempSync(join(base, `out-${user}-`)); // a fresh folder if the test is retried
      chmodSync(out, 0o777);
      let events: EngineEvent[];
      let code: number | null;
      if (user === 'root') {
        const r = await runCli(['convert', corpus, '-o', out, '--resize', '256x256', '--json']);
        events = r.events;
        code = r.code;
      } else {
        const setpriv = spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, 'convert', corpus, '-o', out, '--resize', '256x256', '--json'], {
          encoding: 'utf8',
          timeout: 120_000,
        });
        expect(setpriv.stderr, 'the project and the corpus must be readable by "nobody"').not.toMatch(/EACCES|Cannot find module|not built/);
        events = setpriv.stdout.trim().split('\n').map((l) => JSON.parse(l) as EngineEvent);
        code = setpriv.status;
      }
      expect(code).toBe(3); // finished, some files failed
      expect(events.at(-1)?.type).toBe('done');

      const got = outcomes(events, corpus);
      const want = new Map([...table].filter(([, v]) => v[user] !== 'not reached').map(([k, v]) => [k, v[user]]));
      expect(Object.fromEntries([...got].sort())).toEqual(Object.fromEntries([...want].sort()));

      // Outputs: exactly one per converted entry, each decodes; nothing partial; corpus untouched.
      const outputs = listFiles(out).filter((f) => !f.startsWith('.photopool-journal'));
      expect(outputs).toHaveLength([...want.values()].filter((v) => v === 'converted').length);
      for (const f of outputs) await expect(sharp(join(out, f)).stats(), f).resolves.toBeTruthy();
      expect(tmpFiles(out)).toEqual([]);
      expect(hashTree(corpus)).toEqual(before);
      expect(readdirSync(ROOT).concat(readdirSync(corpus), readdirSync(out))).not.toContain('PWNED');

      // The SVG pointing outside the input renders plain magenta: the outside PNG was not read.
      const svg = await sharp(join(out, 'svg-external-image-outside-input.png')).stats();
      expect(svg.channels.slice(0, 3).map((c) => Math.round(c.mean))).toEqual([255, 0, 255]);
      expect(svg.channels.slice(0, 3).map((c) => Math.round(c.stdev))).toEqual([0, 0, 0]);
    });
  }
});
