/**
 * What machine a benchmark ran on.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type } from 'node:os';
import { createRequire } from 'node:module';
import type { MachineInfo } from '../../common/bench.js';
import { engineEnv } from '../engine-client.js';

/** @example machineInfo().cores // 2 */
export function machineInfo(maxWorkers?: number): MachineInfo {
  let os = `${type()} ${release()}`;
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)/m.exec(readFileSync('/etc/os-release', 'utf8'));
    if (pretty) os = `${pretty[1]} (${release()})`;
  } catch {
    /* not Linux */
  }
  const sharp = createRequire(import.meta.url)('sharp') as typeof import('sharp'); // loaded only when asked
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os,
    node: process.version,
    sharp: sharp.versions.sharp ?? 'unknown',
    libvips: sharp.versions.vips,
    uvThreadpoolSize: Number(engineEnv(maxWorkers).UV_THREADPOOL_SIZE),
  };
}
