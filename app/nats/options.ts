/**
 * The `--nats*` flags shared by `convert`, `resume` and `worker`. Credentials stay in files
 * (`--nats-creds`, `--nats-tls-ca`) or in the URL; they travel only to the NATS client and are
 * never printed (a bad URL is shown without its user:password), journaled, saved or sent in events.
 */
import type { Command } from 'commander';
import { parseNatsOptions, type NatsOptions } from '../../common/remote-task.js';

export interface NatsFlags {
  nats?: string;
  natsCreds?: string;
  natsTlsCa?: string;
  natsWindow?: string;
}

/**
 * @example
 * addNatsFlags(cli.command('convert'))
 */
export function addNatsFlags(cmd: Command, window = true): Command {
  cmd
    .option('--nats <url>', 'NATS JetStream broker (nats://host:4222): run on remote "photopool worker"s too')
    .option('--nats-creds <file>', 'NATS credentials file (JWT + NKey seed)')
    .option('--nats-tls-ca <file>', "CA certificate (PEM) that signed the broker's TLS certificate");
  if (window) cmd.option('--nats-window <n>', 'files on the broker at once (uploaded or queued for remote workers; default 32)');
  return cmd;
}

/**
 * The validated connection options, or undefined without `--nats`. Throws InvalidOptionsError
 * naming the flag.
 *
 * @example
 * natsFromFlags({ nats: 'nats://127.0.0.1:4222' }) // { url: 'nats://127.0.0.1:4222', window: 32 }
 */
export function natsFromFlags(f: NatsFlags): NatsOptions | undefined {
  if (f.nats === undefined) {
    if (f.natsCreds || f.natsTlsCa || f.natsWindow) return parseNatsOptions({}); // names --nats as missing
    return undefined;
  }
  const window = f.natsWindow === undefined ? undefined : /^\d+$/.test(f.natsWindow) ? Number(f.natsWindow) : f.natsWindow;
  return parseNatsOptions(JSON.parse(JSON.stringify({ url: f.nats, creds: f.natsCreds, tlsCa: f.natsTlsCa, window })));
}
