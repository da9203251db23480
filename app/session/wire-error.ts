/**
 * What a refused request sends back to a UI (browser mode's WebSocket, Electron's IPC): the
 * message, the per-field problems of a bad payload, and the engine's refusal code.
 */
import type { WireError } from '../../common/wire.js';
import { InvalidOptionsError } from '../../common/validate.js';
import { EngineRefusal } from './engine-link.js';

/**
 * @example
 * try { reply(await session.request(name, payload)); } catch (err) { replyError(wireError(err)); }
 */
export function wireError(err: unknown): WireError {
  const e = err as (Error & { problems?: unknown }) | undefined;
  const problems = err instanceof InvalidOptionsError ? err.problems : Array.isArray(e?.problems) ? (e.problems as WireError['problems']) : undefined;
  const code = err instanceof EngineRefusal ? err.code : undefined;
  return { message: e?.message ?? String(err), ...(problems && { problems }), ...(code && { code }) };
}
