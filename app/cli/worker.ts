/**
 * `photopool worker --nats <url>`: convert files for batches run with `convert --nats` on other
 * machines. Exit codes: 0 drained after SIGTERM/SIGINT; 2 bad options; 1 broker unreachable.
 */
import type { Command } from 'commander';
import { availableParallelism, hostname } from 'node:os';
import { InvalidOptionsError } from '../../common/validate.js';
import { addNatsFlags, natsFromFlags, type NatsFlags } from '../nats/options.js';
import { runWorker } from '../nats/worker.js';

export function registerWorkerCommand(cli: Command, setExit: (code: number) => void): void {
  const cmd = cli
    .command('worker')
    .description('convert files for "photopool convert --nats" batches of other machines (NATS JetStream)')
    .option('-w, --workers <n>', 'files converted at once (default: number of cores)')
    .option('--name <name>', 'this machine in lanes and results (default: host name)', hostname())
    .addHelpText('after', '\nExample:\n  photopool worker --nats nats://broker.lan:4222 --workers 8\n\nSIGTERM or Ctrl-C drains: no new file, running ones finish, then it exits.');
  addNatsFlags(cmd, false).action(async (f: NatsFlags & { workers?: string; name: string }) => {
    const workers = f.workers === undefined ? availableParallelism() : Number(f.workers);
    try {
      if (!(Number.isInteger(workers) && workers >= 1 && workers <= 64)) {
        throw new InvalidOptionsError([{ field: '--workers', expected: 'a whole number from 1 to 64', received: JSON.stringify(f.workers) }]);
      }
      if (!/^[\w.-]{1,100}$/.test(f.name)) throw new InvalidOptionsError([{ field: '--name', expected: 'letters, digits, ".", "_" or "-" (at most 100)', received: JSON.stringify(f.name) }]);
      const nats = natsFromFlags(f);
      if (!nats) throw new InvalidOptionsError([{ field: '--nats', expected: 'the broker URL, e.g. nats://broker:4222', received: 'nothing' }]);
      const ac = new AbortController();
      const drain = () => ac.abort();
      process.once('SIGTERM', drain).once('SIGINT', drain);
      await runWorker({ nats, workers, name: f.name, signal: ac.signal, log: (l) => process.stderr.write(l + '\n') });
      process.off('SIGTERM', drain).off('SIGINT', drain);
      setExit(0);
    } catch (err) {
      if (!(err instanceof InvalidOptionsError)) throw err;
      for (const p of err.problems) process.stderr.write(`photopool: ${p.field}: expected ${p.expected}, received ${p.received}\n`);
      setExit(2);
    }
  });
}
