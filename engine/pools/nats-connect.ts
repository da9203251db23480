/**
 * NATS plumbing shared by the coordinator (engine/pools/nats.ts) and `photopool worker`:
 * connecting with credentials/TLS (read from files, never echoed), the shared work queue, and
 * a retry helper that waits out a broker restart.
 */
import { readFileSync } from 'node:fs';
import { AckPolicy, jetstreamManager, RetentionPolicy, type JetStreamManager } from '@nats-io/jetstream';
import { connect, credsAuthenticator, type NatsConnection } from '@nats-io/transport-node';
import { redactUrl, TASK_STREAM, WORKERS_CONSUMER, type NatsOptions } from '../../common/remote-task.js';

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

/** Errors that a broker restart or a slow broker causes: worth another try. */
export function isTransient(err: unknown): boolean {
  const m = `${(err as Error)?.message ?? err} ${(err as { code?: string })?.code ?? ''}`;
  return /timeout|timed out|disconnect|connection|closed|no responders|503|reconnect|jetstream not (enabled|available)|insufficient resources/i.test(m);
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
