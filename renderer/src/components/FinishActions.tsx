/**
 * What to do with a finished batch's outputs: open their folder in the system file manager
 * (Electron, or the browser-mode server on the same machine) and, in browser mode, download
 * them as one zip streamed by the server.
 */
import { useEffect, useState } from 'react';
import type { PhotoPoolApi } from '../../../common/contract.js';

interface Props {
  api: PhotoPoolApi<File>;
  /** Changes when another batch finishes (refreshes the download link). */
  batchId: string;
}

export function FinishActions({ api, batchId }: Props) {
  const [zip, setZip] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    if (api.platform !== 'browser') return;
    let live = true;
    void api.outputsZip({}).then((r) => live && setZip(r.url), () => live && setZip(null));
    return () => {
      live = false;
    };
  }, [api, batchId]);
  const open = async () => {
    setMessage(null);
    const r = await api.openOutputFolder({}).catch((e: Error) => ({ opened: false, message: e.message }));
    if (!r.opened) setMessage(r.message ?? 'Could not open the output folder');
  };
  return (
    <>
      <button type="button" onClick={() => void open()}>
        Open output folder
      </button>
      {zip && (
        <a className="button" href={zip} download="photopool-outputs.zip">
          Download outputs
        </a>
      )}
      {message && (
        <span role="alert" className="muted">
          {message}
        </span>
      )}
    </>
  );
}
