/**
 * HEIC input (issue 14): files made here with heif-enc (libheif-examples), decoded by the
 * system's libheif and by the WebAssembly build, through the real CLI in every pool model.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { heicBackend, decodePixels } from '../workers/decode/heic-backend.js';
import { HAVE_HEIF_ENC, makeHeic, meanAbsDiff } from './fixtures/formats.js';
import { runCli, SAMPLES, tempDir } from './helpers.js';

type Done = Extract<EngineEvent, { type: 'file-done' }>;
type Failed = Extract<EngineEvent, { type: 'file-failed' }>;

describe.skipIf(!HAVE_HEIF_ENC)('HEIC input (needs heif-enc from libheif-examples to make test files)', () => {
  let dir: string;
  let input: string;
  beforeAll(async () => {
    dir = tempDir('heic');
    input = join(dir, 'in');
    mkdirSync(input);
    // A real photo with EXIF orientation 6 and an ICC profile (heif-enc 1.15 keeps both, adds no irot).
    makeHeic(join(SAMPLES, 'motorcycle-exif6.jpg'), join(input, 'moto-exif6.heic'), 70);
    // A flat colour in Display P3 (libvips converts sRGB (200,100,50) to P3 and tags it).
    await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 100, b: 50 } } }).withIccProfile('p3').png().toFile(join(dir, 'p3.png'));
    makeHeic(join(dir, 'p3.png'), join(input, 'p3.hif'), 95);
    const moto = readFileSync(join(input, 'moto-exif6.heic'));
    writeFileSync(join(input, 'cut.heic'), moto.subarray(0, Math.floor(moto.length / 2)));
  }, 60_000);

  it('both decoders are available here and give nearly the same pixels', () => {
    const native = heicBackend('native');
    const wasm = heicBackend('wasm');
    expect(native?.name).toMatch(/^libheif .* \(system library/);
    expect(wasm?.name).toMatch(/^libheif .* \(WebAssembly/);
    const bytes = readFileSync(join(input, 'moto-exif6.heic'));
    const a = decodePixels(bytes, 100e6, 'native');
    const b = decodePixels(bytes, 100e6, 'wasm');
    expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
    expect(a.icc && Buffer.from(a.icc).equals(Buffer.from(b.icc!))).toBe(true);
    expect(a.exif?.length).toBeGreaterThan(0);
    let sum = 0;
    for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
    expect(sum / a.data.length).toBeLessThan(1); // same bitstream, two libheif versions: rounding only
  });

  for (const [backend, model] of [['native', 'threads'], ['wasm', 'async'], ['native', 'processes'], ['wasm', 'threads']] as const) {
    it(`converts with the right orientation, colour and errors: ${backend} decoder, ${model} model`, async () => {
      const out = join(dir, `out-${backend}-${model}`);
      const run = await runCli(['convert', input, '-o', out, '--format', 'png', '--model', model, '--json'], { env: { PHOTOPOOL_HEIC: backend } });
      const done = new Map(run.events.filter((e): e is Done => e.type === 'file-done').map((e) => [e.input.split('/').pop(), e]));
      const failed = new Map(run.events.filter((e): e is Failed => e.type === 'file-failed').map((e) => [e.input.split('/').pop(), e]));
      // orientation 6 applied: stored 500x741, written 741x500, and it looks like the JPEG
      expect(done.get('moto-exif6.heic')).toMatchObject({ width: 500, height: 741, outWidth: 741, outHeight: 500 });
      const reference = await sharp(join(SAMPLES, 'motorcycle-exif6.jpg')).autoOrient().png().toBuffer();
      expect(await meanAbsDiff(done.get('moto-exif6.heic')!.output, reference)).toBeLessThan(4);
      // the P3 profile is applied: back to sRGB (200,100,50); the P3 numbers (~187,104,60) would fail
      const { data } = await sharp(done.get('p3.hif')!.output).raw().toBuffer({ resolveWithObject: true });
      const mid = (24 * 64 + 32) * 3;
      for (const [i, want] of [200, 100, 50].entries()) expect(Math.abs(data[mid + i]! - want)).toBeLessThanOrEqual(3);
      // half a file: the decoder that supports HEIC fails on it, so "corrupt", never "unsupported"
      expect(failed.get('cut.heic')?.code).toBe('corrupt');
      expect(failed.get('cut.heic')?.detail).toMatch(/^HEIC: /);
    }, 60_000);
  }

  it('refuses a HEIC above the pixel limit before decoding', async () => {
    const run = await runCli(['convert', join(input, 'moto-exif6.heic'), '-o', join(dir, 'out-limit'), '--max-pixels', '100000', '--json']);
    const f = run.events.find((e): e is Failed => e.type === 'file-failed');
    expect(f).toMatchObject({ code: 'too-many-pixels', detail: expect.stringMatching(/500x741 exceeds pixel limit of 100000/) });
  });

  it('without any HEVC decoder a HEIC is unsupported-format naming libheif, not corrupt', async () => {
    const run = await runCli(['convert', join(input, 'moto-exif6.heic'), '-o', join(dir, 'out-off'), '--json'], { env: { PHOTOPOOL_HEIC: 'off' } });
    const f = run.events.find((e): e is Failed => e.type === 'file-failed');
    expect(f).toMatchObject({ code: 'unsupported-format', detail: expect.stringMatching(/^HEIC \(HEVC\): .*libheif/) });
  });

  it('keeps the EXIF with --keep-exif (orientation applied once)', async () => {
    const out = join(dir, 'out-exif');
    const run = await runCli(['convert', join(input, 'moto-exif6.heic'), '-o', out, '--format', 'jpeg', '--keep-exif', '--json']);
    const done = run.events.find((e): e is Done => e.type === 'file-done')!;
    const meta = await sharp(done.output).metadata();
    expect(meta.exif?.length).toBeGreaterThan(50);
    expect([meta.width, meta.height, meta.orientation ?? 1]).toEqual([741, 500, 1]);
  });
});
