/**
 * NATS plumbing shared by the coordinator (engine/pools/nats.ts) and `photopool worker`:
 * connecting with credentials/TLS (read from files, never echoed), the shared work queue, and
 * a retry helper that waits out a broker restart.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { AckPolicy, DeliverPolicy, jetstreamManager, RetentionPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { setSha256Backend, type ObjectStore } from '@nats-io/obj';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { redactUrl, TASK_STREAM, WORKERS_CONSUMER, type NatsOptions } from '../../common/remote-task.js';

// The object store's SHA-256 of every object put: Node's native hash, not the default pure-JS
// one (which cost the coordinator ~10 ms of CPU per 0.7 MB photo).
setSha256Backend('native');

/** How long an unacknowledged task waits before another worker gets it (PHOTOPOOL_NATS_ACK_WAIT_MS; default 30 s). */
export const ACK_WAIT_MS = Number(process.env.PHOTOPOOL_NATS_ACK_WAIT_MS) > 0 ? Number(process.env.PHOTOPOOL_NATS_ACK_WAIT_MS) : 30_000;
/** Tasks handed out and not yet acknowledged, over all workers. */
export const MAX_ACK_PENDING = 4096;

/**
 * Connect for good: reconnects forever after a broker restart. A failure says which server
 * (without credentials) and what to do.
 *
 * @example
 * const nc = await connectNats({ url: 'nats://127.0.0.1:4222', window: 32 }, 'photopool-coordinator');
 */
export async function connectNats(opts: NatsOptions, name: string): Promise<NatsConnection> {
  const servers = opts.url.split(',').map((s) => s.trim());
  let authenticator;
  if (opts.creds) {
    const creds = readFileSync(opts.creds); // ENOENT names the file, not its content
    authenticator = credsAuthenticator(new Uint8Array(creds));
  }
  try {
    return await connect({
      servers,
      name,
      authenticator,
      tls: opts.tlsCa ? { caFile: opts.tlsCa } : undefined,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 500,
      timeout: 5000,
    });
  } catch (err) {
    throw new Error(`cannot connect to the NATS broker at ${redactUrl(opts.url)}: ${(err as Error).message}. Start it with "nats-server -js" or check --nats.`, { cause: err });
  }
}

/**
 * Create the shared work queue and its durable pull consumer when missing (the first
 * coordinator or worker to start does it).
 *
 * @example
 * await ensureTaskQueue(await jetstreamManager(nc));
 */
export async function ensureTaskQueue(jsm: JetStreamManager): Promise<void> {
  await retrying(async () => {
    try {
      await jsm.streams.info(TASK_STREAM);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.streams.add({ name: TASK_STREAM, subjects: ['photopool.task.>'], retention: RetentionPolicy.Workqueue }).catch(ignoreExists);
    }
    try {
      await jsm.consumers.info(TASK_STREAM, WORKERS_CONSUMER);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      await jsm.consumers
        .add(TASK_STREAM, { durable_name: WORKERS_CONSUMER, ack_policy: AckPolicy.Explicit, ack_wait: ACK_WAIT_MS * 1e6, max_ack_pending: MAX_ACK_PENDING, max_deliver: -1 })
        .catch(ignoreExists);
    }
  });
}

/** The consumer's ack wait in ms (what a worker's heartbeats must beat). */
export async function ackWaitMs(jsm: JetStreamManager): Promise<number> {
  const info = await jsm.consumers.info(TASK_STREAM, WORKERS_CONSUMER);
  return Math.max(1, Math.round((info.config.ack_wait ?? ACK_WAIT_MS * 1e6) / 1e6));
}

export { jetstreamManager };

export function isNotFound(err: unknown): boolean {
  return /not found/i.test((err as Error)?.message ?? '');
}

function ignoreExists(err: unknown): void {
  if (!/already (exists|in use)/i.test((err as Error)?.message ?? '')) throw err;
}

/** What the NATS clients throw while a broker restarts (their names: messages vary between versions). */
const TRANSIENT_NAMES = new Set(['TimeoutError', 'NoRespondersError', 'ConnectionError', 'ClosedConnectionError', 'JetStreamNotEnabled']);

/**
 * Errors that a broker restart or a slow broker causes: worth another try. Right after a
 * restart the broker takes connections before JetStream has loaded its streams: a JetStream
 * request then finds no responders, which the client reports as "jetstream is not enabled"
 * (a `JetStreamNotEnabled` caused by a `NoRespondersError`). A broker that never had
 * JetStream is refused once at connection time (`jetstreamManager`), so here it is transient.
 *
 * @example
 * isTransient(new Error('timeout')) // true
 */
export function isTransient(err: unknown): boolean {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (TRANSIENT_NAMES.has((e as Error).name) || TRANSIENT_NAMES.has((e as object).constructor?.name)) return true;
    const m = `${(e as Error)?.message ?? e} ${(e as { code?: string })?.code ?? ''}`;
    if (/timeout|timed out|disconnect|connection|closed|no responders|503|reconnect|jetstream (is )?not (enabled|available)|temporarily unavailable|insufficient resources/i.test(m)) return true;
  }
  return false;
}

/**
 * Run `fn`; while it fails with a transient error, try again every `everyMs` for at most
 * `forMs` (default 5 minutes), then throw the last error. `signal` stops waiting.
 *
 * @example
 * await retrying(() => os.putBlob({ name }, data), { signal });
 */
export async function retrying<T>(fn: () => Promise<T>, opts: { signal?: AbortSignal; forMs?: number; everyMs?: number; onRetry?: (err: unknown) => void } = {}): Promise<T> {
  const until = Date.now() + (opts.forMs ?? 300_000);
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!isTransient(err) || Date.now() > until || opts.signal?.aborted) throw err;
      opts.onRetry?.(err);
      await new Promise((r) => setTimeout(r, opts.everyMs ?? 500));
    }
  }
}

/** A transfer from the object store that receives nothing for this long is abandoned (and retried). */
export const STALL_MS = 10_000;

/**
 * An object's bytes (digest checked), or null when there is no such object. Not
 * `os.getBlob()`: with nats-server 2.9 each call leaves an ordered push consumer behind on the
 * broker (a directory in its store and memory, for good: 5 000 gets left 5 000 of them), and a
 * transfer cut by a broker restart could wait forever. Here one short-lived pull consumer per
 * object fetches its chunks and is deleted (the broker also drops it after 30 s idle); a fetch
 * that does not bring every chunk in time fails with a "timeout" (transient: {@link retrying}
 * tries again).
 *
 * @example
 * const bytes = await retrying(() => getObject(js, jsm, os, 'in/7'), { signal });
 */
export async function getObject(js: JetStreamClient, jsm: JetStreamManager, os: ObjectStore, name: string, stallMs = STALL_MS): Promise<Uint8Array | null> {
  const info = await os.info(name);
  if (!info || info.deleted) return null;
  if (info.size === 0) return new Uint8Array(0);
  const stream = `OBJ_${info.bucket}`;
  const ci = await jsm.consumers.add(stream, { ack_policy: AckPolicy.None, deliver_policy: DeliverPolicy.All, filter_subject: `$O.${info.bucket}.C.${info.nuid}`, inactive_threshold: 30e9, mem_storage: true });
  try {
    const consumer = await js.consumers.get(stream, ci.name);
    // at least 1 MB/s beyond the stall time: a large object on a slow link still arrives
    const batch = await consumer.fetch({ max_messages: info.chunks, expires: Math.round(stallMs + info.size / 1000) });
    const parts: Uint8Array[] = [];
    let size = 0;
    for await (const m of batch) {
      parts.push(m.data);
      size += m.data.length;
      if (parts.length === info.chunks) break;
    }
    if (size !== info.size) throw new Error(`timeout: ${size} of ${info.size} bytes of ${name} arrived from the broker`);
    const data = Buffer.concat(parts, size);
    const digest = createHash('sha256').update(data).digest('base64url');
    if (info.digest.replace(/^SHA-256=/, '').replace(/=+$/, '') !== digest) throw new Error(`${name} arrived corrupt from the broker (SHA-256 differs)`);
    return data;
  } finally {
    void jsm.consumers.delete(stream, ci.name).catch(() => undefined);
  }
}
