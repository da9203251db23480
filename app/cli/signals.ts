/**
 * Ctrl-C and SIGTERM for a command that drives engines: the first asks for a clean stop
 * (running files stopped, temporary files removed, journal closed); a second one within a few
 * seconds kills at once. The engine runs in its own process group (app/engine-client.ts), so a
 * terminal's Ctrl-C reaches this process alone and the CLI decides what happens.
 */

/** Exit code of a command stopped by Ctrl-C or SIGTERM (128 + SIGINT, as shells report it). */
export const EXIT_INTERRUPTED = 130;
/** A second signal within this many milliseconds of the previous one kills at once. */
export const KILL_WINDOW_MS = 5000;

export interface InterruptHandlers {
  /** First signal: stop cleanly. */
  cancel(signal: NodeJS.Signals): void;
  /** Second signal within the window: kill at once. */
  kill(): void;
  /** A later signal, outside the window: tell the person how to kill. */
  remind?(text: string): void;
}

export interface Interrupts {
  /** The first signal received, if any. */
  readonly received: NodeJS.Signals | undefined;
  /** Remove the handlers (call it when the command ends). */
  dispose(): void;
}

/**
 * Handle SIGINT and SIGTERM until `dispose()`.
 *
 * @param windowMs how soon a second signal must follow to kill (default {@link KILL_WINDOW_MS})
 * @example
 * const stop = onInterrupt({ cancel: () => engine.send({ type: 'cancel' }), kill: () => engine.kill() });
 * await finished; stop.dispose();
 */
export function onInterrupt(handlers: InterruptHandlers, windowMs = KILL_WINDOW_MS): Interrupts {
  let received: NodeJS.Signals | undefined;
  let last = 0;
  const on = (signal: NodeJS.Signals) => {
    const now = Date.now();
    if (!received) {
      received = signal;
      handlers.cancel(signal);
    } else if (now - last <= windowMs) handlers.kill();
    else handlers.remind?.(`Still stopping cleanly; press Ctrl-C again within ${Math.round(windowMs / 1000)} s to kill at once.`);
    last = now;
  };
  process.on('SIGINT', on);
  process.on('SIGTERM', on);
  return {
    get received() {
      return received;
    },
    dispose() {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
    },
  };
}

/**
 * A path as one shell word: unchanged when it needs no quoting, else in single quotes.
 *
 * @example
 * shellQuote("/tmp/my photos") // "'/tmp/my photos'"
 */
export function shellQuote(s: string): string {
  return /^[\w./+,=@%:-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}
