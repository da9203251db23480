/**
 * Colour (issue 14): Display P3, Adobe RGB and CMYK inputs come out as sRGB through their
 * profiles, unless --keep-icc. The inputs are a known sRGB colour converted into each profile
 * here; the reference is that colour (for CMYK also the Debian `vips` CLI's own lcms transform,
 * an independent build, where installed).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { runCli, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;
const SRGB = [200, 100, 50];
const ADOBE_RGB = '/usr/share/color/icc/ghostscript/a98.icc'; // Debian ghostscript's Adobe RGB (1998) compatible profile
const HAVE_VIPS = spawnSync('vips', ['--version']).error === undefined;

/** The centre pixel's numbers as stored (sharp would convert a tagged file to sRGB without keepIccProfile). */
async function centre(file: string): Promise<number[]> {
  const { data, info } = await sharp(file).keepIccProfile().raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  return [...data.subarray(at, at + Math.min(info.channels, 3))];
}

const near = (got: number[], want: number[], tol: number) => got.every((v, i) => Math.abs(v - want[i]!) <= tol);

describe('colour-managed inputs', () => {
  let dir: string;
  let input: string;
  const inputs: Record<string, string> = { 'p3.jpg': 'p3', 'cmyk.jpg': 'cmyk' };
  if (existsSync(ADOBE_RGB)) inputs['adobe-rgb.jpg'] = ADOBE_RGB;
  const outputs: Record<string, Record<string, Done>> = {};

  beforeAll(async () => {
    dir = tempDir('colour');
    input = join(dir, 'in');
    mkdirSync(input);
    for (const [name, profile] of Object.entries(inputs)) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: SRGB[0]!, g: SRGB[1]!, b: SRGB[2]! } } })
        .withIccProfile(profile)
        .jpeg({ quality: 98, chromaSubsampling: '4:4:4' })
        .toFile(join(input, name));
    }
    for (const [tag, flags] of [['srgb', []], ['keep', ['--keep-icc']], ['gray', ['--gray']]] as const) {
      const run = await runCli(['convert', input, '-o', join(dir, tag), '--format', 'png', ...flags, '--json']);
      outputs[tag] = Object.fromEntries(run.events.filter((e): e is Done => e.type === 'file-done').map((e) => [e.input.split('/').pop()!, e]));
    }
  });

  it('the inputs really hold other numbers than sRGB (so the checks below can fail)', async () => {
    expect(near(await centre(outputs.keep!['p3.jpg']!.output), [187, 106, 63], 3)).toBe(true);
    expect((await sharp(join(input, 'cmyk.jpg')).metadata()).space).toBe('cmyk');
  });

  it('P3, Adobe RGB and CMYK come out as sRGB through their profiles', async () => {
    for (const name of Object.keys(inputs)) {
      const got = await centre(outputs.srgb![name]!.output);
      expect(near(got, SRGB, name === 'cmyk.jpg' ? 5 : 3), `${name}: ${got}`).toBe(true);
      expect((await sharp(outputs.srgb![name]!.output).metadata()).icc).toBeUndefined();
    }
  });

  it.skipIf(!HAVE_VIPS)('CMYK matches an independent lcms transform (Debian vips CLI)', async () => {
    const ref = join(dir, 'cmyk-ref.png');
    execFileSync('vips', ['icc_transform', join(input, 'cmyk.jpg'), ref, 'srgb', '--embedded']);
    const got = await centre(outputs.srgb!['cmyk.jpg']!.output);
    expect(near(got, await centre(ref), 2), `${got}`).toBe(true);
  });

  it('--keep-icc keeps the profile and its numbers; gray is the luma of the sRGB colour', async () => {
    const kept = await sharp(outputs.keep!['p3.jpg']!.output).metadata();
    expect(kept.icc?.length).toBeGreaterThan(100);
    const luma = Math.round(0.299 * SRGB[0]! + 0.587 * SRGB[1]! + 0.114 * SRGB[2]!);
    for (const name of Object.keys(inputs)) {
      const [g] = await centre(outputs.gray![name]!.output);
      expect(Math.abs(g! - luma), `${name}: ${g}`).toBeLessThanOrEqual(3);
    }
  });
});
