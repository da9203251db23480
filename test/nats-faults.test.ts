/**
 * Scale-out faults (issue 16) on a real nats-server: a worker SIGKILLed mid-file, the broker
 * restarted mid-batch, the coordinator SIGKILLed and resumed. Each asserts that the output set
 * equals the input set, every output decodes, no temporary file or broker object is left,
 * inputs are unchanged, and nothing committed is converted twice.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, describe, expect, it } from 'vitest';
import { HAVE_SHARED, hashTree, linkFarm, listFiles, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles } from './helpers.js';
import { Broker, HAVE_NATS, NATS_ENV, startWorker, type WorkerProc } from './nats-helpers.js';

const RECIPE = ['--gray', '--resize', '1024x1024', '--format', 'jpeg'];
const outputs = (out: string) => listFiles(out).filter((f) => !f.startsWith('.photopool-journal'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let broker: Broker | undefined;
let workers: WorkerProc[] = [];
afterEach(async () => {
  for (const w of workers) w.killHard();
  await broker?.stop();
  workers = [];
  broker = undefined;
});

/** Outputs = inputs (as .jpg), all decode, nothing temporary, nothing on the broker, inputs intact. */
async function complete(input: string, out: string, before: Record<string, string>, ws: WorkerProc[]): Promise<void> {
  expect(outputs(out)).toEqual(listFiles(input).map((f) => f.replace(/\.\w+$/, '.jpg')).sort());
  for (const f of outputs(out)) await expect(sharp(join(out, f)).stats(), f).resolves.toBeTruthy();
  expect(tmpFiles(out)).toEqual([]);
  expect(hashTree(input)).toEqual(before);
  expect(await broker!.streams()).toEqual({ PHOTOPOOL_TASKS: 0 });
  for (const w of ws) expect(await w.stop()).toBe(0);
  for (const w of ws) expect(readdirSync(w.tmp)).toEqual([]);
}

describe.skipIf(!HAVE_NATS)('scale-out faults (nats-server needed: apt-get install nats-server)', () => {
  it('a worker SIGKILLed mid-file: its task comes back after the ack wait and finishes on another worker', async () => {
    broker = await Broker.start();
    const input = linkFarm(SAMPLES, 8, 'nats-kill');
    const before = hashTree(input);
    const out = tempDir('nats-kill-out');
    // The first worker's conversion processes hang on every file: it holds one task, heartbeating.
    const doomed = startWorker(broker.url, 'doomed', 1, { PHOTOPOOL_FAULT: 'hang:photopool-worker-' });
    await doomed.ready();
    workers.push(doomed);
    const run = runCli(['convert', input, '-o', out, ...RECIPE, '--workers', '0', '--nats', broker.url, '--json'], { env: NATS_ENV });
    for (let i = 0; i < 100 && (await broker.ackPending()) === 0; i++) await sleep(100);
    expect(await broker.ackPending()).toBe(1);
    await sleep(2500); // longer than the ack wait: heartbeats keep the task with the hung worker
    expect(await broker.ackPending()).toBe(1);
    doomed.killHard();
    const rescuer = startWorker(broker.url, 'rescuer', 1);
    workers.push(rescuer);
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'file-done')).toHaveLength(8);
    expect(rescuer.log()).toMatch(/comes back \(delivery 2\)/);
    await complete(input, out, before, [rescuer]);
  });

  // Right after a restart the broker takes connections before JetStream has loaded its
  // streams: requests then find no responders ("jetstream is not enabled"), which must be
  // waited out like a timeout, not stop the batch (the regression of session 3).
  it('the broker stopped and restarted mid-batch: the batch waits, says so, and finishes', async () => {
    broker = await Broker.start();
    const input = linkFarm(HAVE_SHARED ? SHARED_PHOTOS : SAMPLES, 24, 'nats-restart');
    const before = hashTree(input);
    const out = tempDir('nats-restart-out');
    workers = [startWorker(broker.url, 'w1'), startWorker(broker.url, 'w2')];
    await Promise.all(workers.map((w) => w.ready()));
    let restarted: Promise<void> | undefined;
    const r = await runCli(['convert', input, '-o', out, ...RECIPE, '--workers', '0', '--nats', broker.url, '--nats-window', '4', '--json'], {
      env: NATS_ENV,
      onEvent: (e) => {
        if (e.type === 'file-done' && !restarted) restarted = broker!.stop().then(() => sleep(1500)).then(() => broker!.up());
      },
    });
    await restarted;
    expect(r.code, r.stderr).toBe(0);
    expect(ofType(r.events, 'cluster').map((e) => e.state)).toEqual(['connected', 'disconnected', 'reconnected']);
    const done = ofType(r.events, 'file-done').map((e) => e.input);
    expect(new Set(done).size).toBe(24); // every file once
    expect(done).toHaveLength(24);
    await complete(input, out, before, workers);
  });

  it('the coordinator SIGKILLed: resume --nats finishes without redoing a committed file', async () => {
    broker = await Broker.start();
    const input = linkFarm(HAVE_SHARED ? SHARED_PHOTOS : SAMPLES, 24, 'nats-coord');
    const before = hashTree(input);
    const out = tempDir('nats-coord-out');
    workers = [startWorker(broker.url, 'w1'), startWorker(broker.url, 'w2')];
    await Promise.all(workers.map((w) => w.ready()));
    const first = await runCli(['convert', input, '-o', out, ...RECIPE, '--workers', '0', '--nats', broker.url, '--json'], {
      env: NATS_ENV,
      onEvent: (e, kill) => {
        if (e.type === 'file-done' && e.input.includes('00004-')) kill();
      },
    });
    expect(first.signal ?? first.code).toBeTruthy();
    const committedBefore = ofType(first.events, 'file-done').map((e) => e.input);
    expect(committedBefore.length).toBeGreaterThan(0);
    expect(committedBefore.length).toBeLessThan(24);
    const second = await runCli(['resume', out, '--nats', broker.url, '--json'], { env: NATS_ENV });
    expect(second.code, second.stderr).toBe(0);
    const redone = ofType(second.events, 'file-done').map((e) => e.input);
    expect(redone.filter((i) => committedBefore.includes(i))).toEqual([]);
    const last = ofType(second.events, 'done')[0]!;
    expect(last.totals.done).toBe(24);
    expect(last.totals.doneBefore + redone.length).toBe(24);
    await complete(input, out, before, workers);
  });

  it('a worker drains and exits 0 on SIGTERM even while the broker is down', async () => {
    broker = await Broker.start();
    const w = startWorker(broker.url, 'lonely');
    workers.push(w);
    await w.ready();
    await broker.stop();
    const t0 = Date.now();
    expect(await w.stop()).toBe(0);
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(readdirSync(w.tmp)).toEqual([]);
  });
});
