/**
 * The wire between a UI and the app side: browser mode's WebSocket messages (ids match replies
 * to requests) and Electron's IPC channel names. Pure TypeScript + zod.
 */
import { z } from 'zod';
import { REQUEST_NAMES, type EventName, type RequestName } from './contract.js';
import type { FatalCode } from './events.js';
import type { FieldProblem } from './validate.js';

/** Largest WebSocket / IPC message accepted from a UI (bytes). */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export const ClientMessageSchema = z
  .object({ kind: z.literal('request'), id: z.number().int().min(0), name: z.enum(REQUEST_NAMES as [RequestName, ...RequestName[]]), payload: z.unknown() })
  .strict();
export type ClientMessage = z.infer<typeof ClientMessageSchema>;

/**
 * A refused request as it crosses the wire (a WebSocket reply, Electron's IPC envelope): what
 * went wrong, per-field problems, and a code a UI can act on (e.g. `unfinished-batch`: offer to
 * resume or to start over).
 */
export interface WireError {
  message: string;
  problems?: FieldProblem[];
  code?: FatalCode;
}

export type ServerMessage =
  | { kind: 'reply'; id: number; ok: true; result: unknown }
  | { kind: 'reply'; id: number; ok: false; error: WireError }
  | { kind: 'event'; name: EventName; payload: unknown }
  /** Events that came close together, in the order they happened, in one frame (app/server/frames.ts). */
  | { kind: 'events'; list: { name: EventName; payload: unknown }[] };

/** IPC channel of a request in Electron. */
export const ipcChannel = (name: RequestName): string => `photopool:${name}`;
/** IPC channel on which Electron main sends every event. */
export const IPC_EVENT_CHANNEL = 'photopool:event';

/** Error thrown by a UI client when the app side refused a request. */
export class RequestError extends Error {
  readonly problems: FieldProblem[] | undefined;
  readonly code: FatalCode | undefined;
  constructor(message: string, problems?: FieldProblem[], code?: FatalCode) {
    super(message);
    this.name = 'RequestError';
    this.problems = problems;
    this.code = code;
  }

  /**
   * @example
   * if (!reply.ok) throw RequestError.from(reply.error);
   */
  static from(e: WireError): RequestError {
    return new RequestError(e.message, e.problems, e.code);
  }
}
