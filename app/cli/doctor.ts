/**
 * `photopool doctor`: what this machine offers PhotoPool, and whether an output folder is writable.
 */
import type { Command } from 'commander';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { engineEnv } from '../engine-client.js';
import { machineInfo } from '../bench/machine.js';
import { resolveEntry } from '../../engine/entry.js';
import { makeDirs } from '../../engine/mkdirs.js';

/** Formats sharp can read and write here, from sharp.format. */
export function formats(): { read: string[]; write: string[] } {
  const sharp = createRequire(import.meta.url)('sharp') as typeof import('sharp'); // loaded only when asked
  const all = Object.values(sharp.format);
  return {
    read: all.filter((f) => f.input.file || f.input.buffer).map((f) => f.id).sort(),
    write: all.filter((f) => f.output.file || f.output.buffer).map((f) => f.id).sort(),
  };
}

export function registerDoctorCommand(cli: Command, setExit: (code: number) => void): void {
  cli
    .command('doctor')
    .description('show what this machine offers (cores, memory, thread pool, sharp/libvips, formats) and check an output folder')
    .option('-o, --output <dir>', 'check that this output folder can be written')
    .option('--json', 'print one JSON object')
    .action(async (f: { output?: string; json?: boolean }) => {
      const m = machineInfo();
      // The worker module that binds libturbojpeg, loaded by path as the pool does.
      const turbo = (await import(pathToFileURL(resolveEntry(import.meta.url, '../../workers/turbojpeg.js').file).href)) as { turboPath(): string | null };
      const lumaLane = turbo.turboPath();
      const vips = (await import(pathToFileURL(resolveEntry(import.meta.url, '../../workers/vips-sync.js').file).href)) as { vipsLibraryPath(): string | null };
      const lumaResize = vips.vipsLibraryPath();
      const libwebp = (await import(pathToFileURL(resolveEntry(import.meta.url, '../../workers/libwebp.js').file).href)) as { webpLibrary(): { path: string; version: string } | null };
      const webpEncoder = libwebp.webpLibrary();
      const heic = ((await import(pathToFileURL(resolveEntry(import.meta.url, '../../workers/decode/heic-backend.js').file).href)) as { heicBackend(): { name: string } | null }).heicBackend()?.name ?? null;
      const env = engineEnv();
      let output: { path: string; writable: boolean; error?: string } | undefined;
      if (f.output) {
        const dir = resolve(f.output);
        try {
          makeDirs(dir);
          const probe = join(dir, `.photopool-doctor-${process.pid}`);
          writeFileSync(probe, 'ok', { flag: 'wx' });
          rmSync(probe);
          output = { path: dir, writable: true };
        } catch (err) {
          output = { path: dir, writable: false, error: (err as Error).message };
        }
      }
      const report = { ...m, engineEnv: { UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX }, formats: formats(), lumaLane, lumaResize, webpEncoder, heicDecoder: heic, output };
      if (f.json) process.stdout.write(JSON.stringify(report) + '\n');
      else {
        const w = process.stdout;
        w.write(`CPU           ${m.cpu}, ${m.cores} cores\nMemory        ${m.memoryGiB} GiB\nOS            ${m.os}\nNode          ${m.node}\n`);
        w.write(`sharp         ${m.sharp} (libvips ${m.libvips})\n`);
        w.write(`JPEG luma lane ${lumaLane ? `libturbojpeg ${lumaLane}` : 'off: no TurboJPEG 3 library found (gray JPEG to JPEG goes through sharp, about 1.7x slower)'}\n`);
        if (lumaLane) w.write(`Luma resize   ${lumaResize ? `on each worker's own thread (${lumaResize})` : "through sharp (its libvips library was not found as a file)"}\n`);
        w.write(`Colour lane   ${lumaLane && lumaResize ? 'on: colour JPEG to JPEG or WebP fitted in a box, decoded by libturbojpeg, resized and encoded by libvips on each worker\'s own thread' : 'off: needs libturbojpeg and sharp\'s libvips as a file (colour JPEG goes through sharp, about 1.3x the CPU)'}\n`);
        if (lumaLane && lumaResize) w.write(`Lane WebP     ${webpEncoder ? `libwebp ${webpEncoder.version} (${webpEncoder.path}), the system's` : "libvips' own encoder (install libwebp7 for the system's: the same files in about 0.83x the time)"}\n`);
        w.write(`Engine env    UV_THREADPOOL_SIZE=${env.UV_THREADPOOL_SIZE} MALLOC_ARENA_MAX=${env.MALLOC_ARENA_MAX} (set for the engine process; this shell has UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 'unset'})\n`);
        w.write(`HEIC decoder  ${heic ?? 'none: install libheif1 + libde265-0, or restore node_modules/libheif-js (HEIC files fail as unsupported-format)'}\n`);
        w.write(`Reads         ${report.formats.read.join(' ')} + bmp jxl heic raw-preview (workers/decode)\nWrites        ${report.formats.write.join(' ')}\n`);
        if (output) w.write(`Output        ${output.path}: ${output.writable ? 'writable' : `NOT writable (${output.error}); choose another folder or fix its permissions`}\n`);
      }
      setExit(output && !output.writable ? 1 : 0);
    });
}
