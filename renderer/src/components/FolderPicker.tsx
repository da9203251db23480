/** Browser-mode folder picker: browses the server's folders (there is no native dialog). */
import { useEffect, useRef, useState } from 'react';
import type { DirListing, PhotoPoolApi } from '../../../common/contract.js';

interface Props {
  api: PhotoPoolApi<File>;
  title: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}

/** A modal listing sub-folders; Enter/click opens, "Choose this folder" picks. */
export function FolderPicker({ api, title, onChoose, onClose }: Props) {
  const [listing, setListing] = useState<DirListing | null>(null);
  const [error, setError] = useState<string | null>(null);
  const dialog = useRef<HTMLDialogElement>(null);
  const go = (path?: string) =>
    api.listDir(path ? { path } : {}).then(
      (l) => {
        setListing(l);
        setError(null);
      },
      (e: Error) => setError(e.message),
    );
  useEffect(() => {
    dialog.current?.showModal();
    void go();
  }, []);
  return (
    <dialog ref={dialog} aria-label={title} onClose={onClose} className="picker">
      <h2>{title}</h2>
      <p className="path">{listing?.path ?? '…'}</p>
      {error && <p className="error">{error}</p>}
      <ul>
        {listing?.parent && (
          <li>
            <button type="button" className="link" onClick={() => void go(listing.parent!)}>
              ⬑ ..
            </button>
          </li>
        )}
        {listing?.dirs.map((d) => (
          <li key={d.path}>
            <button type="button" className="link" onClick={() => void go(d.path)}>
              📁 {d.name}
            </button>
          </li>
        ))}
      </ul>
      <div className="row">
        <button type="button" disabled={!listing} onClick={() => listing && onChoose(listing.path)}>
          Choose this folder
        </button>
        <button type="button" onClick={() => dialog.current?.close()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
