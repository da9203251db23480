/** Entry: Electron's preload API when present, else browser mode over the local server's WebSocket. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { PhotoPoolApi } from '../../common/contract.js';
import { App } from './App.js';
import { connectBrowserApi, type BrowserApi } from './api/ws.js';
import './styles.css';

function Root() {
  const [state] = useState<{ api: PhotoPoolApi<File>; browser: BrowserApi | null }>(() => {
    if (window.photopool) return { api: window.photopool, browser: null };
    const token = new URLSearchParams(location.search).get('token') ?? '';
    const browser = connectBrowserApi(token);
    return { api: browser, browser };
  });
  const [connected, setConnected] = useState(true);
  useEffect(() => state.browser?.onConnection(setConnected), [state]);
  return <App api={state.api} onReconnect={state.browser?.onReconnect} connected={connected} />;
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
