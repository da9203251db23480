/**
 * The Cluster setting: the NATS broker the UI's batches run through (remote `photopool worker`s
 * with the local pool, whose size `Workers` still sets). The URL only: credentials never pass
 * through the UI (the app reads a .creds file named in its environment, PHOTOPOOL_NATS_CREDS).
 */
import { useEffect, useState } from 'react';
import type { PhotoPoolApi } from '../../../common/contract.js';
import { ClusterSettingSchema } from '../../../common/settings.js';

/** Saved at once (a small form with its own Save button), read back from the settings file. */
export function ClusterSettings({ api, disabled }: { api: PhotoPoolApi<File>; disabled: boolean }) {
  const [saved, setSaved] = useState<string | null>(null);
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.getSettings({}).then(
      (r) => {
        if (!live) return;
        setSaved(r.settings.cluster?.url ?? null);
        setDraft(r.settings.cluster?.url ?? '');
      },
      () => undefined,
    );
    return () => void (live = false);
  }, [api]);

  const store = (url: string | null) => {
    const parsed = url === null ? null : ClusterSettingSchema.safeParse({ url: url.trim() });
    if (parsed && !parsed.success) return setProblem(`NATS broker URL: expected ${parsed.error.issues[0]?.message ?? 'nats://host:port'}, got "${url}"`);
    setProblem(null);
    api.saveSettings({ patch: { cluster: parsed ? parsed.data : null } }).then(
      (r) => {
        setSaved(r.settings.cluster?.url ?? null);
        setDraft(r.settings.cluster?.url ?? '');
      },
      (e: Error) => setProblem(e.message),
    );
  };

  return (
    <details className="card cluster" data-testid="cluster-settings" open={saved !== null}>
      <summary>Cluster: {saved ? <span data-testid="cluster-on">batches run through {saved} (remote workers + this machine)</span> : <span className="muted">this machine only</span>}</summary>
      <form
        onSubmit={(ev) => {
          ev.preventDefault();
          store(draft);
        }}
      >
        <label>
          NATS broker URL{' '}
          <input type="text" name="cluster-url" value={draft} placeholder="nats://broker.lan:4222" disabled={disabled} onChange={(ev) => setDraft(ev.target.value)} aria-invalid={problem !== null} />
        </label>{' '}
        <button type="submit" disabled={disabled || !draft.trim()}>
          Use this cluster
        </button>{' '}
        <button type="button" disabled={disabled || saved === null} onClick={() => store(null)}>
          This machine only
        </button>
      </form>
      {problem && (
        <p className="error" role="alert" data-testid="cluster-problem">
          {problem}
        </p>
      )}
      <p className="muted">Start workers with <code>photopool worker --nats URL</code> on each machine. Credentials are not kept here: give the app a .creds file in PHOTOPOOL_NATS_CREDS.</p>
    </details>
  );
}
