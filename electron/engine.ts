/**
 * The engine as an Electron utility process (dist/engine/host.js, which speaks over
 * process.parentPort), started with UV_THREADPOOL_SIZE for the largest pool and MALLOC_ARENA_MAX=2.
 */
import { app, utilityProcess, type UtilityProcess } from 'electron';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ENGINE_EXEC_ARGV, engineEnvVars } from '../common/engine-env.js';
import type { EngineCommand, EngineEvent } from '../common/events.js';

/** The same shape as engine/client.ts's EngineProcess (what the shared UI session drives). */
export interface Engine {
  send(cmd: EngineCommand): void;
  onEvent(fn: (e: EngineEvent) => void): () => void;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Ask the engine to stop (a running batch is cancelled cleanly by the session first). */
  close(): void;
  kill(): void;
}

/** Path of the built engine host (unpacked next to the app in a packaged build). */
export function hostPath(): string {
  // electron-builder unpacks the engine (asarUnpack): forked files must be real files on disk.
  return join(app.getAppPath().replace(/app\.asar$/, 'app.asar.unpacked'), 'dist', 'engine', 'host.js');
}

/**
 * Fork the engine host.
 *
 * @example
 * const engine = forkEngine(4); engine.onEvent(console.log); engine.send({ type: 'start', spec });
 */
export function forkEngine(maxWorkers: number): Engine {
  const child: UtilityProcess = utilityProcess.fork(hostPath(), [], {
    serviceName: 'PhotoPool engine',
    stdio: 'inherit',
    execArgv: ENGINE_EXEC_ARGV,
    env: { ...process.env, ...engineEnvVars(maxWorkers, availableParallelism()) },
  });
  const listeners = new Set<(e: EngineEvent) => void>();
  let alive = true;
  child.on('message', (m: EngineEvent) => {
    for (const fn of listeners) fn(m);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code) => {
      alive = false;
      resolve({ code, signal: null });
    }),
  );
  return {
    send: (cmd) => {
      if (alive) child.postMessage(cmd);
    },
    onEvent: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    exited,
    close: () => {
      if (alive) child.kill();
    },
    kill: () => {
      if (alive) child.kill();
    },
  };
}
