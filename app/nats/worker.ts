/**
 * `photopool worker`: N slots, each pulling one task at a time from the shared work queue (so
 * this machine never holds more tasks than it runs), converting it on a local pool of worker
 * processes with exactly the pipeline of a local batch (luma lane, pixel and size limits, time
 * limit, per-file errors), and answering with the output in the batch's object store. The
 * input is written to this worker's own temporary folder, the only thing it writes to disk.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { jetstream, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { headers, type NatsConnection } from '@nats-io/transport-node';
import { INLINE_OUTPUT_MAX, MAX_DELIVERIES, natsNames, RESULT_HEADER, redactUrl, RemoteTaskSchema, TASK_STREAM, WORKERS_CONSUMER, type NatsOptions, type RemoteResult, type RemoteTask } from '../../common/remote-task.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { createPool, type TaskPool } from '../../engine/pools/index.js';
import { ackWaitMs, connectNats, ensureTaskQueue, getObject, isNotFound, jetstreamManager, retrying } from '../../engine/pools/nats-connect.js';

/** Seconds a pool gets beyond sharp's own time limit before its process is killed (as a local batch). */
const KILL_GRACE_S = 5;
const PULL_EXPIRES_MS = 2000;
/** How long a transfer or an answer waits for a broker that went away before the task is handed back. */
const ANSWER_RETRY_MS = 15_000;

export interface WorkerOptions {
  nats: NatsOptions;
  /** Files converted at once (worker processes). */
  workers: number;
  /** This machine's name in lanes and results (`name/slot`). */
  name: string;
  /** Aborting it drains: no new task, running ones finish, then the worker returns. */
  signal: AbortSignal;
  /** One line per noteworthy thing (connection, refused task, drain). */
  log: (line: string) => void;
}

type Outcome = RemoteResult['result'];

/**
 * Run until `signal` aborts.
 *
 * @example
 * const ac = new AbortController(); process.once('SIGTERM', () => ac.abort());
 * await runWorker({ nats: { url: 'nats://broker:4222', window: 32 }, workers: 2, name: 'host1', signal: ac.signal, log: console.error });
 */
export async function runWorker(o: WorkerOptions): Promise<void> {
  const nc = await connectNats(o.nats, `photopool-worker-${o.name}`);
  const jsm = await jetstreamManager(nc);
  await ensureTaskQueue(jsm);
  const heartbeatMs = Math.max(100, Math.floor((await ackWaitMs(jsm)) / 3));
  const dir = await fs.mkdtemp(join(tmpdir(), 'photopool-worker-'));
  const pool = createPool('processes', o.workers);
  const w = new Worker(nc, jetstream(nc), jsm, pool, dir, heartbeatMs, o);
  o.log(`photopool worker ${o.name}: ${o.workers} worker(s), pulling from ${redactUrl(nc.getServer())}`);
  const status = w.watchStatus();
  try {
    await Promise.all(Array.from({ length: o.workers }, (_, i) => w.slot(i)));
    o.log(`photopool worker ${o.name}: drained, exiting`);
  } finally {
    await pool.close();
    await fs.rm(dir, { recursive: true, force: true });
    // drain() waits for a broker that may be gone for good: give it a moment, then close.
    await Promise.race([nc.drain().catch(() => undefined), new Promise((r) => setTimeout(r, 3000).unref())]);
    await nc.close().catch(() => undefined);
    await status;
  }
}

class Worker {
  private readonly stores = new Map<string, Promise<ObjectStore>>();

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly pool: TaskPool,
    private readonly dir: string,
    private readonly heartbeatMs: number,
    private readonly o: WorkerOptions,
  ) {}

  /**
   * One slot: pull a task, run it, answer; until drained. The answer (output upload, result,
   * ack) of one file overlaps the pull of the next: the slot holds at most one converting task.
   */
  async slot(lane: number): Promise<void> {
    let consumer: Consumer | undefined;
    let answering: Promise<void> = Promise.resolve();
    // A pull pending while the broker is away may never settle: a drain does not wait for it.
    const drained = new Promise<null>((r) => this.o.signal.addEventListener('abort', () => r(null), { once: true }));
    while (!this.o.signal.aborted) {
      let msg: JsMsg | null;
      try {
        consumer ??= await this.js.consumers.get(TASK_STREAM, WORKERS_CONSUMER);
        const pull = consumer.next({ expires: PULL_EXPIRES_MS });
        msg = await Promise.race([pull, drained]);
        if (this.o.signal.aborted) {
          void pull.then((late) => late?.nak(), () => undefined); // draining: another worker takes it now
          break;
        }
      } catch {
        consumer = undefined; // the broker is away: try again shortly
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (!msg) continue;
      let converted!: () => void;
      const free = new Promise<void>((r) => (converted = r));
      const whole = this.handle(msg, `${this.o.name}/${lane}`, converted).finally(converted);
      await free;
      await answering;
      answering = whole;
    }
    await answering;
  }

  /** Log connection changes; resolves when the connection closes. */
  async watchStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (s.type === 'disconnect') this.o.log(`photopool worker ${this.o.name}: lost the broker; running files finish, waiting for it to come back`);
      if (s.type === 'reconnect') this.o.log(`photopool worker ${this.o.name}: reconnected to ${redactUrl(this.nc.getServer())}`);
    }
  }

  /** Run one task; `onConverted` is called once the conversion is over (the upload follows). */
  private async handle(msg: JsMsg, worker: string, onConverted: () => void): Promise<void> {
    let task: RemoteTask;
    try {
      task = RemoteTaskSchema.parse(JSON.parse(msg.string()));
    } catch (err) {
      this.o.log(`photopool worker ${this.o.name}: refused a task that does not match the task schema (${(err as Error).message.slice(0, 300)})`);
      msg.term(); // (no reason: nats-server 2.9 ignores a +TERM that carries one)
      return;
    }
    const names = natsNames(task.batch);
    const answer = async (result: Outcome, output?: Uint8Array) => {
      const h = headers();
      h.set(RESULT_HEADER, JSON.stringify({ v: 1, id: task.id, worker, result } satisfies RemoteResult));
      // A broker restart while the file ran: wait it out (heartbeats go on) rather than convert again.
      await retrying(() => this.js.publish(names.resultSubject, output, { headers: h }), { forMs: ANSWER_RETRY_MS });
      msg.ack();
    };
    // The file's own name last: messages (and fault injection in tests) see it.
    const stem = join(this.dir, `${task.batch}-${task.id}-${randomUUID().slice(0, 8)}`);
    const inPath = `${stem}-${basename(task.name).replace(/[^\w.-]/g, '_')}`;
    const outPath = `${stem}.out`;
    const beat = setInterval(() => safely(() => msg.working()), this.heartbeatMs);
    try {
      if (msg.info.deliveryCount > 1) this.o.log(`photopool worker ${this.o.name}: ${task.name} comes back (delivery ${msg.info.deliveryCount}): the worker that had it stopped or went silent`);
      if (msg.info.deliveryCount > MAX_DELIVERIES) {
        const detail = `handed to ${MAX_DELIVERIES} workers, none of which finished it (each stopped: killed, out of memory or cut off)`;
        return await answer({ ok: false, code: 'worker-crashed', detail, ms: 0 });
      }
      const brief = { forMs: ANSWER_RETRY_MS };
      const os = await retrying(() => this.store(task.batch), brief);
      const data = await retrying(() => getObject(this.js, this.jsm, os, task.object), brief);
      if (!data) return msg.term(); // input gone: the batch finished or was cancelled
      await fs.writeFile(inPath, data);
      const r = await this.convert(task, inPath, outPath);
      onConverted();
      if (!r.ok) return await answer({ ok: false, code: r.code, detail: r.detail.replaceAll(inPath, task.name), ms: r.ms });
      const { threadId: _, ...converted } = r;
      const output = await fs.readFile(outPath);
      if (output.length <= INLINE_OUTPUT_MAX) return await answer(converted, output); // one object-store round trip less
      const object = `out/${task.id}/${basename(stem).slice(-8)}`;
      await retrying(() => os.putBlob({ name: object }, output), brief);
      await answer({ ...converted, object });
    } catch (err) {
      if (isNotFound(err)) {
        this.stores.delete(task.batch);
        msg.term(); // the batch is gone: its coordinator finished or cancelled it
      } else {
        this.o.log(`photopool worker ${this.o.name}: ${task.name}: ${(err as Error).message}; handing it back`);
        safely(() => msg.nak(1000));
      }
    } finally {
      clearInterval(beat);
      await Promise.all([fs.rm(inPath, { force: true }), fs.rm(outPath, { force: true })]);
    }
  }

  /** The local pipeline on the bytes: a local pool task on this worker's temporary files. */
  private async convert(task: RemoteTask, input: string, tmp: string): Promise<ConvertResult> {
    const local: ConvertTask = { input, tmp, inputFormat: task.inputFormat, format: task.format, quality: task.quality, ops: task.ops, limits: task.limits, keepExif: task.keepExif, keepIcc: task.keepIcc, keepMtime: false };
    const timeout = AbortSignal.timeout((task.limits.timeoutSeconds + KILL_GRACE_S) * 1000);
    try {
      return await this.pool.run(local, timeout);
    } catch (err) {
      return { ok: false, code: timeout.aborted ? 'timed-out' : 'worker-crashed', detail: (err as Error).message, ms: 0, threadId: -1 };
    }
  }

  private store(batch: string): Promise<ObjectStore> {
    let s = this.stores.get(batch);
    if (!s) {
      s = new Objm(this.js).open(natsNames(batch).bucket);
      s.catch(() => this.stores.delete(batch));
      this.stores.set(batch, s);
    }
    return s;
  }
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    /* the connection is closed: the broker redelivers after the ack wait */
  }
}
