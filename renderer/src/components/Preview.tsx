/** Before/after preview of a selected output of the current batch. */
import { useState } from 'react';
import type { DoneRow, PhotoPoolApi } from '../../../common/contract.js';
import { baseName, bytes } from '../format.js';

/** Pick one of the recent outputs; shows its input and output side by side. */
export function Preview({ api, recent }: { api: PhotoPoolApi<File>; recent: DoneRow[]; version: number }) {
  const [selected, setSelected] = useState<string>('');
  const row = recent.find((r) => r.output === selected) ?? null;
  const before = row && api.fileUrl(row.input);
  const after = row && api.fileUrl(row.output);
  return (
    <section aria-labelledby="preview-h" className="card">
      <h2 id="preview-h">Preview</h2>
      <div className="row">
        <label htmlFor="preview-pick">Output to preview</label>
        <select id="preview-pick" value={selected} onChange={(e) => setSelected(e.target.value)}>
          <option value="">{recent.length ? 'Choose an output…' : 'No outputs yet'}</option>
          {recent
            .slice()
            .reverse()
            .map((r) => (
              <option key={r.output} value={r.output}>
                {baseName(r.output)}
              </option>
            ))}
        </select>
        {row && api.platform === 'electron' && (
          <button type="button" onClick={() => void api.showInFolder({ path: row.output })}>
            Show in folder
          </button>
        )}
      </div>
      {row && (
        <div className="before-after">
          <figure>
            {before && <img src={before} alt={`Before: ${baseName(row.input)}`} />}
            <figcaption>Before · {bytes(row.inputBytes)}</figcaption>
          </figure>
          <figure>
            {after && <img src={after} alt={`After: ${baseName(row.output)}`} />}
            <figcaption>
              After · {row.width}×{row.height} · {bytes(row.outputBytes)} · {row.ms} ms
            </figcaption>
          </figure>
        </div>
      )}
    </section>
  );
}
