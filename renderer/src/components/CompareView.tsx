/**
 * The Compare tab: the form (folders, models, worker counts, repeat), then throughput and peak
 * memory by worker count (one line per model; the batch's measured points on the throughput
 * axis), the table, the machine, and PNG / CSV export.
 */
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { BatchView, BenchView, FolderInfo, PhotoPoolApi } from '../../../common/contract.js';
import { benchCsv, machineLine } from '../../../common/bench.js';
import { batchLabel, batchPoints, downloadText, downloadUrl, linesOf } from '../compare/data.js';
import { loadSettings, saveSettings, toBenchOptions, type CompareSettings } from '../compare/settings.js';
import { BenchChart, type BenchChartHandle } from './BenchChart.js';
import { BenchTable } from './BenchTable.js';
import { CompareForm } from './CompareForm.js';
import { previewJobOf, type Recipe } from '../recipe.js';

/** The recipe in a few words, e.g. `grayscale, fit inside 1024×1024, jpeg q80`; null while it has problems. */
function recipeText(r: Recipe): string | null {
  if (!previewJobOf(r)) return null;
  const size = r.resize ? `fit ${r.fit} ${r.width || 'any'}×${r.height || 'any'}` : 'full size';
  return [r.grayscale ? 'grayscale' : 'colour', size, r.format === 'same' ? 'same format' : `${r.format}${r.format === 'png' ? '' : ` q${r.quality}`}`].join(', ');
}

interface Props {
  api: PhotoPoolApi<File>;
  folders: FolderInfo[];
  cores: number;
  bench: BenchView | null;
  batch: BatchView | null;
  /** Why a comparison cannot start now (a batch runs, the engine is down), or null. */
  blocked: string | null;
  onError: (message: string | null) => void;
  /** The Inputs card (shared with the Convert tab), shown above the form. */
  inputs: ReactNode;
  /** The Convert tab's recipe: what a comparison measures by default. */
  recipe: Recipe;
  /** This tab's dismissible message. */
  notice: ReactNode;
}

/** Results of the latest comparison; the Convert batch's points only when asked for (other files, maybe another recipe). */
function Results({ bench, batch }: { bench: BenchView; batch: BatchView | null }) {
  const chart = useRef<BenchChartHandle>(null);
  const [withBatch, setWithBatch] = useState(false);
  const points = withBatch ? batchPoints(batch) : [];
  const label = batchLabel(batch, points);
  const throughput = linesOf(bench.rows, (r) => r.imagesPerSec, points.map((p) => p.workers));
  const memory = linesOf(bench.rows, (r) => r.peakRssMiB);
  const exportPng = () => {
    const url = chart.current?.png();
    if (url) downloadUrl('photopool-compare-throughput.png', url);
  };
  return (
    <section aria-labelledby="results-h" className="card">
      <h2 id="results-h">Results</h2>
      {bench.machine && (
        <p className="muted" data-testid="bench-machine">
          Machine: {machineLine(bench.machine)}
        </p>
      )}
      <BenchChart ref={chart} testId="chart-throughput" title="Throughput (images/s) by workers" yLabel="images/s" data={throughput} reference={{ points, label }} />
      {batch && (
        <div className="field check">
          <input id="cmp-with-batch" type="checkbox" checked={withBatch} onChange={(e) => setWithBatch(e.target.checked)} />
          <label htmlFor="cmp-with-batch">Also show the Convert batch (its own files and recipe: not the same measurement)</label>
        </div>
      )}
      {label && (
        <p className="muted" data-testid="batch-reference">
          Red markers: the batch measured in the Convert view ({label}).
        </p>
      )}
      <BenchChart testId="chart-memory" title="Peak memory (MiB) by workers" yLabel="peak RSS MiB" data={memory} />
      <div className="row">
        <button type="button" disabled={!bench.rows.length} onClick={exportPng}>
          Export chart PNG
        </button>
        <button type="button" disabled={!bench.rows.length || !bench.machine} onClick={() => bench.machine && downloadText('photopool-compare.csv', 'text/csv', benchCsv(bench.rows, bench.machine))}>
          Export table CSV
        </button>
      </div>
      <div className="table-scroll" tabIndex={0} aria-label="Comparison table (scrolls)">
        <BenchTable rows={bench.rows} />
      </div>
    </section>
  );
}

/** The whole Compare tab (two columns: inputs and form; results). */
export function CompareView({ api, folders, cores, bench, batch, blocked, onError, inputs, recipe, notice }: Props) {
  const [settings, setSettings] = useState<CompareSettings>(() => loadSettings(cores));
  useEffect(() => saveSettings(settings), [settings]);
  const run = async () => {
    onError(null);
    const r = toBenchOptions(settings, folders.map((f) => f.path), previewJobOf(recipe));
    if ('problem' in r) return onError(r.problem);
    await api.startBench({ options: r.options }).catch((err: Error) => onError(err.message));
  };
  return (
    <>
      <div className="col">
        {notice}
        {inputs}
        <CompareForm
        folders={folders}
        cores={cores}
        settings={settings}
        bench={bench}
        blocked={blocked}
        recipeText={recipeText(recipe)}
        onChange={setSettings}
        onRun={() => void run()}
        onCancel={() => void api.cancelBench({}).catch((err: Error) => onError(err.message))}
        />
      </div>
      <div className="col">
        {bench && (bench.rows.length > 0 || bench.running) ? <Results bench={bench} batch={batch} /> : <p className="muted card">Run a comparison to see throughput and memory by worker count here.</p>}
      </div>
    </>
  );
}
