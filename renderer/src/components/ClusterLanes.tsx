/**
 * The remote workers of a cluster batch (`--nats` / the Cluster setting): one lane per
 * `host/worker` with its files, and per machine its share of the batch's images/s. Also says
 * when the broker was lost (files on it wait) and when it came back.
 */
import type { BatchView } from '../../../common/contract.js';

const hostOf = (w: string) => (w.includes('/') ? w.slice(0, w.lastIndexOf('/')) : w);

/** Nothing for a batch without remote workers. */
export function ClusterLanes({ batch }: { batch: BatchView }) {
  const remote = batch.remoteDone ?? {};
  const names = Object.keys(remote).sort((a, b) => a.localeCompare(b));
  if (!names.length && !batch.cluster) return null;
  const secs = Math.max(batch.progress?.elapsedMs ?? 0, 1) / 1000;
  const machines = new Map<string, number>();
  for (const w of names) machines.set(hostOf(w), (machines.get(hostOf(w)) ?? 0) + remote[w]!);
  const lost = batch.cluster?.state === 'disconnected';
  return (
    <div className="cluster-lanes" data-testid="cluster-lanes">
      {batch.cluster && (
        <p className={lost ? 'warn' : 'muted'} role="status" data-testid="cluster-state">
          Broker {batch.cluster.server}: {lost ? `lost — ${batch.cluster.detail ?? 'files on the broker wait'}` : batch.cluster.state}
        </p>
      )}
      {machines.size > 0 && (
        <p className="muted" data-testid="cluster-machines">
          Per machine: {[...machines].map(([m, n]) => `${m} ${n} files, ${(n / secs).toFixed(2)} images/s`).join(' · ')}
        </p>
      )}
      <ol className="lanes" aria-label="Remote worker lanes">
        {names.map((w) => (
          <li key={w} data-testid="remote-lane" className="idle">
            <span className="lane-name" title={w}>
              {w}
            </span>
            <span className="lane-file">remote worker</span>
            <span className="muted">{remote[w]} done</span>
          </li>
        ))}
      </ol>
    </div>
  );
}
