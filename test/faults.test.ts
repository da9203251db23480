/**
 * Faults (issue 6): crashed and stuck workers, a full / read-only / deleted output, inputs that
 * change after the scan. Each asserts that nothing is lost: outputs = convertible inputs that
 * were reached, every output decodes, no temporary file remains, inputs are unchanged.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import type { ConvertTask } from '../common/task.js';
import { JobSpecSchema } from '../common/job.js';
import convert from '../workers/convert.js';
import { hashTree, letNobodyIn, linkFarm, listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

const outputs = (out: string) => listFiles(out).filter((f) => !f.startsWith('.photopool-journal'));

async function allDecode(out: string) {
  for (const f of outputs(out)) await expect(sharp(join(out, f)).stats(), f).resolves.toBeTruthy();
}

describe('crashed and stuck workers', () => {
  for (const model of ['threads', 'processes']) {
    it(`a worker that crashes fails only its file and is replaced (${model})`, async () => {
      const input = linkFarm(SAMPLES, 12, 'crash');
      const victim = listFiles(input).find((f) => f.includes('00005-'))!;
      const before = hashTree(input);
      const out = tempDir('crash-out');
      const r = await runCli(['convert', input, '-o', out, '--model', model, '--workers', '2', '--json'], { env: { PHOTOPOOL_FAULT: 'crash:00005-' } });
      expect(r.code, r.stderr).toBe(3);
      const failed = ofType(r.events, 'file-failed');
      expect(failed.map((e) => [e.input, e.code])).toEqual([[join(input, victim), 'worker-crashed']]);
      expect(ofType(r.events, 'file-done')).toHaveLength(11);
      expect(outputs(out)).toHaveLength(11);
      expect(tmpFiles(out)).toEqual([]);
      await allDecode(out);
      expect(hashTree(input)).toEqual(before);
    });
  }

  it('the fault hook works only under the test runner: outside it PHOTOPOOL_FAULT does nothing', async () => {
    const input = linkFarm(SAMPLES, 6, 'nofault');
    const out = tempDir('nofault-out');
    const r = await runCli(['convert', input, '-o', out, '--json'], { env: { PHOTOPOOL_FAULT: 'crash:00002-', VITEST: '' } });
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'file-done')).toHaveLength(6);
  });

  it('a worker stuck inside a file is killed at the time limit; the batch goes on', async () => {
    const input = linkFarm(SAMPLES, 6, 'hang');
    const out = tempDir('hang-out');
    const t0 = Date.now();
    const r = await runCli(['convert', input, '-o', out, '--timeout', '1', '--json'], { env: { PHOTOPOOL_FAULT: 'hang:00002-' } });
    expect(r.code, r.stderr).toBe(3);
    expect(ofType(r.events, 'file-failed').map((e) => e.code)).toEqual(['timed-out']);
    expect(outputs(out)).toHaveLength(5);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(tmpFiles(out)).toEqual([]);
  });

  it('sharp stops a decode that runs past the time limit', async () => {
    // A 4000x4000 photo enlarged to 16000x16000 takes several seconds: --timeout 1 stops it.
    const input = tempDir('slow');
    await sharp(join(SAMPLES, 'retina.jpg')).resize(4000, 4000).jpeg().toFile(join(input, 'big.jpg'));
    const out = tempDir('slow-out');
    const r = await runCli(['convert', input, '-o', out, '--resize', '16000x16000', '--enlarge', '--max-pixels', '268402689', '--timeout', '1', '--json']);
    expect(r.code).toBe(3);
    expect(ofType(r.events, 'file-failed').map((e) => e.code)).toEqual(['timed-out']);
    expect(outputs(out)).toEqual([]);
  });
});

/** A small tmpfs (needs root and mount rights; CI runs as root). */
function tmpfs(sizeKiB: number): string | null {
  const dir = tempDir('tmpfs');
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKiB}k`, 'tmpfs', dir]);
  return r.status === 0 ? dir : null;
}
const mounts: string[] = [];
afterEach(() => {
  for (const m of mounts.splice(0)) spawnSync('umount', ['-l', m]);
});
const CAN_MOUNT = (() => {
  const d = tmpfs(64);
  if (!d) return false;
  spawnSync('umount', [d]);
  return true;
})();

describe.skipIf(!CAN_MOUNT)('output device faults (need root to mount a small tmpfs)', () => {
  it('disk full: the batch stops cleanly, leaves no partial file, and resumes once space is freed', async () => {
    const dev = tmpfs(1024)!;
    mounts.push(dev);
    writeFileSync(join(dev, 'filler'), Buffer.alloc(900 * 1024));
    const input = linkFarm(SAMPLES, 24, 'full');
    const before = hashTree(input);
    const out = join(dev, 'out');
    const first = await runCli(['convert', input, '-o', out, '--format', 'jpeg', '--workers', '1', '--json']);
    expect(first.code).toBe(1);
    const done = ofType(first.events, 'done')[0]!;
    expect(done.stopped?.code).toBe('disk-full');
    expect(first.stdout).not.toContain('"type":"fatal"');
    expect(tmpFiles(out)).toEqual([]);
    await allDecode(out);

    rmSync(join(dev, 'filler'));
    spawnSync('mount', ['-o', 'remount,size=8m', dev]);
    const second = await runCli(['resume', out, '--json']);
    expect(second.code, second.stderr).toBe(0);
    expect(ofType(second.events, 'done')[0]!.totals.done).toBe(24);
    expect(outputs(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(24);
    expect(tmpFiles(out)).toEqual([]);
    await allDecode(out);
    expect(hashTree(input)).toEqual(before);
  });

});

/** Running the CLI as `nobody` (setpriv) needs root; as any other user the modes already apply to us, but we cannot restore them as nobody. */
const IS_ROOT = process.getuid?.() === 0;

describe.skipIf(!IS_ROOT)('output folder made read-only mid-batch (needs root: runs the CLI as nobody, as root ignores modes)', () => {
  it('stops with a clear message, no partial file; resumes once writable again', async () => {
    const undo = letNobodyIn();
    onTestFinished(undo);
    const input = linkFarm(SAMPLES, 40, 'ro');
    const before = hashTree(input);
    chmodSync(input, 0o755);
    for (const d of readdirSync(input)) chmodSync(join(input, d), 0o755);
    const parent = tempDir('ro-out');
    chmodSync(parent, 0o777);
    const out = join(parent, 'out');
    const first = await runCli(['convert', input, '-o', out, '--workers', '1', '--json'], {
      asNobody: true,
      onEvent: (e) => {
        if (e.type === 'file-done' && e.input.includes('00004-')) for (const d of [out, join(out, 'd0')]) chmodSync(d, 0o555);
      },
    });
    expect(first.code, first.stderr).toBe(1);
    const stopped = ofType(first.events, 'done')[0]!.stopped;
    expect(stopped?.code).toBe('output-unwritable');
    expect(stopped?.hint).toMatch(/check that the output folder exists and is writable, then resume/);
    expect(ofType(first.events, 'file-done').length).toBeLessThan(40);
    expect(tmpFiles(out)).toEqual([]);
    for (const d of [out, join(out, 'd0')]) chmodSync(d, 0o777);
    const second = await runCli(['resume', out, '--json'], { asNobody: true });
    expect(second.code, second.stderr).toBe(0);
    expect(outputs(out).filter((f) => /\.(jpg|png)$/.test(f))).toHaveLength(40);
    expect(tmpFiles(out)).toEqual([]);
    await allDecode(out);
    const after = hashTree(input);
    for (const k of Object.keys(before)) expect(after[k]?.split(':')[0], k).toBe(before[k]!.split(':')[0]); // content (chmod changed modes)
  });
});

describe('output folder deleted mid-batch', () => {
  it('stops with "output-unwritable" instead of writing into nowhere', async () => {
    const input = linkFarm(SAMPLES, 40, 'del');
    const out = join(tempDir('del-out'), 'out');
    const r = await runCli(['convert', input, '-o', out, '--workers', '1', '--json'], {
      onEvent: (e) => {
        if (e.type === 'file-done' && e.input.includes('00003-')) rmSync(out, { recursive: true, force: true });
      },
    });
    expect(r.code).toBe(1);
    const done = ofType(r.events, 'done')[0]!;
    expect(done.stopped?.code).toBe('output-unwritable');
    expect(done.stopped?.detail).toMatch(/was deleted during the batch/);
    expect(ofType(r.events, 'file-done').length).toBeLessThan(40);
    mkdirSync(out, { recursive: true });
    expect(tmpFiles(out)).toEqual([]);
  });
});

describe('inputs that change between scan and conversion', () => {
  const task = (input: string, tmp: string): ConvertTask => {
    const spec = JobSpecSchema.parse({ inputs: [input], output: '/unused' });
    return { input, inputFormat: 'jpeg', tmp, format: 'jpeg', quality: 80, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false, keepMtime: false };
  };

  it('a removed input fails as "vanished"; a truncated one as "truncated"; neither leaves a file', async () => {
    const dir = tempDir('changed');
    const gone = await convert(task(join(dir, 'gone.jpg'), join(dir, '.gone.tmp')));
    expect(gone).toMatchObject({ ok: false, code: 'vanished' });
    const cut = join(dir, 'cut.jpg');
    cpSync(join(SAMPLES, 'coffee.jpg'), cut);
    writeFileSync(cut, readFileSync(cut).subarray(0, 5000));
    const r = await convert(task(cut, join(dir, '.cut.tmp')));
    expect(r).toMatchObject({ ok: false, code: 'truncated' });
    expect(listFiles(dir)).toEqual(['cut.jpg']);
  });
});

describe('memory ceiling', () => {
  it('above --max-memory no new file starts until the running ones finish', async () => {
    // 12 MP photos-to-be (noise: a real decode each), so that the batch, one file at a time,
    // spans several of the engine's 200 ms progress ticks (small samples could all finish
    // within one, leaving only ticks with nothing running to look at)
    const big = tempDir('mem-big');
    const raw = Buffer.alloc(4000 * 3000 * 3);
    for (let p = 0; p < raw.length; p++) raw[p] = (p * 2654435761) >>> 24;
    await sharp(raw, { raw: { width: 4000, height: 3000, channels: 3 } }).jpeg({ quality: 85 }).toFile(join(big, 'noise.jpg'));
    const input = linkFarm(big, 12, 'mem');
    const out = tempDir('mem-out');
    const r = await runCli(['convert', input, '-o', out, '--workers', '2', '--max-memory', '1', '--json']);
    expect(r.code, r.stderr).toBe(0);
    // The engine's own count of running files (file-done is sent after the rename, so a next
    // file-start may come before it: the event stream alone would show a false overlap).
    const running = ofType(r.events, 'progress').map((e) => e.running);
    expect(running.length).toBeGreaterThan(0);
    expect(Math.max(...running)).toBe(1); // a 1 MiB ceiling is always exceeded: one file at a time
    expect(outputs(out)).toHaveLength(12);
  });
});

describe('photopool doctor', () => {
  it('reports the machine and formats, and whether the output folder is writable', async () => {
    const ok = await runCli(['doctor', '-o', join(tempDir('doc'), 'new'), '--json']);
    expect(ok.code).toBe(0);
    const report = JSON.parse(ok.stdout) as { cores: number; libvips: string; formats: { read: string[]; write: string[] }; engineEnv: { MALLOC_ARENA_MAX: string }; output: { writable: boolean } };
    expect(report.cores).toBeGreaterThan(0);
    expect(report.libvips).toMatch(/^\d+\.\d+/);
    expect(report.formats.read).toEqual(expect.arrayContaining(['jpeg', 'png', 'webp', 'svg', 'tiff', 'gif']));
    expect(report.formats.write).toEqual(expect.arrayContaining(['jpeg', 'png', 'webp', 'tiff']));
    expect(report.engineEnv.MALLOC_ARENA_MAX).toBe('2');
    expect(report.output.writable).toBe(true);
    const bad = await runCli(['doctor', '-o', '/proc/photopool-cannot-be-here']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/NOT writable \(ENOENT.*\); choose another folder/);
  });
});
