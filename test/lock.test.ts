/**
 * One batch per output folder (engine/lock.ts) and unfinished journals that are never replaced
 * unless told (engine/journal.ts checkUnfinished, `photopool convert --fresh`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { EngineEvent } from '../common/events.js';
import { JobSpecSchema } from '../common/job.js';
import { spawnEngine } from '../app/engine-client.js';
import { EngineError } from '../engine/errors.js';
import { JOURNAL_NAME } from '../engine/journal.js';
import { LOCK_NAME, OutputLock } from '../engine/lock.js';
import { linkFarm, listFiles, ofType, runCli, SAMPLES, tempDir, tmpFiles } from './helpers.js';

/** A process id that is running (a `sleep`, ended with the test). */
function livePid(): number {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  onTestFinished(() => void child.kill());
  return child.pid!;
}
/** A process id that has ended. */
function deadPid(): number {
  return spawnSync('true').pid!;
}
/** A process id that has ended but is not reaped yet (a zombie: its parent `sleep` never waits for it). */
async function zombiePid(): Promise<number> {
  const parent = spawn('sh', ['-c', 'sleep 0 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  onTestFinished(() => void parent.kill());
  const pid = await new Promise<number>((res) => parent.stdout.once('data', (d: Buffer) => res(Number(String(d).trim()))));
  for (let i = 0; i < 100 && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'); i++) await new Promise((r) => setTimeout(r, 20));
  return pid;
}
const holder = (pid: number, host = hostname()) => JSON.stringify({ pid, host, startedAt: '2026-01-02T03:04:05.000Z', nonce: 'n' });

function acquireError(dir: string): EngineError {
  try {
    OutputLock.acquire(dir).release();
  } catch (err) {
    return err as EngineError;
  }
  throw new Error('the lock was given');
}

describe('output folder lock', () => {
  it('names its holder, refuses a second holder with who holds it, and is removed on release', () => {
    const dir = tempDir('lock');
    const lock = OutputLock.acquire(dir);
    const onDisk = JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8'));
    expect(onDisk).toMatchObject({ pid: process.pid, host: hostname() });
    expect(Date.parse(onDisk.startedAt)).toBeGreaterThan(Date.now() - 60_000);
    lock.release();
    expect(existsSync(join(dir, LOCK_NAME))).toBe(false);

    const pid = livePid();
    writeFileSync(join(dir, LOCK_NAME), holder(pid));
    const err = acquireError(dir);
    expect(err.code).toBe('output-locked');
    expect(err.message).toContain(`process ${pid} on ${hostname()}, started 2026-01-02T03:04:05.000Z`);
    expect(err.message).toContain(`delete ${join(dir, LOCK_NAME)}`);
    expect(readFileSync(join(dir, LOCK_NAME), 'utf8')).toBe(holder(pid)); // untouched
  });

  it.runIf(process.platform === 'linux')('takes over the lock of a killed process its new parent has not reaped yet (a zombie)', async () => {
    const dir = tempDir('lock-zombie');
    const pid = await zombiePid();
    expect(readFileSync(`/proc/${pid}/stat`, 'utf8')).toContain(') Z');
    expect(() => process.kill(pid, 0)).not.toThrow(); // signal 0 alone would call it alive
    writeFileSync(join(dir, LOCK_NAME), holder(pid));
    const lock = OutputLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8')).pid).toBe(process.pid);
    lock.release();
  });

  it('takes over the stale lock of a process that ended; never one of another host', () => {
    const dir = tempDir('lock-stale');
    writeFileSync(join(dir, LOCK_NAME), holder(deadPid()));
    const lock = OutputLock.acquire(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_NAME), 'utf8')).pid).toBe(process.pid);
    lock.release();
    expect(listFiles(dir)).toEqual([]); // nothing left aside

    writeFileSync(join(dir, LOCK_NAME), holder(deadPid(), 'another-host.example'));
    expect(acquireError(dir).message).toContain('on another-host.example');
  });

  it('release leaves a lock that is no longer its own', () => {
    const dir = tempDir('lock-release');
    const lock = OutputLock.acquire(dir);
    const pid = livePid();
    writeFileSync(join(dir, LOCK_NAME), holder(pid)); // (someone removed ours and took it)
    lock.release();
    expect(readFileSync(join(dir, LOCK_NAME), 'utf8')).toBe(holder(pid));
  });

  it('a second engine is refused the folder of a running batch; the first finishes untouched', async () => {
    const input = linkFarm(SAMPLES, 60, 'lock-two');
    const out = tempDir('lock-two-out');
    const spec = { inputs: [input], output: out, ops: { resize: { width: 200 } }, format: 'jpeg' as const, workers: 1 };
    const a = spawnEngine({ maxWorkers: 2 });
    const b = spawnEngine({ maxWorkers: 2 });
    onTestFinished(() => (a.kill(), b.kill()));
    const eventsA: EngineEvent[] = [];
    const doneA = new Promise<void>((resolve) => a.onEvent((e) => (eventsA.push(e), e.type === 'done' && resolve())));
    const startedA = new Promise<void>((resolve) => a.onEvent((e) => e.type === 'file-done' && resolve()));
    a.send({ type: 'start', spec });
    await startedA;
    const refusal = new Promise<EngineEvent>((resolve) => b.onEvent(resolve));
    b.send({ type: 'start', spec });
    const e = await refusal;
    expect(e).toMatchObject({ type: 'fatal', code: 'output-locked' });
    expect(e.type === 'fatal' && e.message).toContain(`process ${a.pid} on ${hostname()}`);
    await doneA;
    expect(ofType(eventsA, 'file-done')).toHaveLength(60);
    expect(listFiles(out).filter((f) => f.endsWith('.jpg'))).toHaveLength(60);
    expect(existsSync(join(out, LOCK_NAME))).toBe(false);
    a.close();
    b.close();
  });
});

describe('an unfinished batch in the output folder', () => {
  /** An output folder whose journal says a batch started a.jpg and never ended, with its temporary file. */
  function unfinished() {
    const input = linkFarm(SAMPLES, 4, 'unfinished');
    const out = tempDir('unfinished-out');
    const spec = JobSpecSchema.parse({ inputs: [input], output: out });
    const tmp = join(out, '.old.jpg.0badc0de-1.photopool-tmp');
    writeFileSync(tmp, 'partial');
    const journal = [
      { t: 'batch', v: 1, batchId: '0badc0de', spec, at: new Date().toISOString() },
      { t: 'start', i: join(input, 'x.jpg'), tmp, o: join(out, 'old.jpg') },
    ];
    writeFileSync(join(out, JOURNAL_NAME), journal.map((r) => JSON.stringify(r) + '\n').join(''));
    return { input, out, tmp, journal: readFileSync(join(out, JOURNAL_NAME), 'utf8') };
  }

  it('is refused without a terminal: exit 2 naming "photopool resume <out>" and --fresh; nothing touched', async () => {
    const { input, out, tmp, journal } = unfinished();
    const r = await runCli(['convert', input, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`photopool resume ${out}`);
    expect(r.stderr).toContain('--fresh');
    expect(readFileSync(join(out, JOURNAL_NAME), 'utf8')).toBe(journal);
    expect(readFileSync(tmp, 'utf8')).toBe('partial');
    expect(existsSync(join(out, LOCK_NAME))).toBe(false);
    const json = await runCli(['convert', input, '-o', out, '--json']);
    expect(json.code).toBe(2);
    expect(ofType(json.events, 'fatal')[0]).toMatchObject({ code: 'unfinished-batch' });
  });

  it('--fresh starts over: the old temporary files go, the new batch converts everything', async () => {
    const { input, out, tmp } = unfinished();
    const r = await runCli(['convert', input, '-o', out, '--fresh', '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(tmp)).toBe(false);
    expect(tmpFiles(out)).toEqual([]);
    expect(ofType(r.events, 'file-done')).toHaveLength(4);
    expect(readFileSync(join(out, JOURNAL_NAME), 'utf8')).not.toContain('0badc0de');
  });

  it('a batch that ended is simply replaced by the next one', async () => {
    const input = linkFarm(SAMPLES, 2, 'finished');
    const out = tempDir('finished-out');
    expect((await runCli(['convert', input, '-o', out])).code).toBe(0);
    const again = await runCli(['convert', input, '-o', out, '--collision', 'overwrite-output', '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(ofType(again.events, 'file-done')).toHaveLength(2);
  });
});
