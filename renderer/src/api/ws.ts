/**
 * Browser mode: `window.photopool`'s API over the local server's WebSocket (token from the
 * page URL). Reconnects by itself; dropped files are uploaded into a staging folder.
 */
import {
  EVENT_NAMES,
  Events,
  REQUEST_NAMES,
  UploadReplySchema,
  type Dropped,
  type EventName,
  type EventOf,
  type FolderInfo,
  type PhotoPoolApi,
  type ReplyOf,
  type RequestName,
} from '../../../common/contract.js';
import { RequestError, type ServerMessage } from '../../../common/wire.js';

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };
export type BrowserApi = PhotoPoolApi<File> & {
  /** Called after the connection was lost and came back (the page should reload its state). */
  onReconnect(fn: () => void): () => void;
  /** Called when the connection state changes. */
  onConnection(fn: (connected: boolean) => void): () => void;
};

const UPLOADS_IN_FLIGHT = 4;

/**
 * Connect to the browser-mode server the page came from.
 *
 * @example
 * const api = connectBrowserApi(new URLSearchParams(location.search).get('token') ?? '');
 */
export function connectBrowserApi(token: string): BrowserApi {
  const wsUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/api/ws?token=${encodeURIComponent(token)}`;
  const listeners = new Map<EventName, Set<(p: unknown) => void>>(EVENT_NAMES.map((n) => [n, new Set()]));
  const reconnectFns = new Set<() => void>();
  const connectionFns = new Set<(c: boolean) => void>();
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  let nextId = 1;
  let ws: WebSocket;
  let everOpened = false;
  let retry = 250;

  /** One event to its listeners, if it is what its name says. */
  const deliver = (name: EventName, payload: unknown) => {
    const parsed = Events[name]?.safeParse(payload);
    if (!parsed?.success) return;
    for (const fn of listeners.get(name) ?? []) fn(parsed.data);
  };

  const open = () => {
    ws = new WebSocket(wsUrl);
    ws.onopen = () => {
      retry = 250;
      for (const fn of connectionFns) fn(true);
      if (everOpened) for (const fn of reconnectFns) fn();
      everOpened = true;
      for (const m of queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => {
      const m = JSON.parse(String(ev.data)) as ServerMessage;
      if (m.kind === 'reply') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.result);
        else p.reject(RequestError.from(m.error));
      } else if (m.kind === 'events') for (const e of m.list) deliver(e.name, e.payload);
      else deliver(m.name, m.payload);
    };
    ws.onclose = () => {
      for (const fn of connectionFns) fn(false);
      for (const p of pending.values()) p.reject(new RequestError('connection to PhotoPool lost'));
      pending.clear();
      setTimeout(open, retry);
      retry = Math.min(retry * 2, 4000);
    };
  };
  open();

  const call = <N extends RequestName>(name: N, payload: unknown): Promise<ReplyOf<N>> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      const m = JSON.stringify({ kind: 'request', id, name, payload });
      if (ws.readyState === WebSocket.OPEN) ws.send(m);
      else queue.push(m);
    });

  const requests = Object.fromEntries(REQUEST_NAMES.map((n) => [n, (req: unknown) => call(n, req)])) as {
    [N in RequestName]: (req: unknown) => Promise<ReplyOf<N>>;
  };

  async function upload(dropId: string, item: Dropped<File>): Promise<string> {
    const url = `/api/upload?drop=${dropId}&path=${encodeURIComponent(item.relativePath)}`;
    const res = await fetch(url, { method: 'PUT', body: item.file, headers: { 'x-photopool-token': token } });
    if (!res.ok) throw new RequestError(`upload of ${item.relativePath} refused: ${await res.text()}`);
    return UploadReplySchema.parse(await res.json()).root;
  }

  return {
    ...requests,
    platform: 'browser',
    on<N extends EventName>(name: N, fn: (payload: EventOf<N>) => void) {
      const set = listeners.get(name)!;
      const f = fn as (p: unknown) => void;
      set.add(f);
      return () => set.delete(f);
    },
    async addDropped(items: readonly Dropped<File>[]): Promise<FolderInfo[]> {
      if (!items.length) return [];
      const dropId = `dropped-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`;
      let root = '';
      const todo = [...items];
      await Promise.all(
        Array.from({ length: Math.min(UPLOADS_IN_FLIGHT, todo.length) }, async () => {
          for (let it = todo.shift(); it; it = todo.shift()) root = await upload(dropId, it);
        }),
      );
      return [await requests.addFolder({ path: root, label: dropLabel(items.map((i) => i.relativePath)) })];
    },
    fileUrl: (path) => `/api/file?token=${encodeURIComponent(token)}&path=${encodeURIComponent(path)}`,
    onReconnect(fn) {
      reconnectFns.add(fn);
      return () => reconnectFns.delete(fn);
    },
    onConnection(fn) {
      connectionFns.add(fn);
      return () => connectionFns.delete(fn);
    },
  };
}

/**
 * How a drop is listed: its top-level names as the person dropped them, e.g.
 * `Dropped: trip (12 files)` or `Dropped: a.jpg, b.jpg and 3 more`.
 */
export function dropLabel(paths: string[]): string {
  const top = [...new Set(paths.map((p) => p.split('/')[0]!))];
  const head = top.slice(0, 3).join(', ');
  const more = top.length > 3 ? ` and ${top.length - 3} more` : '';
  const files = paths.length > top.length ? ` (${paths.length} files)` : '';
  return `Dropped: ${head}${more}${files}`;
}
