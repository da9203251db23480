/** Adding inputs: drop zone, "Folder path" + Add, "Add folder…" picker, and the folder list. */
import { useState, type DragEvent, type ReactNode } from 'react';
import type { Dropped, FolderInfo, PhotoPoolApi } from '../../../common/contract.js';
import { bytes } from '../format.js';
import { collectDropped } from '../drop.js';

interface Props {
  api: PhotoPoolApi<File>;
  folders: FolderInfo[];
  onAdded: (folders: FolderInfo[]) => void;
  onRemove: (path: string) => void;
  onPick: () => void;
  onError: (message: string) => void;
  /** This card's dismissible message (a refused path, a failed upload). */
  notice?: ReactNode;
}

/** Drop zone + path field + folder list with counts and sizes streaming in. */
export function Inputs({ api, folders, onAdded, onRemove, onPick, onError, notice }: Props) {
  const [path, setPath] = useState('');
  const [over, setOver] = useState(false);
  const [busy, setBusy] = useState(false);

  const add = async () => {
    if (!path.trim()) return;
    try {
      onAdded([await api.addFolder({ path: path.trim() })]);
      setPath('');
    } catch (err) {
      onError((err as Error).message);
    }
  };

  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    const pending: Promise<Dropped<File>[]> = collectDropped(e.dataTransfer, api.platform === 'electron');
    setBusy(true);
    pending
      .then((items) => api.addDropped(items))
      .then(onAdded, (err: Error) => onError(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <section aria-labelledby="inputs-h" className="card">
      <h2 id="inputs-h">Inputs</h2>
      <div
        className={`dropzone${over ? ' over' : ''}${folders.length ? '' : ' empty'}`}
        data-testid="dropzone"
        role="region"
        aria-label="Drop folders or files here"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
      >
        {busy ? (
          'Adding dropped files…'
        ) : folders.length ? (
          'Drop more folders or photos here'
        ) : (
          <>
            <strong>Drop a folder or photos here to start</strong>
            <span className="muted">JPEG, PNG, WebP, AVIF, TIFF, HEIC, GIF… sub-folders included. Or type a folder path below.</span>
          </>
        )}
      </div>
      <div className="row">
        <label htmlFor="folder-path">Folder path</label>
        <input
          id="folder-path"
          value={path}
          placeholder="/home/me/Pictures"
          onChange={(e) => setPath(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && void add()}
        />
        <button type="button" onClick={() => void add()}>
          Add
        </button>
        <button type="button" onClick={onPick}>
          Add folder…
        </button>
      </div>
      {notice}
      <ul className="folders" aria-label="Added folders">
        {folders.map((f) => (
          <li key={f.path} data-testid="folder">
            <span className={f.label ? 'label' : 'path'} title={f.path}>
              {f.label ?? f.path}
            </span>
            <span className="muted">
              {f.error ? <span className="error">{f.error === 'no such file or folder' ? 'This folder does not exist: check the path, or remove it.' : f.error}</span> : `${f.images} images · ${f.files} files · ${bytes(f.bytes)}${f.done ? '' : ' · scanning…'}`}
            </span>
            <button type="button" className="small" aria-label={`Remove ${f.label ?? f.path}`} onClick={() => onRemove(f.path)}>
              Remove
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
