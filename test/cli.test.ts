/** CLI boundary: bad options name the flag, exit codes, collision policies, output != input. */
import { cpSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashTree, listFiles, ofType, runCli, SAMPLES, tempDir } from './helpers.js';

const one = join(SAMPLES, 'chelsea.jpg');

describe('CLI options and exit codes', () => {
  it.each([
    [['--quality', '101'], '--quality: expected a number <= 100, received 101'],
    [['--quality', 'high'], '--quality: expected number, received "high"'],
    [['--resize', '10by20'], '--resize: expected WIDTHxHEIGHT, WIDTH or xHEIGHT in pixels (e.g. 1024x1024), received "10by20"'],
    [['--workers', '0'], '--workers: expected a number >= 1, received 0'],
    [['--template', '{dir}/x.{ext}'], '--template: expected must contain {name}'],
  ])('rejects %j with the flag, what was expected and what arrived (exit 2)', async (flags, message) => {
    const out = tempDir('bad');
    const r = await runCli(['convert', one, '-o', out, ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(listFiles(out)).toEqual([]);
  });

  it('rejects an unknown --format choice (exit 2)', async () => {
    const r = await runCli(['convert', one, '-o', tempDir('x'), '--format', 'bmp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are jpeg, png, webp, avif, tiff, same/);
  });

  it('--help shows examples and exits 0', async () => {
    const r = await runCli(['convert', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples:\n\s+photopool convert/);
  });

  it('exits 3 when some files fail, 0 when all convert', async () => {
    const input = tempDir('mixed');
    cpSync(one, join(input, 'good.jpg'));
    writeFileSync(join(input, 'bad.jpg'), readFileSync(one).subarray(0, 4000)); // truncated
    const r = await runCli(['convert', input, '-o', tempDir('o'), '--json']);
    expect(r.code).toBe(3);
    const failed = ofType(r.events, 'file-failed');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ input: join(input, 'bad.jpg'), code: 'truncated', reason: expect.stringMatching(/truncated/), hint: expect.stringMatching(/copy it again/) });
  });

  it('refuses an output folder that contains an input, touching nothing', async () => {
    const parent = tempDir('nest');
    const input = join(parent, 'photos');
    cpSync(SAMPLES, input, { recursive: true });
    const before = hashTree(parent);
    const r = await runCli(['convert', input, '-o', parent]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/output: expected a folder that is not an input and does not contain one/);
    expect(hashTree(parent)).toEqual(before);
  });

  it('an output folder inside the input is left out of the scan', async () => {
    const input = tempDir('inner');
    cpSync(one, join(input, 'a.jpg'));
    const out = join(input, 'converted');
    const first = await runCli(['convert', input, '-o', out, '--json']);
    const second = await runCli(['convert', input, '-o', out, '--json', '--collision', 'rename']);
    expect(first.code).toBe(0);
    expect(second.code).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['a-1.jpg', 'a.jpg']);
  });
});

describe('collision policies', () => {
  async function twice(policy: string) {
    const input = tempDir('coll-in');
    cpSync(one, join(input, 'cat.jpg'));
    const out = tempDir('coll-out');
    mkdirSync(join(out), { recursive: true });
    writeFileSync(join(out, 'cat.jpg'), 'an existing output');
    const r = await runCli(['convert', input, '-o', out, '--collision', policy, '--json']);
    return { r, out, input };
  }

  it('skip keeps the existing output', async () => {
    const { r, out } = await twice('skip');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'cat.jpg'), 'utf8')).toBe('an existing output');
    expect(ofType(r.events, 'file-skipped').map((e) => e.code)).toEqual(['output-exists']);
    const last = ofType(r.events, 'progress').at(-1)!;
    expect(last.done + last.failed).toBe(last.total); // a skipped output is not work left: 100%
  });

  it('overwrite-output replaces the output atomically', async () => {
    const { r, out } = await twice('overwrite-output');
    expect(r.code).toBe(0);
    expect(statSync(join(out, 'cat.jpg')).size).toBeGreaterThan(1000);
    expect(readFileSync(join(out, 'cat.jpg')).subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
  });

  it('rename writes name-1', async () => {
    const { r, out } = await twice('rename');
    expect(r.code).toBe(0);
    expect(readFileSync(join(out, 'cat.jpg'), 'utf8')).toBe('an existing output');
    expect(ofType(r.events, 'file-done')[0]!.output).toBe(join(out, 'cat-1.jpg'));
  });

  it('two inputs that map to one output never overwrite each other', async () => {
    const input = tempDir('same-name');
    cpSync(one, join(input, 'x.jpg'));
    cpSync(join(SAMPLES, 'nested/deeper/rocket.png'), join(input, 'x.png'));
    const out = tempDir('same-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--collision', 'overwrite-output', '--json']);
    expect(r.code).toBe(0);
    // the in-batch clash rule (engine/naming.ts): the JPEG keeps x.jpg, the PNG becomes x.png.jpg
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['x.jpg', 'x.png.jpg']);
  });
});
