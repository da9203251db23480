/**
 * Browser mode's "Open output folder" and "Download outputs": the server runs on the person's
 * machine, so it can open the folder in the system file manager; for a browser elsewhere (or a
 * folder not at hand) it streams the finished batch's outputs as one zip (archiver: well kept,
 * streams without building the archive in memory or on disk).
 */
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { join, relative } from 'node:path';
import { ZipArchive } from 'archiver';
import { reply } from './http.js';

/**
 * Open `path` in the system file manager (xdg-open, open, explorer; PHOTOPOOL_OPEN_COMMAND
 * replaces it, e.g. in tests). Resolves with an error message, or null once the opener started.
 *
 * @example
 * const error = await openInFileManager('/home/me/Pictures/PhotoPool/2026-11-29 10-00');
 */
export function openInFileManager(path: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const [cmd, args] = env.PHOTOPOOL_OPEN_COMMAND
    ? [env.PHOTOPOOL_OPEN_COMMAND, [path]]
    : process.platform === 'darwin'
      ? ['open', [path]]
      : process.platform === 'win32'
        ? ['explorer', [path]]
        : ['xdg-open', [path]];
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.once('error', (err) => resolve(`Could not open the folder with ${cmd} (${err.message}): open ${path} yourself`));
    child.once('spawn', () => {
      child.unref();
      resolve(null);
    });
  });
}

/** Outputs below `dir`: every file but PhotoPool's own (journal, lock, temporary files: names starting with "."). */
async function* outputFiles(dir: string): AsyncGenerator<string> {
  for (const d of await fs.readdir(dir, { withFileTypes: true })) {
    if (d.name.startsWith('.')) continue;
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* outputFiles(p);
    else if (d.isFile()) yield p;
  }
}

/**
 * Stream the outputs of `dir` as `photopool-outputs.zip` (stored, not deflated: images are
 * compressed already). 409 while the batch runs, 404 without a batch.
 */
export async function sendOutputsZip(res: ServerResponse, batch: { output: string; finished: boolean } | null): Promise<void> {
  if (!batch) return reply(res, 404, 'no batch: convert something first');
  if (!batch.finished) return reply(res, 409, 'the batch is still running: download its outputs once it has finished');
  const st = await fs.stat(batch.output).catch(() => null);
  if (!st?.isDirectory()) return reply(res, 404, `the output folder ${batch.output} does not exist any more`);
  res.writeHead(200, { 'content-type': 'application/zip', 'content-disposition': 'attachment; filename="photopool-outputs.zip"', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  const zip = new ZipArchive({ store: true });
  zip.on('error', () => res.destroy());
  res.on('close', () => zip.abort());
  zip.pipe(res);
  for await (const file of outputFiles(batch.output)) zip.file(file, { name: relative(batch.output, file).split('\\').join('/') });
  await zip.finalize();
}
