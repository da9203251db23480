/** Compare: which folders, models, worker counts and repeats; Run / Cancel and the progress. */
import type { BenchView, FolderInfo } from '../../../common/contract.js';
import { MODELS, toggled, type CompareSettings } from '../compare/settings.js';
import { CompareCluster } from './CompareCluster.js';

interface Props {
  folders: FolderInfo[];
  cores: number;
  settings: CompareSettings;
  bench: BenchView | null;
  /** Why Run is disabled now, or null. */
  blocked: string | null;
  /** The Convert tab's recipe in words (what "your recipe" measures), or null while it has problems. */
  recipeText: string | null;
  onChange: (s: CompareSettings) => void;
  onRun: () => void;
  onCancel: () => void;
}

/** What each model means, in one sentence. */
const MODEL_SENTENCE: Record<(typeof MODELS)[number], string> = {
  threads: 'Worker threads in one process: the least memory and the usual choice.',
  processes: 'One process per worker: a crash in a decoder loses one file only, at the cost of more memory.',
  async: 'No workers: the engine hands each file to libvips’ own thread pool; simplest, least control.',
};

function status(b: BenchView): string {
  if (b.running) {
    const l = b.last;
    return l ? `run ${b.done} of ${b.of} — ${l.model} × ${l.workers}: ${l.warmup ? 'warm-up' : `run ${l.run}`} ${l.seconds.toFixed(2)} s` : `run 0 of ${b.of} — starting…`;
  }
  if (b.error) return b.error === 'benchmark cancelled' ? 'Cancelled' : `Stopped: ${b.error}`;
  return b.finished ? 'Finished' : '';
}

/** The form; every control is a native input, so it is all keyboard reachable. */
export function CompareForm({ folders, cores, settings, bench, blocked, recipeText, onChange, onRun, onCancel }: Props) {
  const set = (patch: Partial<CompareSettings>) => onChange({ ...settings, ...patch });
  const running = !!bench?.running;
  const chosen = folders.filter((f) => !settings.excluded.includes(f.path));
  const runs = settings.models.length * settings.workers.length * (settings.repeat + 1) * (settings.cluster ? 2 : 1);
  const pct = bench && bench.of ? Math.floor((100 * bench.done) / bench.of) : 0;
  return (
    <section aria-labelledby="compare-h" className="card">
      <h2 id="compare-h">Compare</h2>
      <fieldset disabled={running} className="compare-form">
        <fieldset>
          <legend>Folders</legend>
          {folders.length === 0 && <p className="muted">Add folders under Inputs first.</p>}
          {folders.map((f) => (
            <div className="field check" key={f.path}>
              <input id={`cmp-folder-${f.path}`} type="checkbox" checked={!settings.excluded.includes(f.path)} onChange={(e) => set({ excluded: toggled(settings.excluded, f.path, !e.target.checked) })} />
              <label htmlFor={`cmp-folder-${f.path}`} className="path" title={f.path}>
                {f.label ?? f.path} <span className="muted">({f.images} images)</span>
              </label>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Models</legend>
          <div className="row">
            {MODELS.map((m) => (
              <div className="field check model" key={m}>
                <input id={`cmp-model-${m}`} type="checkbox" checked={settings.models.includes(m)} aria-describedby={`cmp-model-${m}-says`} onChange={(e) => set({ models: toggled(settings.models, m, e.target.checked) })} />
                <label htmlFor={`cmp-model-${m}`}>{m}</label>
                <span className="muted" id={`cmp-model-${m}-says`} data-testid="model-sentence">
                  {MODEL_SENTENCE[m]}
                </span>
              </div>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>Worker counts</legend>
          <div className="row">
            {Array.from({ length: 2 * cores }, (_, i) => i + 1).map((n) => (
              <div className="field check" key={n}>
                <input id={`cmp-workers-${n}`} type="checkbox" aria-label={`${n} worker${n === 1 ? '' : 's'}`} checked={settings.workers.includes(n)} onChange={(e) => set({ workers: toggled(settings.workers, n, e.target.checked) })} />
                <label htmlFor={`cmp-workers-${n}`} aria-hidden="true">{n}</label>
              </div>
            ))}
          </div>
        </fieldset>
        <div className="row">
          <label htmlFor="cmp-repeat">Repeat</label>
          <input id="cmp-repeat" type="number" min={1} max={50} value={settings.repeat} onChange={(e) => { const n = Number(e.target.value); if (Number.isInteger(n) && n >= 1 && n <= 50) set({ repeat: n }); }} />
          <span className="muted">timed runs per cell, after one warm-up</span>
        </div>
        <CompareCluster checked={!!settings.cluster} disabled={running} onChange={(cluster) => set({ cluster })} />
        <fieldset>
          <legend>Measure</legend>
          <div className="field check">
            <input id="cmp-job-recipe" type="radio" name="cmp-job" checked={settings.job === 'recipe'} disabled={!recipeText} onChange={() => set({ job: 'recipe' })} />
            <label htmlFor="cmp-job-recipe">Your recipe{recipeText ? ` (${recipeText})` : ' (fix it in Convert first)'}</label>
          </div>
          <div className="field check">
            <input id="cmp-job-reference" type="radio" name="cmp-job" checked={settings.job === 'reference' || !recipeText} onChange={() => set({ job: 'reference' })} />
            <label htmlFor="cmp-job-reference">The reference job (grayscale, fit inside 1024×1024, JPEG q80), as in BENCHMARKS.md</label>
          </div>
        </fieldset>
      </fieldset>
      <p className="muted">
        {chosen.reduce((n, f) => n + f.images, 0)} images, {runs} runs; outputs go to a scratch folder and are deleted.
      </p>
      <div className="row">
        <button type="button" className="primary" disabled={running || !!blocked} onClick={onRun}>
          Run comparison
        </button>
        <button type="button" disabled={!running} onClick={onCancel}>
          Cancel comparison
        </button>
        {blocked && !running && <span className="muted">{blocked}</span>}
      </div>
      {bench && (
        <>
          {bench.running && (
            <div className="progress" role="progressbar" aria-label="Comparison progress" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
              <div className="bar" style={{ width: `${pct}%` }} />
              <span className="pct">{pct}%</span>
            </div>
          )}
          <p data-testid="bench-state" role="status">
            {status(bench)}
          </p>
        </>
      )}
    </section>
  );
}
