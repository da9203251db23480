/**
 * Browser mode's outgoing WebSocket frames (app/server/frames.ts): events that come close
 * together share one frame, in the order they came; a reply goes out after the events queued
 * before it; a lone event keeps the one-event frame; a closed connection sends nothing more.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENT_WINDOW_MS, frames } from '../app/server/frames.js';
import type { ServerMessage } from '../common/wire.js';

let sent: ServerMessage[];
const out = () => frames((text) => sent.push(JSON.parse(text) as ServerMessage));
beforeEach(() => {
  sent = [];
  vi.useFakeTimers();
});
afterEach(() => vi.useRealTimers());

const engine = (type: string, n: number) => ({ type, n });

describe('frames', () => {
  it('events within the window go out as one frame, in order', () => {
    const f = out();
    f.event('engine', engine('file-done', 1));
    f.event('engine', engine('file-start', 2));
    f.event('folder', { path: '/p' });
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(EVENT_WINDOW_MS);
    expect(sent).toEqual([{ kind: 'events', list: [{ name: 'engine', payload: engine('file-done', 1) }, { name: 'engine', payload: engine('file-start', 2) }, { name: 'folder', payload: { path: '/p' } }] }]);
    // the next event starts a new window
    f.event('engine', engine('progress', 3));
    vi.advanceTimersByTime(EVENT_WINDOW_MS);
    expect(sent[1]).toEqual({ kind: 'event', name: 'engine', payload: engine('progress', 3) });
    expect(sent).toHaveLength(2);
  });

  it('a reply goes out after the events queued before it, at once', () => {
    const f = out();
    f.event('engine', engine('batch-start', 1));
    f.reply({ kind: 'reply', id: 7, ok: true, result: { ok: true } });
    expect(sent.map((m) => m.kind)).toEqual(['event', 'reply']);
    f.event('engine', engine('file-done', 2));
    f.event('engine', engine('done', 3));
    f.reply({ kind: 'reply', id: 8, ok: true, result: null });
    expect(sent.slice(2)).toEqual([{ kind: 'events', list: [{ name: 'engine', payload: engine('file-done', 2) }, { name: 'engine', payload: engine('done', 3) }] }, { kind: 'reply', id: 8, ok: true, result: null }]);
    vi.advanceTimersByTime(EVENT_WINDOW_MS); // nothing left for the timer
    expect(sent).toHaveLength(4);
  });

  it('after close, queued events are dropped', () => {
    const f = out();
    f.event('engine', engine('file-done', 1));
    f.close();
    vi.advanceTimersByTime(EVENT_WINDOW_MS * 2);
    expect(sent).toEqual([]);
  });
});
