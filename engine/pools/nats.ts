/**
 * The cluster pool of a `--nats` batch: the local pool (when `workers` > 0) plus remote
 * `photopool worker`s reached through NATS JetStream, behind the same TaskPool interface, so
 * the batch plans, journals and commits exactly as it does locally.
 *
 * A task routed to the cluster: the input is read here (regular files only, size limit),
 * put into the batch's object store, and one task message (recipe, object name, relative
 * name: no path of this machine) is published to the shared work queue. A worker pulls it,
 * converts the bytes and puts the output back; its result settles the file here, which writes
 * the output bytes to the task's temporary path. The batch then journals and renames it as
 * for any local file. At most `window` files are on the broker at once, so memory and broker
 * storage do not grow with the batch. A remote file's time limit runs on its worker; a worker
 * that dies leaves its task to the broker's redelivery.
 */
import { setMaxListeners } from 'node:events';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, relative, sep } from 'node:path';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EngineEvent } from '../../common/events.js';
import { natsNames, redactUrl, type NatsOptions, type RemoteTask } from '../../common/remote-task.js';
import type { ConvertResult, ConvertTask } from '../../common/task.js';
import { classify } from '../../common/classify.js';
import { InvalidOptionsError } from '../../common/validate.js';
import { connectNats, ensureTaskQueue, jetstreamManager, retrying } from './nats-connect.js';
import { BatchStore } from './nats-store.js';
import { abortError, type TaskPool } from './types.js';

export interface NatsPoolOptions {
  nats: NatsOptions;
  batchId: string;
  /** The batch's input roots: a task names its file relative to its root. */
  inputs: string[];
  /** Earlier runs of a resumed batch: what they left on the broker is deleted. */
  previousBatchIds: string[];
  /** Local workers taking part (0: remote workers only) and how to start them. */
  localWorkers: number;
  makeLocal: (size: number) => TaskPool;
  /** Nothing for remote workers (the recipe names a file of this machine: a logo watermark). */
  localOnly: boolean;
  /** The batch's cancel signal: the only thing that aborts a remote file. */
  cancel: AbortSignal;
  onEvent: (e: EngineEvent) => void;
}

type Failed = Extract<ConvertResult, { ok: false }>;
const failed = (code: Failed['code'], detail: string): Failed => ({ ok: false, code, detail, ms: 0, threadId: -1 });

export class NatsPool implements TaskPool {
  private local: TaskPool | null;
  private localTarget: number;
  private localRunning = 0;
  private remoteRunning = 0;
  private seq = 0;
  private readonly js;
  private readonly subject: string;
  private readonly stopStatus: () => void;

  private constructor(
    private readonly nc: NatsConnection,
    private readonly store: BatchStore,
    private readonly o: NatsPoolOptions,
  ) {
    this.localTarget = o.localWorkers;
    this.local = o.localWorkers > 0 ? o.makeLocal(o.localWorkers) : null;
    this.js = jetstream(nc);
    this.subject = natsNames(o.batchId).taskSubject;
    this.stopStatus = this.watch();
    setMaxListeners(2 * o.nats.window + 10, o.cancel); // each file on the broker listens for a cancel
  }

  /**
   * Connect, set up the batch on the broker and start the local pool.
   *
   * @example
   * const pool = await NatsPool.open({ nats: { url: 'nats://127.0.0.1:4222', window: 32 }, batchId, inputs, previousBatchIds: [], localWorkers: 0, makeLocal, cancel, onEvent });
   */
  static async open(o: NatsPoolOptions): Promise<NatsPool> {
    if (o.localOnly && o.localWorkers === 0) {
      throw new InvalidOptionsError([{ field: 'workers', expected: 'at least 1: a logo watermark is a file of this machine, remote workers cannot read it', received: '0' }]);
    }
    const nc = await connectNats(o.nats, `photopool-coordinator-${o.batchId}`);
    try {
      const jsm = await jetstreamManager(nc);
      await ensureTaskQueue(jsm);
      const store = await BatchStore.open(jetstream(nc), jsm, o.batchId, o.previousBatchIds);
      o.onEvent({ type: 'cluster', state: 'connected', server: redactUrl(nc.getServer()) });
      return new NatsPool(nc, store, o);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /** Local workers. */
  get size(): number {
    return this.localTarget;
  }
  get running(): number {
    return this.localRunning + this.remoteRunning;
  }
  /** Local threads or processes alive (remote workers are not counted). */
  get alive(): number {
    return this.local?.alive ?? 0;
  }
  /** Files the batch may give beyond its local workers: the remote window. */
  get extra(): number {
    return this.o.localOnly ? 0 : this.o.nats.window;
  }

  async run(task: ConvertTask, signal?: AbortSignal): Promise<ConvertResult> {
    if (!this.local || (!this.o.localOnly && this.localRunning >= this.localTarget)) return this.remote(task);
    this.localRunning++;
    try {
      return await this.local.run(task, signal);
    } finally {
      this.localRunning--;
    }
  }

  resize(size: number): void {
    this.localTarget = size;
    if (this.local) this.local.resize(size);
    else if (size > 0) this.local = this.o.makeLocal(size);
  }

  async close(): Promise<void> {
    this.stopStatus();
    await Promise.all([this.local?.close(), this.store.close().catch(() => undefined)]);
    await this.nc.close().catch(() => undefined);
  }

  private async remote(task: ConvertTask): Promise<ConvertResult> {
    const { cancel } = this.o;
    if (cancel.aborted) throw abortError();
    this.remoteRunning++;
    const id = String(++this.seq);
    const object = `in/${id}`;
    let output: string | undefined;
    /** The input object's id on the broker (its chunks' subject); null: the input could not be read. */
    let uploaded: string | null | undefined;
    try {
      const keep = { signal: cancel };
      const up = await this.upload(task, object, keep);
      if (typeof up !== 'string') return ((uploaded = null), up);
      uploaded = up;
      const answer = this.store.expect(id);
      const message: RemoteTask = { v: 1, id, batch: this.o.batchId, object, name: this.displayName(task.input), inputFormat: task.inputFormat, format: task.format, quality: task.quality, ops: task.ops, limits: task.limits, keepExif: task.keepExif, keepIcc: task.keepIcc };
      await retrying(() => this.js.publish(this.subject, JSON.stringify(message), { msgID: `${this.o.batchId}.${id}` }), keep);
      const { result, worker, payload } = await untilCancelled(answer, cancel);
      if (!result.ok) return failed(result.code, `${result.detail} (on ${worker})`);
      output = result.object;
      const out = output ? await this.store.fetch(output, keep) : payload;
      if (!out) return failed('worker-crashed', `the output of ${worker} vanished from the broker's object store`);
      try {
        await fs.mkdir(dirname(task.tmp), { recursive: true });
        await fs.writeFile(task.tmp, out, { flag: 'wx' });
        if (task.keepMtime) {
          const st = await fs.stat(task.input);
          await fs.utimes(task.tmp, st.atime, st.mtime);
        }
      } catch (err) {
        await fs.rm(task.tmp, { force: true });
        return failed(classify(err, 'write', task.tmp), (err as Error).message);
      }
      const { object: _, ...converted } = result;
      return { ...converted, threadId: -1, remote: worker };
    } catch (err) {
      if (cancel.aborted) throw abortError();
      return failed('cluster-unreachable', `${(err as Error).message} (broker ${redactUrl(this.o.nats.url)})`);
    } finally {
      this.remoteRunning--;
      this.store.forget(id);
      if (uploaded !== null) this.store.drop(object, uploaded);
      if (output) this.store.drop(output);
    }
  }

  /** Put the input's bytes on the broker (not kept here while the file is away): the object's id, or a failure when it cannot be read. */
  private async upload(task: ConvertTask, object: string, keep: { signal: AbortSignal }): Promise<Failed | string> {
    const input = await readInput(task);
    if (!Buffer.isBuffer(input)) return input;
    return (await retrying(() => this.store.os.putBlob({ name: object }, input), keep)).nuid;
  }

  /** The file's path below its input root (its name alone when it was given as a file). */
  private displayName(input: string): string {
    for (const root of this.o.inputs) {
      const rel = relative(root, input);
      if (rel && !rel.startsWith('..') && rel !== input) return rel.split(sep).join('/');
    }
    return basename(input);
  }

  /** Tell the batch's clients when the broker goes away and comes back. */
  private watch(): () => void {
    let stopped = false;
    void (async () => {
      for await (const s of this.nc.status()) {
        if (stopped) break;
        const server = redactUrl(this.nc.getServer());
        if (s.type === 'disconnect') this.o.onEvent({ type: 'cluster', state: 'disconnected', server, detail: 'files on the broker wait; the batch goes on when it is back' });
        if (s.type === 'reconnect') this.o.onEvent({ type: 'cluster', state: 'reconnected', server });
      }
    })();
    return () => (stopped = true);
  }
}

/** Read an input as a worker would: regular files only, within the size limit. */
async function readInput(task: ConvertTask): Promise<Buffer | Failed> {
  try {
    const fh = await fs.open(task.input, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      const st = await fh.stat();
      if (!st.isFile()) return failed('not-a-regular-file', 'not a regular file');
      if (st.size > task.limits.maxFileBytes) return failed('too-large', `${st.size} bytes > limit ${task.limits.maxFileBytes}`);
      return await fh.readFile();
    } finally {
      await fh.close();
    }
  } catch (err) {
    return failed(classify(err, 'read', task.input), (err as Error).message);
  }
}

function untilCancelled<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
