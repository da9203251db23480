/**
 * Helpers for the CLI tests: run `photopool` in its own process group (as a shell runs a
 * foreground job, so a signal can go to the whole group as a terminal's Ctrl-C does), or on a
 * pseudo-terminal with util-linux `script`, with the time each piece of output arrived.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, childPids } from './helpers.js';

export interface GroupRun {
  child: ChildProcess;
  /** Everything written so far. */
  out: { stdout: string; stderr: string };
  /** Resolves with the exit code (or signal) once the CLI ends. */
  ended: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Send `signal` to the CLI's whole process group (what a terminal's Ctrl-C does). */
  signalGroup(signal: NodeJS.Signals): void;
}

/** Start `photopool args...` as the leader of its own process group. */
export function startInGroup(args: string[], opts: { stdin?: string; cwd?: string } = {}): GroupRun {
  const child = spawn(process.execPath, [BIN, ...args], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
  const out = { stdout: '', stderr: '' };
  child.stdout!.on('data', (d: Buffer) => (out.stdout += d));
  child.stderr!.on('data', (d: Buffer) => (out.stderr += d));
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  else child.stdin!.end();
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  return { child, out, ended, signalGroup: (signal) => process.kill(-child.pid!, signal) };
}

/** Wait until `test()` holds (polling every 20 ms); throws after `ms`. */
export async function until(test: () => boolean, ms = 60_000, what = 'condition'): Promise<void> {
  const t0 = Date.now();
  while (!test()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Regular files below `dir` with an extension in `exts` (recursive), excluding hidden ones. */
export function outputsIn(dir: string, exts = /\.(jpe?g|png|webp)$/i): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else if (exts.test(e.name)) found.push(join(d, e.name));
    }
  };
  walk(dir);
  return found;
}

/** True while a process runs (the engine's own check: a zombie awaiting its late reaper counts as gone). */
export { alive } from '../engine/lock.js';

/** The engine process the CLI `pid` forked (its one Node child). */
export async function enginePid(pid: number): Promise<number> {
  let found: number[] = [];
  await until(() => (found = childPids(pid)).length > 0, 20_000, 'the engine process');
  return found[0]!;
}

/** A shell word for `script -c`. */
const sh = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

/**
 * Run `photopool args...` on a pseudo-terminal (util-linux `script`); `chunks` holds each piece
 * of output with the milliseconds since the start.
 */
export function runOnTty(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; text: string; chunks: Array<{ ms: number; text: string }> }> {
  return new Promise((done) => {
    const t0 = performance.now();
    const chunks: Array<{ ms: number; text: string }> = [];
    const cmd = [process.execPath, BIN, ...args].map(sh).join(' ');
    const merged: NodeJS.ProcessEnv = { ...process.env, ...env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete merged[k]; // undefined: unset
    const child = spawn('script', ['-qfec', cmd, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'], env: merged });
    child.stdout.on('data', (d: Buffer) => chunks.push({ ms: performance.now() - t0, text: d.toString() }));
    child.on('close', (code) => done({ code, text: chunks.map((c) => c.text).join(''), chunks }));
  });
}
