/**
 * Outputs next to their inputs (`--beside-input`, issue 14): each output in its input's folder,
 * never an input (a suffix or another format is required; files named as outputs are skipped),
 * the journal and lock in PhotoPool's state folder (keyed by the input roots), and
 * `photopool resume INPUTS` finding it after kill -9.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { besideStateDir, looksLikeOutput } from '../engine/beside-input.js';
import { hashTree, listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const photo = (colour: string) => sharp({ create: { width: 60, height: 40, channels: 3, background: colour } });

describe('photopool convert --beside-input', () => {
  it('writes each output beside its input, keeps the journal in the state folder, and converts no output again', async () => {
    const input = tempDir('beside-in');
    mkdirSync(join(input, 'sub'));
    await photo('#468').jpeg().toFile(join(input, 'a.jpg'));
    await photo('#864').png().toFile(join(input, 'sub', 'b.png'));
    const originals = hashTree(input);
    const env = { PHOTOPOOL_STATE_DIR: tempDir('beside-state') };
    const r = await runCli(['convert', input, '--beside-input', '--suffix', '_web', '--json'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(input).sort()).toEqual(['a.jpg', 'a_web.jpg', 'sub/b.png', 'sub/b_web.png']);
    for (const [file, hash] of Object.entries(originals)) expect(hashTree(input)[file]).toBe(hash);
    expect((await sharp(join(input, 'sub', 'b_web.png')).metadata()).format).toBe('png');
    const state = besideStateDir([input], env);
    expect(existsSync(join(state, '.photopool-journal.ndjson'))).toBe(true);
    expect(ofType(r.events, 'done')[0]!.output).toBe(state);

    // Again: the outputs are never inputs, the earlier outputs are kept (collision "skip").
    const again = await runCli(['convert', input, '--beside-input', '--suffix', '_web', '--json', '--fresh'], { env });
    expect(again.code, again.stderr).toBe(0);
    const skipped = ofType(again.events, 'file-skipped').map((e) => `${e.input.slice(input.length + 1)} ${e.code}`).sort();
    expect(skipped).toEqual(['a.jpg output-exists', 'a_web.jpg beside-output', 'sub/b.png output-exists', 'sub/b_web.png beside-output']);
    expect(listFiles(input)).toHaveLength(4);
  });

  it('with a format and no suffix, an input already in that format is skipped (it would be its own output)', async () => {
    const input = tempDir('beside-fmt');
    await photo('#468').jpeg().toFile(join(input, 'a.jpg'));
    await photo('#864').png().toFile(join(input, 'b.png'));
    const before = readFileSync(join(input, 'a.jpg'));
    const r = await runCli(['convert', input, '--beside-input', '--format', 'jpeg', '--json'], { env: { PHOTOPOOL_STATE_DIR: tempDir('beside-state') } });
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(input).sort()).toEqual(['a.jpg', 'b.jpg', 'b.png']);
    expect(readFileSync(join(input, 'a.jpg')).equals(before)).toBe(true);
    expect(ofType(r.events, 'file-skipped').map((e) => e.code)).toEqual(['beside-output']);
  });

  it('refuses at the boundary, naming the flag: no suffix with --format same, a template, --output too, neither', async () => {
    const env = { PHOTOPOOL_STATE_DIR: tempDir('beside-state') };
    const same = await runCli(['convert', SAMPLES, '--beside-input'], { env });
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/--suffix: expected a suffix \(e\.g\. "_web"\), or an output format other than "same"/);
    const tpl = await runCli(['convert', SAMPLES, '--beside-input', '--suffix', '_w', '--template', '{counter}.{ext}'], { env });
    expect(tpl.code).toBe(2);
    expect(tpl.stderr).toMatch(/--template: expected \{dir\}\/\{name\}\.\{ext\} with besideInput/);
    const both = await runCli(['convert', SAMPLES, '--beside-input', '--suffix', '_w', '-o', tempDir('beside-o')], { env });
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--beside-input: expected either --output DIR or --beside-input, received both/);
    const neither = await runCli(['convert', SAMPLES], { env });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--output: expected an output folder \(or --beside-input/);
    expect(listFiles(SAMPLES).some((f) => f.includes('_w.'))).toBe(false);
  });

  it('kill -9, then "photopool resume INPUT" finds the batch in the state folder and finishes it', async () => {
    const input = tempDir('beside-kill');
    const photos = listFiles(SAMPLES).filter((f) => f.endsWith('.jpg'));
    for (let i = 0; i < 24; i++) writeFileSync(join(input, `p${i}.jpg`), readFileSync(join(SAMPLES, photos[i % photos.length]!)));
    const env = { PHOTOPOOL_STATE_DIR: tempDir('beside-state') };
    let n = 0;
    const args = ['convert', input, '--beside-input', '--suffix', '_s', '--resize', '1600x1600', '--workers', '1', '--json'];
    const first = await runCli(args, { env, onEvent: (e, kill) => e.type === 'file-done' && ++n === 5 && kill() });
    expect(ofType(first.events, 'done')).toEqual([]);
    const second = await runCli(['resume', input, '--json'], { env });
    expect(second.code, second.stderr).toBe(0);
    expect(listFiles(input).filter((f) => f.endsWith('_s.jpg'))).toHaveLength(24);
    expect(tmpFiles(input)).toEqual([]);
  });
});

describe('looksLikeOutput', () => {
  it('an extension the job writes and, with a suffix, a stem ending in it', () => {
    const naming = { template: '{dir}/{name}.{ext}', collision: 'skip' as const };
    expect(looksLikeOutput('a_web.jpg', { format: 'same', naming: { ...naming, suffix: '_web' } })).toBe(true);
    expect(looksLikeOutput('a.jpg', { format: 'same', naming: { ...naming, suffix: '_web' } })).toBe(false);
    expect(looksLikeOutput('a_web.heic', { format: 'same', naming: { ...naming, suffix: '_web' } })).toBe(false);
    expect(looksLikeOutput('a.JPG', { format: 'jpeg', naming })).toBe(true);
    expect(looksLikeOutput('a.png', { format: 'jpeg', naming })).toBe(false);
  });
});
