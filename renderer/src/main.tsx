/** Entry: Electron's preload API when present, else browser mode over the local server's WebSocket. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { PhotoPoolApi } from '../../common/contract.js';
import { App } from './App.js';
import { initSettings } from './settings.js';
import { connectBrowserApi, type BrowserApi } from './api/ws.js';
import './styles.css';

function Root({ api }: { api: PhotoPoolApi<File> | BrowserApi }) {
  const [state] = useState<{ api: PhotoPoolApi<File>; browser: BrowserApi | null }>(() => ({ api, browser: window.photopool ? null : (api as BrowserApi) }));
  const [connected, setConnected] = useState(true);
  useEffect(() => state.browser?.onConnection(setConnected), [state]);
  return <App api={state.api} onReconnect={state.browser?.onReconnect} connected={connected} />;
}

// The shared settings (last recipe, presets) load before the first render.
const api = window.photopool ?? connectBrowserApi(new URLSearchParams(location.search).get('token') ?? '');
void initSettings(api).finally(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <Root api={api} />
    </StrictMode>,
  ),
);
