/**
 * Scale-out (issue 16) on a real nats-server: a coordinator (`convert --nats`) and two
 * `photopool worker` processes give the same outputs, byte for byte, as a local batch; a file
 * a worker cannot decode fails as it does locally; nothing is left on the broker or in the
 * workers' temporary folders; inputs are unchanged.
 */
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobSpecSchema } from '../common/job.js';
import { RemoteTaskSchema } from '../common/remote-task.js';
import { HAVE_SHARED, hashTree, listFiles, ofType, runCli, SAMPLES, SHARED_PHOTOS, tempDir, tmpFiles } from './helpers.js';
import { Broker, HAVE_NATS, NATS_ENV, startWorker, type WorkerProc } from './nats-helpers.js';

// Quality 95: the noise image's output (~0.8 MB) is larger than a result message carries.
const RECIPE = ['--gray', '--resize', '1024x1024', '--format', 'jpeg', '-Q', '95'];
const outputs = (out: string) => listFiles(out).filter((f) => !f.startsWith('.photopool-journal'));
const hashes = (out: string) => Object.fromEntries(Object.entries(hashTree(out)).filter(([k]) => !k.startsWith('.photopool-journal')).map(([k, v]) => [k, v.split(':')[0]]));

/**
 * Samples, a few real photos, a truncated JPEG, a text file named .jpg, and a noise image whose
 * outputs are larger than a result message carries (they travel through the object store).
 */
async function corpus(): Promise<string> {
  const dir = tempDir('nats-in');
  cpSync(SAMPLES, join(dir, 'samples'), { recursive: true });
  if (HAVE_SHARED) for (const f of readdirSync(SHARED_PHOTOS).filter((f) => f.endsWith('.jpg')).slice(0, 4)) cpSync(join(SHARED_PHOTOS, f), join(dir, 'photos', f));
  const jpeg = readFileSync(join(SAMPLES, 'coffee.jpg'));
  writeFileSync(join(dir, 'cut.jpg'), jpeg.subarray(0, Math.floor(jpeg.length / 3)));
  writeFileSync(join(dir, 'notes.jpg'), 'not an image at all\n');
  await sharp({ create: { width: 1200, height: 1200, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
    .png({ compressionLevel: 1 })
    .toFile(join(dir, 'noise.png'));
  return dir;
}

describe('the remote task schema', () => {
  const spec = JobSpecSchema.parse({ inputs: ['in'], output: 'out', ops: { grayscale: true } });
  const task = { v: 1, id: '7', batch: 'ab12cd34', object: 'in/7', name: 'trip/day 1/a.jpg', inputFormat: 'jpeg', format: 'jpeg', quality: 80, ops: spec.ops, limits: spec.limits, keepExif: false, keepIcc: false };
  it('takes a task that carries a recipe, an object name and a relative name', () => {
    expect(RemoteTaskSchema.safeParse(task).success).toBe(true);
  });
  it.each([
    ['an absolute name', { name: '/home/me/a.jpg' }],
    ['a name that climbs out', { name: 'trip/../../etc/passwd' }],
    ['a Windows drive', { name: 'C:\\photos\\a.jpg' }],
    ['an input path field', { input: '/home/me/a.jpg' }],
    ['a temporary path field', { tmp: '/out/.a.jpg.tmp' }],
    ['an object outside the inputs', { object: 'out/7/x' }],
    ['a logo watermark (a file of the coordinator)', { ops: { ...spec.ops, watermark: { image: '/home/me/logo.png', position: 'southeast', margin: 3, opacity: 0.5, size: 20 } } }],
  ])('refuses %s', (_, change) => {
    expect(RemoteTaskSchema.safeParse({ ...task, ...change }).success).toBe(false);
  });
});

describe.skipIf(!HAVE_NATS)('convert --nats with two workers (nats-server needed: apt-get install nats-server)', () => {
  let broker: Broker;
  let workers: WorkerProc[];
  beforeAll(async () => {
    broker = await Broker.start();
    workers = [startWorker(broker.url, 'w1'), startWorker(broker.url, 'w2')];
    await Promise.all(workers.map((w) => w.ready()));
  });
  afterAll(async () => {
    const codes = await Promise.all(workers.map((w) => w.stop()));
    await broker.stop();
    expect(codes, 'workers drain and exit 0 on SIGTERM').toEqual([0, 0]);
    for (const w of workers) expect(readdirSync(w.tmp), `${w.log()}`).toEqual([]);
  });

  it('gives the outputs of a local batch, byte for byte, and the same per-file failures', async () => {
    const input = await corpus();
    const before = hashTree(input);
    const local = tempDir('nats-local');
    const remote = tempDir('nats-remote');
    const l = await runCli(['convert', input, '-o', local, ...RECIPE, '--workers', '2', '--json']);
    const r = await runCli(['convert', input, '-o', remote, ...RECIPE, '--workers', '0', '--nats', broker.url, '--json'], { env: NATS_ENV });
    expect(r.code, r.stderr).toBe(3); // the two bad files
    expect(l.code).toBe(3);
    const failures = (run: typeof r) => ofType(run.events, 'file-failed').map((e) => [e.input, e.code]).sort();
    expect(failures(r)).toEqual(failures(l));
    expect(failures(r).find(([i]) => i!.endsWith('cut.jpg'))?.[1]).toMatch(/truncated|corrupt/);
    expect(hashes(remote)).toEqual(hashes(local));
    const images = listFiles(input).filter((f) => !/cut\.jpg|notes\.jpg|README/.test(f)).map((f) => f.replace(/\.\w+$/, '.jpg'));
    expect(outputs(remote)).toEqual(images.sort());
    for (const f of outputs(remote)) await expect(sharp(join(remote, f)).stats(), f).resolves.toBeTruthy();
    expect(tmpFiles(remote)).toEqual([]);
    expect(hashTree(input)).toEqual(before);
    expect(await broker.streams()).toEqual({ PHOTOPOOL_TASKS: 0 });
    expect(ofType(r.events, 'cluster')[0]).toMatchObject({ state: 'connected' });
    expect(Math.max(...ofType(r.events, 'file-done').map((e) => e.outputBytes))).toBeGreaterThan(512 * 1024);
  });

  it('lets the local pool take part (--workers 1 --nats): same outputs', async () => {
    const input = await corpus();
    const local = tempDir('nats-local1');
    const mixed = tempDir('nats-mixed');
    const big = ['--resize', '1600x1600', '--format', 'png'];
    await runCli(['convert', input, '-o', local, ...big, '--workers', '1', '--json']);
    const r = await runCli(['convert', input, '-o', mixed, ...big, '--workers', '1', '--nats', broker.url, '--nats-window', '2', '--json'], { env: NATS_ENV });
    expect(r.code, r.stderr).toBe(3);
    expect(hashes(mixed)).toEqual(hashes(local));
    expect(await broker.streams()).toEqual({ PHOTOPOOL_TASKS: 0 });
  });

  it('a target file size converts remotely as locally, and reports the quality it chose', async () => {
    const input = tempDir('nats-size-in');
    cpSync(join(SAMPLES, 'coffee.jpg'), join(input, 'coffee.jpg'));
    const recipe = ['--resize', '600x600', '--format', 'jpeg', '-Q', '95', '--max-size', '20KB', '--workers', '0', '--json'];
    const local = await runCli(['convert', input, '-o', tempDir('nats-size-local'), ...recipe.slice(0, -3), '--workers', '1', '--json']);
    const r = await runCli(['convert', input, '-o', tempDir('nats-size-remote'), ...recipe, '--nats', broker.url], { env: NATS_ENV });
    expect(r.code, r.stderr).toBe(0);
    const [remote] = ofType(r.events, 'file-done');
    const [here] = ofType(local.events, 'file-done');
    expect(here!.quality).toBeLessThan(95); // the target forced a lower quality...
    expect(remote!.quality).toBe(here!.quality); // ...which the remote result carries back
    expect(remote!.outputBytes).toBe(here!.outputBytes);
  });

  it('a worker refuses a task that fails the task schema (a path of the coordinator, no object)', async () => {
    const nc = await connect({ servers: broker.url });
    await jetstream(nc).publish('photopool.task.evil', JSON.stringify({ v: 1, id: '1', batch: 'evil', object: 'in/1', name: '/etc/passwd', input: '/etc/passwd' }));
    await nc.close();
    for (let i = 0; i < 50 && !workers.some((w) => w.log().includes('refused')); i++) await new Promise((r) => setTimeout(r, 100));
    expect(workers.map((w) => w.log()).join('')).toMatch(/refused a task that does not match the task schema/);
    for (let i = 0; i < 20 && (await broker.ackPending()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await broker.ackPending()).toBe(0);
    expect(await broker.streams()).toEqual({ PHOTOPOOL_TASKS: 0 });
  });

  it('rejects bad --nats options naming the flag, and never prints a password', async () => {
    const input = await corpus();
    const bad = await runCli(['convert', input, '-o', tempDir('nats-bad'), '--nats', broker.url, '--nats-window', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--nats-window: expected/);
    const zero = await runCli(['convert', input, '-o', tempDir('nats-zero'), '--workers', '0']);
    expect(zero.code).toBe(2);
    expect(zero.stderr + zero.stdout).toMatch(/workers.*0 only with --nats/);
    const away = await runCli(['convert', input, '-o', tempDir('nats-away'), '--workers', '0', '--nats', 'nats://alice:s3cret@127.0.0.1:1', '--json']);
    expect(away.code).toBe(1);
    expect(away.stdout + away.stderr).toMatch(/cannot connect to the NATS broker at nats:\/\/127\.0\.0\.1:1/);
    expect(away.stdout + away.stderr).not.toMatch(/s3cret/);
  });
});
