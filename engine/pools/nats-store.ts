/**
 * The coordinator's side of one batch on the broker: its object store bucket (inputs and
 * outputs), its results stream, and the results consumer that settles waiting files. Every
 * result is matched to the one file waiting for it; a second result for the same task (a
 * redelivery finished twice) finds nobody waiting and is dropped with its output object:
 * every output exactly once, whatever the broker redelivers.
 */
import { AckPolicy, RetentionPolicy, type ConsumerMessages, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { Base64UrlPaddedCodec, Objm, type ObjectStore } from '@nats-io/obj';
import { natsNames, RemoteResultSchema, RESULT_HEADER, TASK_STREAM, type RemoteResult } from '../../common/remote-task.js';

/** A result and, for a small output, its bytes (the message's payload). */
export type Answer = RemoteResult & { payload: Uint8Array };
import { getObject, isNotFound, retrying } from './nats-connect.js';

const RESULTS_CONSUMER = 'coordinator';
/**
 * A result is settled (a map lookup) the moment it arrives, so a short ack wait costs nothing;
 * a result that was on the wire when the broker went down comes back after it, not after a minute.
 */
const RESULTS_ACK_WAIT_MS = 10_000;
/**
 * How long one pull of results lasts. After a reconnect the client checks the consumer before it
 * pulls again and, when that check fails (JetStream still loading its streams), waits this long:
 * the client's default (30 s) would stall the batch for half a minute after every broker restart.
 */
const RESULTS_PULL_EXPIRES_MS = 5_000;

export class BatchStore {
  private readonly waiting = new Map<string, (r: Answer) => void>();
  /** Output objects being fetched: a duplicate of their result must not delete them. */
  private readonly fetching = new Set<string>();
  private messages: ConsumerMessages | undefined;
  private closed = false;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly os: ObjectStore,
    readonly batch: string,
  ) {}

  /**
   * Create the batch's bucket and results stream and start receiving results; leftovers of
   * `previous` batches (a resumed batch's earlier runs) are deleted first.
   *
   * @example
   * const store = await BatchStore.open(js, jsm, '1a2b3c4d', []);
   */
  static async open(js: JetStreamClient, jsm: JetStreamManager, batch: string, previous: string[]): Promise<BatchStore> {
    for (const old of previous) await removeBatch(jsm, old);
    const n = natsNames(batch);
    const os = await retrying(() => new Objm(js).create(n.bucket));
    await retrying(() => jsm.streams.add({ name: n.resultStream, subjects: [n.resultSubject], retention: RetentionPolicy.Workqueue }));
    await retrying(() => jsm.consumers.add(n.resultStream, { durable_name: RESULTS_CONSUMER, ack_policy: AckPolicy.Explicit, ack_wait: RESULTS_ACK_WAIT_MS * 1e6 }));
    const store = new BatchStore(js, jsm, os, batch);
    void store.receive();
    return store;
  }

  /** Wait for the result of task `id` (call before publishing it). */
  expect(id: string): Promise<Answer> {
    return new Promise((resolve) => this.waiting.set(id, resolve));
  }

  /**
   * The bytes of an output object, which a duplicate result does not delete meanwhile.
   *
   * @example
   * const bytes = await store.fetch('out/7/ab12cd34', { signal });
   */
  async fetch(name: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array | null> {
    this.fetching.add(name);
    try {
      return await retrying(() => getObject(this.js, this.jsm, this.os, name), opts);
    } finally {
      this.fetching.delete(name);
    }
  }

  /** Nobody waits for `id` any more (cancelled): a result that still comes is dropped. */
  forget(id: string): void {
    this.waiting.delete(id);
  }

  /**
   * Delete an object, its chunks and its metadata; best effort (the bucket goes with the batch
   * anyway). Not `os.delete()`: that leaves a tombstone per object, which keeps every block of
   * the broker's file store alive, so the store would grow with the batch. `nuid` (the object's id, from its put) saves looking it up.
   */
  drop(name: string, nuid?: string): void {
    void (async () => {
      const info = nuid ? { nuid } : await this.os.info(name);
      if (!info) return;
      const stream = `OBJ_${natsNames(this.batch).bucket}`;
      const prefix = `$O.${natsNames(this.batch).bucket}`;
      await Promise.all([
        this.jsm.streams.purge(stream, { filter: `${prefix}.C.${info.nuid}` }),
        this.jsm.streams.purge(stream, { filter: `${prefix}.M.${Base64UrlPaddedCodec.encode(name)}` }),
      ]);
    })().catch(() => undefined);
  }

  /** Stop receiving and delete the batch's bucket, results stream and queued tasks. */
  async close(): Promise<void> {
    this.closed = true;
    await this.messages?.close().catch(() => undefined);
    await removeBatch(this.jsm, this.batch);
  }

  private async receive(): Promise<void> {
    const n = natsNames(this.batch);
    while (!this.closed) {
      try {
        const consumer = await this.js.consumers.get(n.resultStream, RESULTS_CONSUMER);
        this.messages = await consumer.consume({ max_messages: 256, expires: RESULTS_PULL_EXPIRES_MS });
        if (this.closed) await this.messages.close();
        for await (const m of this.messages) {
          this.settle(m.headers?.get(RESULT_HEADER) ?? '', m.data);
          m.ack();
        }
      } catch {
        /* the broker went away: consume again once it is back */
      }
      if (!this.closed) await new Promise((r) => setTimeout(r, 500));
    }
  }

  private settle(header: string, payload: Uint8Array): void {
    let r: RemoteResult;
    try {
      r = RemoteResultSchema.parse(JSON.parse(header));
    } catch {
      return; // not ours: a result must pass the schema
    }
    const resolve = this.waiting.get(r.id);
    this.waiting.delete(r.id);
    if (resolve) resolve({ ...r, payload });
    else if (r.result.ok && r.result.object && !this.fetching.has(r.result.object)) this.drop(r.result.object); // a duplicate: its file is settled already
  }
}

/**
 * Delete what a batch left on the broker: its bucket, results stream and queued tasks.
 * Missing pieces are fine; a broker that stays away gives up after 10 s.
 */
export async function removeBatch(jsm: JetStreamManager, batch: string): Promise<void> {
  const n = natsNames(batch);
  const quietly = async (fn: () => Promise<unknown>) => {
    try {
      await retrying(fn, { forMs: 10_000 });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  };
  await quietly(() => jsm.streams.purge(TASK_STREAM, { filter: n.taskSubject }));
  await quietly(() => jsm.streams.delete(n.resultStream));
  await quietly(() => jsm.streams.delete(`OBJ_${n.bucket}`));
}
