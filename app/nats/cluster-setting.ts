/**
 * The UI's Cluster setting turned into the NATS options of a batch: the URL from the settings
 * file, credentials from the app's environment only (so neither the settings file, the UI nor
 * an event ever holds them).
 */
import type { NatsOptions } from '../../common/remote-task.js';
import type { Settings } from '../../common/settings.js';

/** Files on the broker at once for the UI's batches (as `--nats-window`'s default). */
const UI_WINDOW = 32;

/**
 * NATS options for the UI's next batch, or undefined when no cluster is set.
 *
 * @param env where `PHOTOPOOL_NATS_CREDS` (a NATS .creds file) and `PHOTOPOOL_NATS_TLS_CA` (a CA PEM) are read; default process.env
 * @example
 * clusterOptions({ url: 'nats://broker.lan:4222' }) // { url: 'nats://broker.lan:4222', window: 32 }
 */
export function clusterOptions(cluster: Settings['cluster'] | undefined, env: NodeJS.ProcessEnv = process.env): NatsOptions | undefined {
  if (!cluster) return undefined;
  return {
    url: cluster.url,
    window: UI_WINDOW,
    ...(env.PHOTOPOOL_NATS_CREDS && { creds: env.PHOTOPOOL_NATS_CREDS }),
    ...(env.PHOTOPOOL_NATS_TLS_CA && { tlsCa: env.PHOTOPOOL_NATS_TLS_CA }),
  };
}
