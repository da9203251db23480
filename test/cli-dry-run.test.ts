/**
 * `--dry-run`: scan and plan only. Every input is listed with its planned output, or why it
 * would be skipped or refused, then the totals; nothing is written (not even the output folder
 * or a probe file); `--json` gives the same as NDJSON.
 */
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldsCaseReadOnly } from '../engine/dry-run.js';
import { hashTree, ofType, runCli, SAMPLES, tempDir } from './helpers.js';

function inputTree(): string {
  const dir = tempDir('dry-in');
  mkdirSync(join(dir, 'trip'));
  cpSync(join(SAMPLES, 'chelsea.jpg'), join(dir, 'cat.jpg'));
  cpSync(join(SAMPLES, 'coffee.jpg'), join(dir, 'trip/coffee.jpg'));
  cpSync(join(SAMPLES, 'nested/deeper/rocket.png'), join(dir, 'trip/rocket.png'));
  writeFileSync(join(dir, 'notes.txt'), 'not a photo');
  writeFileSync(join(dir, 'broken.jpg'), 'not a jpeg');
  return dir;
}

describe('--dry-run', () => {
  it('lists every planned output and writes nothing, not even the output folder', async () => {
    const input = inputTree();
    const before = hashTree(input);
    const out = join(tempDir('dry-parent'), 'out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'webp', '--dry-run']);
    expect(r.code, r.stderr).toBe(3); // broken.jpg would be refused
    expect(existsSync(out)).toBe(false);
    expect(hashTree(input)).toEqual(before);
    const lines = r.stdout.trimEnd().split('\n');
    for (const [from, to] of [['cat.jpg', 'cat.webp'], ['trip/coffee.jpg', 'trip/coffee.webp'], ['trip/rocket.png', 'trip/rocket.webp']] as const) {
      expect(lines).toContain(`${join(input, from)} -> ${join(out, to)}`);
    }
    expect(lines).toContain(`${join(input, 'notes.txt')}: would be skipped: not an image`);
    expect(lines.find((l) => l.startsWith(`${join(input, 'broken.jpg')}: refused: not an image`))).toBeDefined();
    expect(lines.at(-1)).toBe('Dry run: would convert 3 files, skip 1, refuse 1. Nothing was written.');
  });

  it('--json gives NDJSON; existing outputs are skipped or replaced per policy, and the output folder is untouched', async () => {
    const input = inputTree();
    const out = tempDir('dry-out');
    writeFileSync(join(out, 'cat.jpg'), 'an existing output');
    const before = hashTree(out);
    const skip = await runCli(['convert', input, '-o', out, '--dry-run', '--json']);
    expect(hashTree(out)).toEqual(before); // no journal, no probe file, nothing
    expect(ofType(skip.events, 'plan-file').map((e) => e.output).sort()).toEqual([join(out, 'trip/coffee.jpg'), join(out, 'trip/rocket.png')]);
    expect(ofType(skip.events, 'file-skipped').map((e) => [e.input, e.code])).toContainEqual([join(input, 'cat.jpg'), 'output-exists']);
    const done = ofType(skip.events, 'plan-done')[0]!;
    expect(done.totals).toEqual({ planned: 2, renamed: 0, overwrites: 0, skipped: 2, failed: 1 });

    const over = await runCli(['convert', input, '-o', out, '--dry-run', '--json', '--collision', 'overwrite-output']);
    expect(ofType(over.events, 'plan-file').find((e) => e.input === join(input, 'cat.jpg'))).toEqual({ type: 'plan-file', input: join(input, 'cat.jpg'), output: join(out, 'cat.jpg'), overwrites: true });
    const renamed = await runCli(['convert', input, '-o', out, '--dry-run', '--collision', 'rename']);
    expect(renamed.stdout).toContain(`${join(input, 'cat.jpg')} -> ${join(out, 'cat-1.jpg')}  (renamed: a file of that name existed before the batch`);
    expect(renamed.stdout).toMatch(/would convert 3 files \(1 renamed\)/);
    expect(hashTree(out)).toEqual(before);
  });

  it('lists the name clashes the plan resolved', async () => {
    const input = tempDir('dry-clash');
    cpSync(join(SAMPLES, 'chelsea.jpg'), join(input, 'photo.jpg'));
    cpSync(join(SAMPLES, 'nested/deeper/rocket.png'), join(input, 'photo.png'));
    const out = join(tempDir('dry-clash-out'), 'o');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`${join(input, 'photo.jpg')} -> ${join(out, 'photo.jpg')}\n`);
    expect(r.stdout).toContain(`${join(input, 'photo.png')} -> ${join(out, 'photo.png.jpg')}  (renamed: photo.jpg and photo.png would `);
    expect(r.stdout).toContain('would convert 2 files (1 renamed)');
    expect(existsSync(out)).toBe(false);
  });

  it('-q keeps the refusals and the totals line', async () => {
    const r = await runCli(['convert', inputTree(), '-o', join(tempDir('dq'), 'o'), '--dry-run', '-q']);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/broken\.jpg: refused: not an image/);
  });

  it('tells a case-folding output file system without writing a probe', () => {
    const dir = tempDir('fold');
    mkdirSync(join(dir, 'Out'));
    expect(foldsCaseReadOnly(join(dir, 'Out', 'new', 'deeper'))).toBe(false); // ext4/tmpfs: case-sensitive
  });
});
