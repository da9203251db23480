/**
 * `photopool doctor`: what this machine offers PhotoPool, and whether an output folder is writable.
 */
import type { Command } from 'commander';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { engineEnv } from '../client.js';
import { machineInfo } from '../bench/machine.js';
import { makeDirs } from '../mkdirs.js';

/** Formats sharp can read and write here, from sharp.format. */
export function formats(): { read: string[]; write: string[] } {
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
    .action((f: { output?: string; json?: boolean }) => {
      const m = machineInfo();
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
      const report = { ...m, engineEnv: { UV_THREADPOOL_SIZE: env.UV_THREADPOOL_SIZE, MALLOC_ARENA_MAX: env.MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_: env.MALLOC_MMAP_THRESHOLD_ }, formats: formats(), output };
      if (f.json) process.stdout.write(JSON.stringify(report) + '\n');
      else {
        const w = process.stdout;
        w.write(`CPU           ${m.cpu}, ${m.cores} cores\nMemory        ${m.memoryGiB} GiB\nOS            ${m.os}\nNode          ${m.node}\n`);
        w.write(`sharp         ${m.sharp} (libvips ${m.libvips})\n`);
        w.write(`Engine env    UV_THREADPOOL_SIZE=${env.UV_THREADPOOL_SIZE} MALLOC_ARENA_MAX=${env.MALLOC_ARENA_MAX} MALLOC_MMAP_THRESHOLD_=${env.MALLOC_MMAP_THRESHOLD_} (set for the engine process; this shell has UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 'unset'})\n`);
        w.write(`Reads         ${report.formats.read.join(' ')}\nWrites        ${report.formats.write.join(' ')}\n`);
        if (output) w.write(`Output        ${output.path}: ${output.writable ? 'writable' : `NOT writable (${output.error}); choose another folder or fix its permissions`}\n`);
      }
      setExit(output && !output.writable ? 1 : 0);
    });
}
