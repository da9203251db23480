/**
 * Issue 18: inputs of one batch whose outputs would share a path each get their own output by
 * one rule (engine/naming.ts); the collision policy keeps its meaning for outputs that existed
 * before the batch; the names survive a kill -9 and resume.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { parseOrThrow } from '../common/validate.js';
import { foldName, probeCaseFolding } from '../engine/case-fold.js';
import { clashesIn } from '../engine/naming.js';
import { outputFormat, Planner } from '../engine/plan.js';
import { PathSet } from '../engine/string-set.js';
import { listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const toJpeg = () => 'jpeg' as const;

/** A small real image of each kind, written with sharp. */
async function writeImage(path: string, kind: 'jpeg' | 'png' | 'gif' | 'webp', size = 96, hue = 0): Promise<void> {
  const img = sharp({ create: { width: size, height: Math.round(size * 0.75), channels: 3, background: { r: hue, g: 120, b: 200 } } });
  await img[kind]().toFile(path);
}

describe('the clash rule (one folder listing in, names out)', () => {
  it('gives every member of a group its whole file name unless one member is already in the output format', () => {
    const three = clashesIn(['photo.gif', 'photo.webp', 'photo.png', 'other.png'], toJpeg, '{dir}/{name}.{ext}', false);
    expect([...three.keys()].sort()).toEqual(['photo.gif', 'photo.png', 'photo.webp']);
    expect(three.get('photo.gif')!.name).toBe('photo.gif');
    expect(three.get('photo.png')!.name).toBe('photo.png');
    expect(three.get('photo.webp')!.reason).toBe('photo.gif, photo.png and photo.webp would all be photo.jpg');

    const keeper = clashesIn(['cut.png', 'cut.jpeg'], toJpeg, '{dir}/{name}.{ext}', false);
    expect(keeper.get('cut.jpeg')!.name).toBe('cut'); // already a JPEG: keeps cut.jpg
    expect(keeper.get('cut.png')!.name).toBe('cut.png'); // -> cut.png.jpg
  });

  it('folds case only where the output file system does', () => {
    const files = ['Photo.png', 'photo.jpg'];
    expect(clashesIn(files, toJpeg, '{dir}/{name}.{ext}', false).size).toBe(0);
    const folded = clashesIn(files, toJpeg, '{dir}/{name}.{ext}', true);
    expect(folded.get('photo.jpg')!.name).toBe('photo');
    expect(folded.get('Photo.png')!.name).toBe('Photo.png');
    expect(folded.get('Photo.png')!.reason).toMatch(/ignores case/);
    expect(foldName('CAFE\u0301.JPG')).toBe('caf\u00e9.jpg');
  });

  it('predicts per-extension formats with --format same: photo.png and photo.gif clash, photo.webp does not', () => {
    const same = clashesIn(['photo.png', 'photo.gif', 'photo.webp'], (f) => outputFormat('same', f ?? 'png'), '{name}.{ext}', false);
    expect([...same.keys()].sort()).toEqual(['photo.gif', 'photo.png']);
    expect(same.get('photo.png')!.name).toBe('photo'); // a PNG written as PNG keeps its name
    expect(same.get('photo.gif')!.name).toBe('photo.gif');
  });

  it('the probe answers for the real output folder and can be overridden for tests', () => {
    const dir = tempDir('probe');
    expect(probeCaseFolding(dir, {})).toBe(false); // tmpfs/ext4 here are case-sensitive
    expect(probeCaseFolding(dir, { PHOTOPOOL_CASE_FOLDING: 'on' })).toBe(true);
    expect(listFiles(dir)).toEqual([]); // the probe file is gone
  });
});

describe('the planner', () => {
  it('decides from the listing, whatever order the scan yields the files in', async () => {
    const input = tempDir('plan-in');
    for (const f of ['photo.gif', 'photo.webp', 'photo.png', 'photo.jpg']) writeFileSync(join(input, f), 'x');
    const names = async (order: string[]) => {
      const spec = parseOrThrow(JobSpecSchema, { inputs: [input], output: tempDir('plan-out'), format: 'jpeg' });
      const p = new Planner(spec);
      const out: Record<string, string> = {};
      for (const f of order) out[f] = (await p.plan({ path: join(input, f), relDir: '', root: 0, format: 'png' }))!.output.slice(spec.output.length + 1);
      return out;
    };
    const a = await names(['photo.gif', 'photo.webp', 'photo.png', 'photo.jpg']);
    expect(a).toEqual({ 'photo.jpg': 'photo.jpg', 'photo.gif': 'photo.gif.jpg', 'photo.png': 'photo.png.jpg', 'photo.webp': 'photo.webp.jpg' });
    expect(await names(['photo.jpg', 'photo.png', 'photo.webp', 'photo.gif'])).toEqual(a);
  });

  it('numbers what the listing cannot foresee, and keeps names recorded by an earlier run', async () => {
    const input = tempDir('plan-in');
    mkdirSync(join(input, 'a'));
    mkdirSync(join(input, 'b'));
    const spec = parseOrThrow(JobSpecSchema, { inputs: [input], output: tempDir('plan-out'), format: 'jpeg', naming: { template: '{name}.{ext}' } });
    const item = (d: string) => ({ path: join(input, d, 'x.jpg'), relDir: d, root: 0, format: 'jpeg' as const });
    const p = new Planner(spec);
    expect((await p.plan(item('a')))!.output).toBe(join(spec.output, 'x.jpg'));
    const second = (await p.plan(item('b')))!;
    expect(second.output).toBe(join(spec.output, 'x-1.jpg'));
    expect(second.renamed).toEqual({ from: join(spec.output, 'x.jpg'), reason: 'another input of this batch has that output name' });

    // Resume: b was started as x-1.jpg; a was done as x.jpg. The names stay, whatever the order.
    const outputs = new PathSet(spec.output);
    outputs.add(join(spec.output, 'x.jpg'));
    const earlier = { planned: new Map([[item('b').path, join(spec.output, 'x-1.jpg')]]), outputs };
    const r = new Planner(spec, { earlier });
    expect((await r.plan(item('b')))!.output).toBe(join(spec.output, 'x-1.jpg'));
    mkdirSync(join(input, 'c'));
    expect((await r.plan(item('c')))!.output).toBe(join(spec.output, 'x-2.jpg')); // x.jpg written, x-1.jpg planned: both taken
  });

  it('case folding: Photo.png and photo.jpg clash only when the output folder folds case', async () => {
    const input = tempDir('plan-in');
    for (const f of ['Photo.png', 'photo.jpg']) writeFileSync(join(input, f), 'x');
    const spec = parseOrThrow(JobSpecSchema, { inputs: [input], output: tempDir('plan-out'), format: 'jpeg' });
    const plan = async (foldsCase: boolean) => {
      const p = new Planner(spec, { foldsCase });
      const a = (await p.plan({ path: join(input, 'Photo.png'), relDir: '', root: 0, format: 'png' }))!;
      const b = (await p.plan({ path: join(input, 'photo.jpg'), relDir: '', root: 0, format: 'jpeg' }))!;
      return [a.output, b.output].map((o) => o.slice(spec.output.length + 1));
    };
    expect(await plan(false)).toEqual(['Photo.jpg', 'photo.jpg']);
    expect(await plan(true)).toEqual(['Photo.png.jpg', 'photo.jpg']);
  });
});

describe('photopool convert with same-stem inputs', () => {
  it('photo.gif + photo.webp + photo.png give three outputs, each renamed with its reason; a second run skips them as existing', async () => {
    const input = tempDir('clash-in');
    await writeImage(join(input, 'photo.gif'), 'gif', 64, 10);
    await writeImage(join(input, 'photo.webp'), 'webp', 80, 120);
    await writeImage(join(input, 'photo.png'), 'png', 96, 240);
    const out = tempDir('clash-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['photo.gif.jpg', 'photo.png.jpg', 'photo.webp.jpg']);
    const done = ofType(r.events, 'file-done');
    expect(done).toHaveLength(3);
    for (const e of done) {
      expect(e.output).toBe(join(out, e.input.slice(input.length + 1) + '.jpg'));
      expect(e.renamed).toEqual({ from: join(out, 'photo.jpg'), reason: 'photo.gif, photo.png and photo.webp would all be photo.jpg' });
      // each output is its own input (sizes differ per input)
      expect((await sharp(e.output).metadata()).width).toBe(e.width);
    }
    expect(ofType(r.events, 'file-skipped')).toEqual([]);

    // Outputs that existed before the batch: the collision policy (skip by default) applies.
    const again = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(ofType(again.events, 'file-skipped').map((e) => e.code)).toEqual(['output-exists', 'output-exists', 'output-exists']);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toHaveLength(3);

    // The human summary says which outputs were renamed and why.
    const human = await runCli(['convert', input, '-o', tempDir('clash-out'), '--format', 'jpeg']);
    expect(human.stdout).toMatch(/Renamed \(3\)/);
    expect(human.stdout).toContain('photo.gif.jpg');
  });

  it('cut.png beside a truncated cut.jpg converts while cut.jpg fails as truncated', async () => {
    const input = tempDir('cut-in');
    const jpeg = readFileSync(join(SAMPLES, 'coffee.jpg'));
    writeFileSync(join(input, 'cut.jpg'), jpeg.subarray(0, jpeg.length >> 1));
    await writeImage(join(input, 'cut.png'), 'png');
    const out = tempDir('cut-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--json']);
    expect(r.code).toBe(3);
    expect(ofType(r.events, 'file-failed').map((e) => [e.input, e.code])).toEqual([[join(input, 'cut.jpg'), 'truncated']]);
    expect(ofType(r.events, 'file-done').map((e) => e.output)).toEqual([join(out, 'cut.png.jpg')]);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['cut.png.jpg']);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('folds case in the output folder when the probe says so (injected: PHOTOPOOL_CASE_FOLDING=on)', async () => {
    const input = tempDir('fold-in');
    await writeImage(join(input, 'IMG.png'), 'png');
    await writeImage(join(input, 'img.jpg'), 'jpeg');
    const out = tempDir('fold-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--json'], { env: { PHOTOPOOL_CASE_FOLDING: 'on' } });
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['IMG.png.jpg', 'img.jpg']);
  });
});

describe('kill -9 and resume with same-stem inputs', () => {
  it('keeps the same disambiguated names: every input once, under the rule\'s name', async () => {
    const input = tempDir('clash-kill');
    const photos = listFiles(SAMPLES).filter((f) => f.endsWith('.jpg'));
    const png = await sharp(join(SAMPLES, 'coffee.jpg')).resize(200).png().toBuffer();
    const stems = Array.from({ length: 30 }, (_, i) => `s${String(i).padStart(2, '0')}`);
    for (const [i, s] of stems.entries()) {
      writeFileSync(join(input, `${s}.jpg`), readFileSync(join(SAMPLES, photos[i % photos.length]!)));
      writeFileSync(join(input, `${s}.png`), png);
    }
    const want = stems.flatMap((s) => [`${s}.jpg`, `${s}.png.jpg`]).sort();
    const out = tempDir('clash-kill-out');
    const args = ['convert', input, '-o', out, '--format', 'jpeg', '--resize', '1600x1600', '--workers', '1', '--json'];
    let n = 0;
    const first = await runCli(args, { onEvent: (e, kill) => e.type === 'file-done' && ++n === 12 && kill() });
    expect(ofType(first.events, 'done')).toEqual([]);
    const firstOutputs = ofType(first.events, 'file-done').map((e) => e.output.slice(out.length + 1));
    expect(firstOutputs.length).toBeLessThan(60);
    for (const o of firstOutputs) expect(want).toContain(o);

    const second = await runCli(['resume', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(want);
    expect(tmpFiles(out)).toEqual([]);
    // The journal records each planned name and commits each output exactly once.
    const records = readFileSync(join(out, '.photopool-journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; i?: string; o?: string });
    for (const s of records.filter((r) => r.t === 'start')) expect(s.o).toBe(join(out, s.i!.slice(input.length + 1).replace(/\.png$/, '.png.jpg')));
    const committed = records.filter((r) => r.t === 'commit').map((r) => r.o!.slice(out.length + 1));
    expect(committed.sort()).toEqual(want);
  });
});
