/**
 * The `auto` resize kernel (the default): linear in the luma lane, whose DCT scaling leaves at
 * most a 2x reduction, lanczos3 in the sharp lane. Checked on real photos by comparing outputs
 * with the same recipe given the explicit kernel: byte-identical, and different from the other.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Kernel } from '../common/job.js';
import type { ConvertTask } from '../common/task.js';
import { encode } from '../workers/pipeline.js';
import { turboPath } from '../workers/turbojpeg.js';
import { SAMPLES } from './helpers.js';

function task(kernel: Kernel, grayscale: boolean): ConvertTask {
  return {
    input: 'coffee.jpg',
    inputFormat: 'jpeg',
    tmp: '/nonexistent',
    format: 'jpeg',
    quality: 90,
    ops: { grayscale, autoRotate: true, resize: { width: 170, height: 170, fit: 'inside', withoutEnlargement: true, kernel } },
    limits: { maxPixels: 100_000_000, timeoutSeconds: 60, maxFileBytes: 1 << 30, maxMemoryMiB: 2048 },
    keepExif: false,
    keepIcc: false,
    keepMtime: false,
  };
}

const input = readFileSync(join(SAMPLES, 'coffee.jpg'));

describe('auto kernel', () => {
  it.runIf(turboPath() !== null)('is linear in the luma lane (gray JPEG to JPEG)', async () => {
    const auto = await encode(input, task('auto', true));
    expect(auto.lane).toBe('luma');
    expect(auto.data.equals((await encode(input, task('linear', true))).data)).toBe(true);
    expect(auto.data.equals((await encode(input, task('lanczos3', true))).data)).toBe(false);
  });

  it('is lanczos3 in the sharp lane (colour)', async () => {
    const auto = await encode(input, task('auto', false));
    expect(auto.lane).toBe('sharp');
    expect(auto.data.equals((await encode(input, task('lanczos3', false))).data)).toBe(true);
    expect(auto.data.equals((await encode(input, task('linear', false))).data)).toBe(false);
  });
});
