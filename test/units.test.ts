/** Pure pieces: schema messages, content sniffing, throughput window, naming. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { InvalidOptionsError, parseOrThrow } from '../common/validate.js';
import { outputFormat, Planner } from '../engine/plan.js';
import { eta, RateWindow } from '../engine/rate.js';
import { readAhead } from '../engine/read-ahead.js';
import { hasImageExtension, sniff } from '../engine/sniff.js';
import { SAMPLES, tempDir } from './helpers.js';

describe('job schema', () => {
  it('fills the documented defaults', () => {
    const spec = parseOrThrow(JobSpecSchema, { inputs: ['a'], output: 'b', ops: { resize: { width: 100 } } });
    expect(spec).toMatchObject({
      format: 'same',
      quality: 80,
      ops: { grayscale: false, autoRotate: true, resize: { width: 100, fit: 'inside', withoutEnlargement: true, kernel: 'auto' } },
      naming: { template: '{dir}/{name}.{ext}', collision: 'skip' },
      keepExif: false,
      limits: { maxPixels: 100_000_000, timeoutSeconds: 60 },
    });
  });

  it('names every bad field with what was expected and what arrived', () => {
    let err: InvalidOptionsError | undefined;
    try {
      parseOrThrow(JobSpecSchema, { inputs: [], output: 'o', quality: 0, ops: { resize: { fit: 'stretch' } }, colour: 1 });
    } catch (e) {
      err = e as InvalidOptionsError;
    }
    expect(err).toBeInstanceOf(InvalidOptionsError);
    const byField = Object.fromEntries(err!.problems.map((p) => [p.field, `${p.expected} / ${p.received}`]));
    expect(byField).toEqual({
      inputs: 'at least 1 item(s) / []',
      quality: 'a number >= 1 / 0',
      'ops.resize.fit': 'one of "inside", "cover", "contain", "fill", "outside" / "stretch"',
      '(root)': 'no unknown field (got colour) / ["colour"]',
    });
  });

  it('needs a width or a height to resize', () => {
    expect(() => parseOrThrow(JobSpecSchema, { inputs: ['a'], output: 'b', ops: { resize: {} } })).toThrow(/ops.resize.width: expected give a width, a height or both/);
  });
});

describe('content sniffing', () => {
  it('recognises real files by their bytes, whatever their names', async () => {
    expect(await sniff(readFileSync(join(SAMPLES, 'chelsea.jpg')))).toEqual({ kind: 'image', format: 'jpeg' });
    expect(await sniff(readFileSync(join(SAMPLES, 'nested/deeper/rocket.png')))).toEqual({ kind: 'image', format: 'png' });
    expect(await sniff(Buffer.from('RIFF\0\0\0\0WEBPVP8 '))).toEqual({ kind: 'image', format: 'webp' });
    expect(await sniff(Buffer.from('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'))).toEqual({ kind: 'image', format: 'svg' });
    expect(await sniff(Buffer.from('II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0', 'latin1'))).toEqual({ kind: 'image', format: 'tiff' }); // BigTIFF
    expect(await sniff(Buffer.from('hello, this is text'))).toEqual({ kind: 'other' });
    expect(await sniff(Buffer.alloc(0))).toEqual({ kind: 'other' });
    expect(await sniff(Buffer.from('8BPS\0\x01' + '\0'.repeat(40), 'latin1'))).toMatchObject({ kind: 'unsupported', name: 'Photoshop document (PSD)' });
    expect(hasImageExtension('A.JPG')).toBe(true);
    expect(hasImageExtension('IMG_0001.HEIC')).toBe(true);
    expect(hasImageExtension('notes.txt')).toBe(false);
  });
});

describe('throughput window', () => {
  it('computes images/s and MP/s over the window on a fake clock, and an ETA', () => {
    let t = 0;
    const w = new RateWindow(5000, () => t);
    expect(w.rates()).toEqual({ imagesPerSec: 0, mpPerSec: 0 });
    for (let i = 0; i <= 10; i++) {
      t = i * 500; // one 2 MP image every 0.5 s
      w.add(2);
    }
    expect(w.rates().imagesPerSec).toBeCloseTo(2, 5);
    expect(w.rates().mpPerSec).toBeCloseTo(4, 5);
    t = 5000 + 10_000; // a long pause: old marks leave the window, the rate falls
    expect(w.rates().imagesPerSec).toBeLessThan(0.2);
    expect(eta(30, 2)).toBe(15);
    expect(eta(30, 0)).toBeNull();
  });
});

describe('output naming', () => {
  const spec = (over: object = {}) => parseOrThrow(JobSpecSchema, { inputs: ['/in'], output: tempDir('plan'), ...over });

  it('mirrors the tree and maps formats', async () => {
    const s = spec({ format: 'jpeg' });
    const p = new Planner(s);
    expect(await p.plan({ path: '/in/a/b/c.png', relDir: 'a/b', root: 0, format: 'png' })).toEqual({ output: join(s.output, 'a/b/c.jpg'), format: 'jpeg' });
    expect(outputFormat('same', 'gif')).toBe('png');
    expect(outputFormat('same', 'tiff')).toBe('tiff');
  });

  it('applies a template and prefixes each input root when there are several', async () => {
    const s = parseOrThrow(JobSpecSchema, { inputs: ['/x/trip', '/y/trip'], output: tempDir('plan'), naming: { template: '{dir}/small-{name}.{ext}' } });
    const p = new Planner(s);
    expect((await p.plan({ path: '/x/trip/a.jpg', relDir: '', root: 0, format: 'jpeg' }))!.output).toBe(join(s.output, 'trip/small-a.jpg'));
    expect((await p.plan({ path: '/y/trip/a.jpg', relDir: '', root: 1, format: 'jpeg' }))!.output).toBe(join(s.output, 'trip-2/small-a.jpg'));
  });

  it('refuses a template that climbs out of the output folder', () => {
    expect(() => spec({ naming: { template: '../{name}.{ext}' } })).toThrow(/naming.template: expected must not contain ".."/);
  });
});

describe('scan read-ahead', () => {
  async function* source(n: number, log: string[]) {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`made ${i}`);
        await new Promise((r) => setTimeout(r, 1));
        yield i;
      }
    } finally {
      log.push('closed');
    }
  }

  it('keeps the order, reads at most `depth` ahead, and closes the source on an early stop', async () => {
    const log: string[] = [];
    const got: number[] = [];
    for await (const x of readAhead(source(100, log), 3)) {
      got.push(x);
      await new Promise((r) => setTimeout(r, 5)); // a slow consumer: the source runs ahead
      // when item x is consumed, the source has made at most x + 1 + depth items
      expect(log.filter((l) => l.startsWith('made')).length).toBeLessThanOrEqual(x + 1 + 3);
      if (x === 9) break;
    }
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(log.at(-1)).toBe('closed');
    expect(log.filter((l) => l.startsWith('made')).length).toBeLessThan(100);
  });

  it('passes a failure of the source on, in its place', async () => {
    async function* failing() {
      yield 1;
      throw new Error('unreadable folder');
    }
    const got: number[] = [];
    await expect(
      (async () => {
        for await (const x of readAhead(failing(), 4)) got.push(x);
      })(),
    ).rejects.toThrow('unreadable folder');
    expect(got).toEqual([1]);
  });
});
