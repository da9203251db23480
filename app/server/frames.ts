/**
 * One WebSocket connection's outgoing frames. Events are gathered for up to
 * {@link EVENT_WINDOW_MS} and sent as one frame, in order: a 47-photo batch otherwise sent ~140
 * frames (file-start, file-done, progress), and every frame costs Chromium's browser, network
 * and renderer processes CPU that the batch needs (scripts/ui-vs-bench.mjs counts them). A reply
 * first sends the events gathered before it, so the page sees everything in the order the
 * session produced it.
 */
import type { EventName } from '../../common/contract.js';
import type { ServerMessage } from '../../common/wire.js';

/** Longest an event waits for others to share its frame (ms); the page redraws less often than that. */
export const EVENT_WINDOW_MS = 100;

export interface Frames {
  /** Queue one event; it goes out within the window, with the others queued meanwhile. */
  event(name: EventName, payload: unknown): void;
  /** Send the queued events, then this reply. */
  reply(m: Extract<ServerMessage, { kind: 'reply' }>): void;
  /** Drop what is queued (the connection closed). */
  close(): void;
}

/**
 * @param send writes one text frame (skipped by the caller once the socket is closed)
 * @param windowMs how long an event waits for company; default {@link EVENT_WINDOW_MS}
 * @example
 * const out = frames((text) => ws.send(text));
 * const off = session.subscribe((name, payload) => out.event(name, payload));
 */
export function frames(send: (text: string) => void, windowMs = EVENT_WINDOW_MS): Frames {
  let list: { name: EventName; payload: unknown }[] = [];
  let timer: NodeJS.Timeout | null = null;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!list.length) return;
    const m: ServerMessage = list.length === 1 ? { kind: 'event', ...list[0]! } : { kind: 'events', list };
    list = [];
    send(JSON.stringify(m));
  };
  return {
    event(name, payload) {
      list.push({ name, payload });
      timer ??= setTimeout(flush, windowMs);
    },
    reply(m) {
      flush();
      send(JSON.stringify(m));
    },
    close() {
      if (timer) clearTimeout(timer);
      timer = null;
      list = [];
    },
  };
}
