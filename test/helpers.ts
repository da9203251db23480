/** Shared test helpers: run the real CLI, read NDJSON, hash trees, make temp folders. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import type { EngineEvent } from '../common/events.js';
import type { ConvertTask } from '../common/task.js';

export const ROOT = resolve(import.meta.dirname, '..');
export const SAMPLES = join(ROOT, 'assets/samples');
/** Real photo corpus beside the project (CI has it); tests that need it say so when absent. */
export const SHARED_PHOTOS = resolve(ROOT, '../shared/photos');
export const HAVE_SHARED = existsSync(SHARED_PHOTOS);
export const BIN = join(ROOT, 'bin/photopool');

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `photopool-${tag}-`));
}

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  events: EngineEvent[];
}

/** Run `photopool args...`; with `onEvent` you may kill the child mid-run (returns true to kill). */
export function runCli(args: string[], opts: { onEvent?: (e: EngineEvent, kill: () => void) => void; env?: NodeJS.ProcessEnv; asNobody?: boolean } = {}): Promise<CliRun> {
  return new Promise((done) => {
    const [cmd, argv] = opts.asNobody
      ? ['setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, BIN, ...args]]
      : [process.execPath, [BIN, ...args]];
    const child = spawn(cmd, argv, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let buf = '';
    const events: EngineEvent[] = [];
    const kill = () => {
      // SIGKILL the whole tree the hard way: the CLI and the engine process it forked.
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* not a group leader */
      }
      for (const pid of childPids(child.pid!)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      child.kill('SIGKILL');
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      buf += d;
      let nl;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (!line.startsWith('{')) continue;
        const e = JSON.parse(line) as EngineEvent;
        events.push(e);
        opts.onEvent?.(e, kill);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('close', (code, signal) => {
      // Exit 1 (fatal) has been seen once per few full runs and never alone: leave its evidence in the log.
      if (code === 1) console.error(`photopool ${args.join(' ')} exited 1\nstderr: ${stderr}\nlast events: ${JSON.stringify(events.slice(-3))}`);
      done({ code, signal, stdout, stderr, events });
    });
  });
}

/** Direct children of `pid` (Linux /proc). */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {
      /* exited */
    }
  }
  return out;
}

/** Every regular file below `dir` (relative paths, sorted), links and specials excluded. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out.sort();
}

/**
 * sha256 + mode + mtime of every regular file below `dir`, keyed by relative path. Walks with
 * Buffer names so that non-UTF-8 file names are read too; never follows links.
 */
export function hashTree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: Buffer, rel: string) => {
    for (const name of readdirSync(d, { encoding: 'buffer' })) {
      const p = Buffer.concat([d, Buffer.from('/'), name]);
      const st = lstatSync(p);
      const r = rel + name.toString();
      if (st.isDirectory()) {
        if (st.mode & 0o400) walk(p, r + '/');
        else out[r + '/'] = `dir:${st.mode}`;
      } else if (st.isFile()) {
        out[r] = createHash('sha256').update(readFileSync(p)).digest('hex') + ':' + st.mode + ':' + st.mtimeMs;
      } else out[r] = `special:${st.mode}`;
    }
  };
  walk(Buffer.from(dir), '');
  return out;
}

/** A folder of `count` hard links to the files of `from` (round-robin), named 00000-name.jpg. */
export function linkFarm(from: string, count: number, tag = 'farm'): string {
  const dir = tempDir(tag);
  const files = listFiles(from).filter((f) => /\.(jpe?g|png)$/i.test(f));
  for (let i = 0; i < count; i++) {
    const f = files[i % files.length]!;
    const sub = join(dir, `d${Math.floor(i / 500)}`);
    mkdirSync(sub, { recursive: true });
    linkSync(join(from, f), join(sub, `${String(i).padStart(5, '0')}-${f.replace(/[/\\]/g, '_')}`));
  }
  return dir;
}

export const ofType = <T extends EngineEvent['type']>(events: EngineEvent[], type: T) =>
  events.filter((e): e is Extract<EngineEvent, { type: T }> => e.type === type);

/** Temp files the engine may leave if it were broken. */
export const tmpFiles = (dir: string) => listFiles(dir).filter((f) => f.includes('.photopool-tmp'));

/**
 * Let the unprivileged user `nobody` reach the project (to run bin/photopool): CI may clone it
 * below a folder only root can enter. Adds o+x to the ancestors that lack it; returns the undo.
 */
export function letNobodyIn(): () => void {
  const changed: Array<[string, number]> = [];
  for (let dir = ROOT; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if (!(mode & 0o001)) {
      chmodSync(dir, mode | 0o001);
      changed.push([dir, mode]);
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const [dir, mode] of changed.reverse()) chmodSync(dir, mode);
  };
}

/**
 * A worker task for calling the pipeline directly: gray, fit inside 256x256 with the linear
 * kernel, JPEG q80, the engine's default limits, no metadata kept; `over` replaces fields.
 *
 * @example
 * await encode(jpeg, convertTask({ quality: 95 }));
 */
export function convertTask(over: Partial<ConvertTask> = {}): ConvertTask {
  return {
    input: 'x.jpg',
    inputFormat: 'jpeg',
    tmp: '/nonexistent',
    format: 'jpeg',
    quality: 80,
    ops: { grayscale: true, autoRotate: true, resize: { width: 256, height: 256, fit: 'inside', withoutEnlargement: true, kernel: 'linear' } },
    limits: { maxPixels: 100_000_000, timeoutSeconds: 60, maxFileBytes: 1 << 30, maxMemoryMiB: 2048 },
    keepExif: false,
    keepIcc: false,
    keepMtime: false,
    ...over,
  };
}

/**
 * One PNG chunk: length, type, data, CRC (for hand-made PNGs).
 *
 * @example
 * Buffer.concat([Buffer.from('\x89PNG\r\n\x1a\n', 'latin1'), pngChunk('IHDR', ihdr), pngChunk('IDAT', z), pngChunk('IEND', Buffer.alloc(0))])
 */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}
