/**
 * The engine as an Electron utility process (dist/engine/host.js, which speaks over
 * process.parentPort), started with UV_THREADPOOL_SIZE for the largest pool and MALLOC_ARENA_MAX=2.
 */
import { app, utilityProcess, type UtilityProcess } from 'electron';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { ENGINE_HOST_EXEC_ARGV, engineEnvVars } from '../common/engine-env.js';
import type { EngineLike } from '../app/session/session.js';
import { engineProcess } from '../app/engine-client.js';

/** An engine process as the shared UI session drives it. */
export type Engine = EngineLike;

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
    execArgv: [...ENGINE_HOST_EXEC_ARGV],
    env: { ...process.env, ...engineEnvVars(maxWorkers, availableParallelism()) },
  });
  let alive = true;
  child.once('exit', () => (alive = false));
  return engineProcess({
    pid: child.pid,
    onMessage: (fn) => child.on('message', fn),
    onExit: (fn) => child.once('exit', (code) => fn(code, null)),
    post: (cmd) => {
      if (alive) child.postMessage(cmd);
    },
    close: () => {
      if (alive) child.kill();
    },
    kill: () => {
      if (alive) child.kill();
    },
  });
}
