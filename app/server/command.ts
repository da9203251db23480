/**
 * `photopool ui`: browser mode. Starts the engine and the local server, prints the URL (with
 * its token) and keeps running until Ctrl-C, which cancels a running batch cleanly.
 */
import { spawn } from 'node:child_process';
import type { Command } from 'commander';
import { spawnEngine } from '../engine-client.js';

function openBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  const child = spawn(cmd as string, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`photopool: could not open a browser; open ${url} yourself.\n`));
  child.unref();
}

/**
 * Register the `ui` subcommand on the photopool CLI.
 *
 * @example
 * registerUiCommand(cli, (code) => (exit = code));
 */
export function registerUiCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('ui')
    .description('open the PhotoPool app in your browser (served on 127.0.0.1 only)')
    .option('-p, --port <port>', 'port to listen on (0 = any free port)', '0')
    .option('--open', 'open the default browser at the URL')
    .action(async (f: { port: string; open?: boolean }) => {
      const port = Number(f.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`photopool: --port: expected a whole number from 0 to 65535, received ${JSON.stringify(f.port)}\n`);
        return setExit(2);
      }
      // Loaded here, not at start-up: `photopool convert` never needs the server.
      const [{ startUiServer }, { Session }, { SettingsStore }, { openInFileManager }] = await Promise.all([
        import('./server.js'),
        import('../session/session.js'),
        import('../settings.js'),
        import('./outputs.js'),
      ]);
      let token = '';
      const settings = new SettingsStore();
      if (settings.problem) process.stderr.write(`photopool: ${settings.problem}\n`);
      const session = new Session({
        spawn: (maxWorkers) => spawnEngine({ maxWorkers }),
        settings,
        openPath: openInFileManager,
        outputsZipUrl: () => `/api/outputs.zip?token=${encodeURIComponent(token)}`,
      });
      let server;
      try {
        server = await startUiServer({ session, port });
        token = server.token;
      } catch (err) {
        await session.dispose();
        process.stderr.write(`photopool: ${(err as Error).message}\n`);
        return setExit(1);
      }
      process.stdout.write(`PhotoPool UI: ${server.url}\n(only this URL, with its token, opens the app; Ctrl-C to stop)\n`);
      if (f.open) openBrowser(server.url);
      await new Promise<void>((res) => {
        process.once('SIGINT', res);
        process.once('SIGTERM', res);
      });
      process.stderr.write('Stopping (a running batch is cancelled; nothing partial is kept)...\n');
      await session.dispose();
      await server.close();
      setExit(0);
    });
}
