/**
 * `photopool` command line: convert, resume, ui, bench, doctor, worker (each in its own module).
 * Exit codes: 0 all converted; 3 finished but some files failed; 2 bad usage or options;
 * 1 fatal error (engine crashed, batch stopped by a full or vanished output disk);
 * 130 stopped by Ctrl-C or SIGTERM (the command that continues is printed).
 */
import { Command, CommanderError } from 'commander';
import { EXIT } from './batch.js';
import { registerConvertCommand } from './convert.js';
import { registerResumeCommand } from './resume.js';
import { registerUiCommand } from '../server/command.js';
import { registerBenchCommand } from './bench.js';
import { registerDoctorCommand } from './doctor.js';
import { registerWorkerCommand } from './worker.js';

export { EXIT, runBatch } from './batch.js';

export function program(setExit: (code: number) => void): Command {
  const cli = new Command('photopool')
    .description('Bulk image conversion on all your cores (sharp + piscina).')
    .exitOverride()
    .showHelpAfterError();
  registerConvertCommand(cli, setExit);
  registerResumeCommand(cli, setExit);
  registerUiCommand(cli, setExit);
  registerBenchCommand(cli, setExit);
  registerDoctorCommand(cli, setExit);
  registerWorkerCommand(cli, setExit);
  return cli;
}

/** Entry point used by bin/photopool. */
export async function main(argv = process.argv): Promise<number> {
  let exit: number = EXIT.ok;
  try {
    await program((c) => (exit = c)).parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    process.stderr.write(`photopool: ${err instanceof Error ? err.message : String(err)}\n`);
    return EXIT.fatal;
  }
  return exit;
}
