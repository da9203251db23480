/**
 * Preload (sandboxed, bundled to dist/electron/preload.cjs): exposes `window.photopool`, the
 * contract's named actions only (never ipcRenderer). Dropped files become paths with
 * webUtils.getPathForFile; main validates every payload again.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import {
  Events,
  REQUEST_NAMES,
  type Dropped,
  type EventName,
  type EventOf,
  type FolderInfo,
  type PhotoPoolApi,
  type ReplyOf,
  type RequestName,
} from '../common/contract.js';
import { IPC_EVENT_CHANNEL, ipcChannel, RequestError, type WireError } from '../common/wire.js';

type Envelope = { ok: true; result: unknown } | { ok: false; error: WireError };

const call = async <N extends RequestName>(name: N, payload: unknown): Promise<ReplyOf<N>> => {
  const r = (await ipcRenderer.invoke(ipcChannel(name), payload)) as Envelope;
  if (!r.ok) throw RequestError.from(r.error);
  return r.result as ReplyOf<N>;
};

const requests = Object.fromEntries(REQUEST_NAMES.map((n) => [n, (req: unknown) => call(n, req)])) as { [N in RequestName]: (req: unknown) => Promise<ReplyOf<N>> };

const api: PhotoPoolApi<File> = {
  ...requests,
  platform: 'electron',
  on<N extends EventName>(name: N, fn: (payload: EventOf<N>) => void) {
    const listener = (_e: unknown, msg: { name: EventName; payload: unknown }) => {
      if (msg?.name !== name) return;
      const parsed = Events[name].safeParse(msg.payload);
      if (parsed.success) fn(parsed.data as EventOf<N>);
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, listener);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, listener);
    };
  },
  async addDropped(items: readonly Dropped<File>[]): Promise<FolderInfo[]> {
    const paths = [...new Set(items.map((i) => webUtils.getPathForFile(i.file)).filter((p) => p))];
    const out: FolderInfo[] = [];
    for (const path of paths) out.push(await call('addFolder', { path }));
    return out;
  },
  fileUrl: (path) => `photopool-file://batch/?path=${encodeURIComponent(path)}`,
};

contextBridge.exposeInMainWorld('photopool', api);
