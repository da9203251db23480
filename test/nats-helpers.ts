/**
 * A real NATS JetStream broker for the scale-out tests: Debian's nats-server on 127.0.0.1, a
 * free port and a temporary store; `photopool worker` processes in their own process groups
 * (so that a test can SIGKILL one with the conversion processes it started, as a machine
 * that dies).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { BIN, tempDir } from './helpers.js';

export const HAVE_NATS = spawnSync('nats-server', ['--version']).status === 0;
/** Short ack wait: a task held by a dead worker comes back after 2 s. */
export const NATS_ENV = { PHOTOPOOL_NATS_ACK_WAIT_MS: '2000' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export class Broker {
  private proc: ChildProcess | undefined;
  readonly store = tempDir('nats-store');
  private constructor(readonly port: number) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** @example const broker = await Broker.start(); ... await broker.stop(); */
  static async start(): Promise<Broker> {
    const b = new Broker(await freePort());
    await b.up();
    return b;
  }

  /** Start (again, with the same store and port) and wait until it takes connections. */
  async up(): Promise<void> {
    mkdirSync(this.store, { recursive: true });
    this.proc = spawn('nats-server', ['-js', '-sd', this.store, '-a', '127.0.0.1', '-p', String(this.port)], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        const nc = await connect({ servers: this.url, timeout: 500 });
        await (await jetstreamManager(nc)).getAccountInfo();
        await nc.close();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`nats-server did not start on port ${this.port}`);
  }

  /** Stop the server (SIGTERM, as an operator restarting it would). */
  async stop(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }

  /** What is on the broker: stream name -> messages (the shared task queue stays, empty). */
  async streams(): Promise<Record<string, number>> {
    const nc = await connect({ servers: this.url });
    const jsm = await jetstreamManager(nc);
    const out: Record<string, number> = {};
    for await (const s of jsm.streams.list()) out[s.config.name] = s.state.messages;
    await nc.close();
    return out;
  }

  /** Tasks handed out to workers and not acknowledged yet. */
  async ackPending(): Promise<number> {
    const nc = await connect({ servers: this.url });
    try {
      return (await (await jetstreamManager(nc)).consumers.info('PHOTOPOOL_TASKS', 'photopool-workers')).num_ack_pending;
    } finally {
      await nc.close();
    }
  }
}

export interface WorkerProc {
  proc: ChildProcess;
  /** The worker's TMPDIR: empty once it has exited. */
  tmp: string;
  log: () => string;
  exited: Promise<number | null>;
  /** Resolves once the worker is connected and pulling. */
  ready(): Promise<void>;
  /** SIGKILL the worker and its conversion processes (a machine that dies). */
  killHard(): void;
  /** SIGTERM: drain and exit. */
  stop(): Promise<number | null>;
}

/** Start `photopool worker --nats <url> --workers <n>` in its own process group. */
export function startWorker(url: string, name: string, workers = 1, env: NodeJS.ProcessEnv = {}): WorkerProc {
  const tmp = tempDir(`wtmp-${name}`);
  const proc = spawn(process.execPath, [BIN, 'worker', '--nats', url, '--workers', String(workers), '--name', name], {
    env: { ...process.env, ...NATS_ENV, ...env, TMPDIR: tmp },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  proc.stderr!.on('data', (d: Buffer) => (log += d));
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return {
    proc,
    tmp,
    log: () => log,
    exited,
    ready: async () => {
      for (let i = 0; i < 200 && !log.includes('pulling from'); i++) await new Promise((r) => setTimeout(r, 50));
      if (!log.includes('pulling from')) throw new Error(`worker ${name} did not start: ${log}`);
    },
    killHard: () => {
      try {
        process.kill(-proc.pid!, 'SIGKILL');
      } catch {
        /* gone already */
      }
    },
    stop: async () => {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
