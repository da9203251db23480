/**
 * Naming tokens (issues 14/18): {counter[:PAD[:START]]} in scan order, kept by a resume after
 * kill -9; {date}/{exif-date:FMT} from the EXIF capture time, else the file time; --suffix;
 * {preset} (the preset's name; refused without one); unknown tokens refused at the boundary.
 */
import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { captureTime, fillTokens, formatTime } from '../engine/naming-tokens.js';
import { listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const T = { Y: '2021', m: '07', d: '04', H: '09', M: '05', S: '03' };

describe('token values', () => {
  it('counter: padding and start; dates: %Y %m %d %H %M %S', () => {
    expect(fillTokens('{counter}-{counter:4}-{counter:2:100}', 4)).toBe('5-0005-104');
    expect(fillTokens('{dir}/{exif-date}_{name}.{ext}', 0, T)).toBe('{dir}/20210704_090503_{name}.{ext}');
    expect(fillTokens('{date}/{date:%H%M}', 0, T)).toBe('2021-07-04/0905');
    expect(formatTime(T, '%Y%%%m')).toBe('2021%07');
  });

  it('capture time: EXIF DateTimeOriginal as written, else the file time', async () => {
    const dir = tempDir('tokens');
    const exif = join(dir, 'a.jpg');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } })
      .withExif({ IFD2: { DateTimeOriginal: '2021:07:04 09:05:03' } })
      .jpeg()
      .toFile(exif);
    expect(await captureTime(exif)).toEqual(T);
    const plain = join(dir, 'b.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#888' } }).png().toFile(plain);
    const when = new Date(2019, 0, 2, 3, 4, 5); // local time, as the fallback formats it
    utimesSync(plain, when, when);
    expect(await captureTime(plain)).toEqual({ Y: '2019', m: '01', d: '02', H: '03', M: '04', S: '05' });
  });
});

describe('photopool convert with tokens', () => {
  it('names by EXIF date, counter and suffix', async () => {
    const input = tempDir('tok-in');
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#468' } })
      .withExif({ IFD2: { DateTimeOriginal: '2021:07:04 09:05:03' } })
      .jpeg()
      .toFile(join(input, 'a.jpg'));
    await sharp({ create: { width: 40, height: 30, channels: 3, background: '#864' } }).png().toFile(join(input, 'b.png'));
    const when = new Date(2019, 0, 2, 3, 4, 5);
    utimesSync(join(input, 'b.png'), when, when);
    const out = tempDir('tok-out');
    const r = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--template', '{dir}/{exif-date}_{name}.{ext}', '--suffix', '_web', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['20190102_030405_b_web.jpg', '20210704_090503_a_web.jpg']);

    const counted = tempDir('tok-out');
    const c = await runCli(['convert', input, '-o', counted, '--format', 'jpeg', '--template', 'img-{counter:3:10}.{ext}', '--json']);
    expect(c.code, c.stderr).toBe(0);
    expect(listFiles(counted).filter((f) => !f.startsWith('.'))).toEqual(['img-010.jpg', 'img-011.jpg']);
  });

  it('{width}x{height} are the final output size; the collision policy still applies to outputs from before', async () => {
    const input = tempDir('tok-size');
    await sharp({ create: { width: 400, height: 300, channels: 3, background: '#468' } }).jpeg().toFile(join(input, 'wide.jpg'));
    await sharp({ create: { width: 150, height: 600, channels: 3, background: '#864' } }).png().toFile(join(input, 'tall.png'));
    const out = tempDir('tok-size-out');
    const args = ['convert', input, '-o', out, '--format', 'jpeg', '--resize', '200x200', '--template', '{dir}/{name}_{width}x{height}.{ext}', '--json'];
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['tall_50x200.jpg', 'wide_200x150.jpg']);
    expect((await sharp(join(out, 'tall_50x200.jpg')).metadata()).height).toBe(200);
    const again = await runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(ofType(again.events, 'file-skipped').map((e) => e.code)).toEqual(['output-exists', 'output-exists']);
    expect(ofType(again.events, 'done')[0]!.totals).toMatchObject({ done: 0, skipped: 2, failed: 0 });
    expect(tmpFiles(out)).toEqual([]);
  });

  it('{preset} is the name of the preset the recipe came from; without a preset it is refused, naming --preset', async () => {
    const config = tempDir('tok-config');
    writeFileSync(join(config, 'settings.json'), JSON.stringify({ version: 1, presets: { 'web: small': { format: 'webp', quality: 70 } } }));
    const out = tempDir('tok-preset');
    const args = ['convert', join(SAMPLES, 'coffee.jpg'), '-o', out, '--template', '{preset}/{name}.{ext}', '--json'];
    const r = await runCli([...args, '--preset', 'web: small'], { env: { PHOTOPOOL_CONFIG_DIR: config } });
    expect(r.code, r.stderr).toBe(0);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual(['web- small/coffee.webp']);
    const none = await runCli(args, { env: { PHOTOPOOL_CONFIG_DIR: config } });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--preset: expected the name of the preset the recipe came from, as naming.template uses \{preset\}/);
  });

  it('refuses an unknown token, naming the flag', async () => {
    const r = await runCli(['convert', SAMPLES, '-o', tempDir('tok-bad'), '--template', '{name}-{size}.{ext}']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--template: expected tokens are \{dir\} \{name\} \{ext\} \{counter/);
    const folder = await runCli(['convert', SAMPLES, '-o', tempDir('tok-bad'), '--template', '{width}/{name}.{ext}']);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/--template: expected \{width\} and \{height\} only in the file name/);
  });

  it('kill -9 and resume keep every {counter} name: the same as an uninterrupted run', async () => {
    const input = tempDir('tok-kill');
    const photos = listFiles(SAMPLES).filter((f) => f.endsWith('.jpg'));
    for (let i = 0; i < 40; i++) writeFileSync(join(input, `p${i}.jpg`), readFileSync(join(SAMPLES, photos[i % photos.length]!)));
    const args = (out: string) => ['convert', input, '-o', out, '--format', 'jpeg', '--resize', '1600x1600', '--template', '{counter:3}.{ext}', '--workers', '1', '--json'];
    const mapping = (events: Parameters<typeof ofType>[0], out: string) => ofType(events, 'file-done').map((e) => [e.input.slice(input.length + 1), e.output.slice(out.length + 1)]);

    const whole = tempDir('tok-whole');
    const reference = new Map(mapping((await runCli(args(whole))).events, whole) as Array<[string, string]>);
    expect(reference.size).toBe(40);

    const out = tempDir('tok-killed');
    let n = 0;
    const first = await runCli(args(out), { onEvent: (e, kill) => e.type === 'file-done' && ++n === 10 && kill() });
    expect(ofType(first.events, 'done')).toEqual([]);
    const second = await runCli(['resume', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(mapping(first.events, out).length).toBeLessThan(40);
    // Every input committed once across both runs, under the name the uninterrupted run gave it.
    const commits = readFileSync(join(out, '.photopool-journal.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { t: string; i: string; o: string }).filter((r) => r.t === 'commit');
    expect(commits).toHaveLength(40);
    expect(new Map(commits.map((r) => [r.i.slice(input.length + 1), r.o.slice(out.length + 1)]))).toEqual(reference);
    expect(listFiles(out).filter((f) => !f.startsWith('.'))).toEqual([...reference.values()].sort());
    expect(tmpFiles(out)).toEqual([]);
  });
});
