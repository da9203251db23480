/**
 * The command line for `photopool convert` and `photopool resume` alone: the same commands as
 * main.ts registers, without the modules of the others (the UI server, the bench, the NATS
 * worker), so that a batch starts sooner. bin/photopool takes it for those two commands.
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from './batch.js';
import { registerConvertCommand } from './convert.js';
import { registerResumeCommand } from './resume.js';

/**
 * Run `photopool convert|resume ...`; resolves to the exit code (as main.ts's `main`).
 *
 * @example
 * process.exitCode = await main(['node', 'photopool', 'convert', 'in', '-o', 'out']);
 */
export async function main(argv = process.argv): Promise<number> {
  let exit: number = EXIT.ok;
  const cli = new Command('photopool').description('Bulk image conversion on all your cores (sharp + piscina).').exitOverride().showHelpAfterError();
  registerConvertCommand(cli, (c) => (exit = c));
  registerResumeCommand(cli, (c) => (exit = c));
  try {
    await cli.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`photopool: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.fatal;
  }
  return exit;
}
