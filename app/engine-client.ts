/**
 * Start the engine in its own Node process and talk to it with typed messages.
 * The process gets UV_THREADPOOL_SIZE large enough for the biggest pool (all worker threads
 * share one libuv pool, where sharp runs) and MALLOC_ARENA_MAX=2 (much less memory).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import type { EngineCommand, EngineEvent } from '../common/events.js';
import { resolveEntry } from '../engine/entry.js';
import { ENGINE_HOST_EXEC_ARGV, engineEnvVars } from '../common/engine-env.js';

/** An engine process as its drivers (CLI, UI session, bench) see it: this module's fork or Electron's utilityProcess. */
export interface EngineProcess {
  /** Send a command; ignored once the process has exited. */
  send(cmd: EngineCommand): void;
  /** Listen to events; returns the unsubscribe function. */
  onEvent(fn: (e: EngineEvent) => void): () => void;
  /** Resolves when the process exits (code, or the signal that killed it). */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  readonly pid: number | undefined;
  /** Disconnect: a running batch is cancelled cleanly and the process exits. */
  close(): void;
  /** Kill at once (SIGKILL), with the worker processes of its process group. */
  kill(): void;
}

/** The environment an engine process needs, for a pool of at most `maxWorkers`. */
export function engineEnv(maxWorkers = 2 * availableParallelism(), base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, ...engineEnvVars(maxWorkers, availableParallelism()) };
}

/**
 * The environment of an engine process that will (`nats` true) or will not connect to a NATS
 * broker. Node 20 reads and parses the whole file that NODE_EXTRA_CA_CERTS names at every
 * process start, whether or not the process ever opens a TLS connection: ~40 ms of start-up on
 * a machine whose variable names the system's CA bundle (BENCHMARKS.md "Session 10"). Only the
 * NATS client opens TLS connections in an engine, so one that will not connect starts without it.
 */
function hostEnv(maxWorkers: number, nats: boolean, extraEnv: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = { ...engineEnv(maxWorkers), ...extraEnv };
  if (!nats) delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

function forkHost(maxWorkers: number, nats: boolean, extraEnv: NodeJS.ProcessEnv = {}): ChildProcess {
  const entry = resolveEntry(import.meta.url, '../engine/host.js');
  return fork(entry.file, [], {
    env: hostEnv(maxWorkers, nats, extraEnv),
    execArgv: [...ENGINE_HOST_EXEC_ARGV, ...entry.execArgv],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Its own process group: a terminal's Ctrl-C reaches the caller alone (which cancels
    // cleanly), not the engine or its worker processes. It still ends with the caller: a
    // closed IPC channel makes the host cancel and exit (engine/host.ts).
    detached: true,
  });
}

let early: { child: ChildProcess; maxWorkers: number; nats: boolean } | undefined;

/**
 * Start an engine process now, before the caller has even parsed its options, so that its
 * start-up (Node, libvips, zod, and `warmWorkers` worker threads: ~0.3 s) overlaps the
 * caller's; the next {@link spawnEngine} adopts it. Until then it does not keep the caller
 * alive, and it exits with the caller.
 *
 * @param maxWorkers as for spawnEngine (default 2 x cores)
 * @param warmWorkers threads to start at once for the first batch (default: cores, the
 *   default batch size; a batch of another size or model closes them)
 * @param nats whether the batch may connect to a NATS broker (default true; see spawnEngine)
 * @example
 * prespawnEngine(); // first thing in bin/photopool for `convert` and `resume`
 */
export function prespawnEngine(maxWorkers = 2 * availableParallelism(), warmWorkers = availableParallelism(), nats = true): void {
  if (early) return;
  const child = forkHost(maxWorkers, nats, { PHOTOPOOL_PREWARM: String(warmWorkers) });
  child.unref();
  child.channel?.unref();
  early = { child, maxWorkers, nats };
}

/**
 * @param options.maxWorkers largest pool size this engine will be asked for (sets UV_THREADPOOL_SIZE); default 2 x cores
 * @param options.nats false when this engine will never connect to a NATS broker: it then
 *   starts without NODE_EXTRA_CA_CERTS, which only TLS needs (default true)
 * @example
 * const engine = spawnEngine({ nats: false });
 * const off = engine.onEvent((e) => e.type === 'done' && engine.close());
 * engine.send({ type: 'start', spec: { inputs: ['photos'], output: 'out' } });
 */
export function spawnEngine(options: { maxWorkers?: number; nats?: boolean } = {}): EngineProcess {
  const maxWorkers = options.maxWorkers ?? 2 * availableParallelism();
  const nats = options.nats ?? true;
  let child: ChildProcess;
  if (early && early.maxWorkers >= maxWorkers && (early.nats || !nats) && early.child.connected) {
    child = early.child;
    child.ref();
    child.channel?.ref();
  } else {
    early?.child.kill();
    child = forkHost(maxWorkers, nats);
  }
  early = undefined;
  return engineProcess({
    pid: child.pid,
    onMessage: (fn) => child.on('message', fn),
    onExit: (fn) => child.on('exit', fn),
    post: (cmd) => {
      if (child.connected) child.send(cmd);
    },
    close: () => {
      if (child.connected) child.disconnect();
    },
    kill: () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGKILL'); // the group: the engine and its worker processes
      } catch {
        child.kill('SIGKILL');
      }
    },
  });
}

/** A process handle as {@link engineProcess} adapts it (a Node fork or Electron's utilityProcess). */
export interface ProcessHandle {
  readonly pid: number | undefined;
  onMessage(fn: (m: unknown) => void): void;
  onExit(fn: (code: number | null, signal?: string | null) => void): void;
  /** Send one command; the handle drops it once the process is gone. */
  post(cmd: EngineCommand): void;
  close(): void;
  kill(): void;
}

/**
 * Adapt a process handle to an {@link EngineProcess}: one fan-out of its messages to every
 * listener, its exit as a promise.
 *
 * @example
 * const engine = engineProcess({ pid, onMessage, onExit, post, close, kill });
 * const off = engine.onEvent(console.log);
 */
export function engineProcess(p: ProcessHandle): EngineProcess {
  const listeners = new Set<(e: EngineEvent) => void>();
  p.onMessage((m) => {
    for (const fn of listeners) fn(m as EngineEvent);
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => p.onExit((code, signal) => resolve({ code, signal: signal ?? null })));
  return {
    send: (cmd) => p.post(cmd),
    onEvent: (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    exited,
    pid: p.pid,
    close: () => p.close(),
    kill: () => p.kill(),
  };
}
