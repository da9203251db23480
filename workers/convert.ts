/**
 * piscina entry point: convert one file. Never throws: every outcome is a ConvertResult, so
 * the failure code survives the trip back to the engine.
 *
 * Safety: the input is opened with O_NOFOLLOW | O_NONBLOCK and checked with fstat, so a
 * symlink, FIFO or device never reaches sharp (a FIFO would block a libuv thread forever);
 * sharp gets a Buffer, so an SVG cannot pull in other files. The output is written to the
 * task's temporary path with O_EXCL and removed again on any failure.
 */
import { constants, promises as fs } from 'node:fs';
import { dirname } from 'node:path';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';
import type { FailureCode } from '../common/failures.js';
import type { ConvertResult, ConvertTask } from '../common/task.js';
import { classify, type Stage } from '../common/classify.js';
import { WORKER_LOADED_CHANNEL } from '../common/worker-loaded.js';
import { mayBlock } from './blocking.js';
import { borrow, release } from './buffers.js';
import { fileIo } from './file-io.js';
import { cutShort } from './cut-short.js';
import { copyFileTimes } from './file-times.js';
import { encode } from './pipeline.js';

// Every module above is loaded (sharp's and koffi's addons registered): say so, as the engine
// waits for it before it ends this thread (engine/pools/loaded.ts). Said once the loader has
// returned (a microtask: piscina's idle thread then blocks in Atomics.wait, so no later turn of
// the event loop comes): Node still builds this module's require() facade after its body ran,
// and a thread ended then aborts the process too.
if (!isMainThread) {
  queueMicrotask(() => {
    const channel = new BroadcastChannel(WORKER_LOADED_CHANNEL);
    channel.postMessage(threadId);
    channel.close();
  });
}

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    override readonly cause: unknown,
    readonly forced?: Extract<ConvertResult, { ok: false }>,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

async function at<T>(stage: Stage, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    throw err instanceof StageError ? err : new StageError(stage, err);
  }
}

function fail(code: FailureCode, detail: string, started: number): Extract<ConvertResult, { ok: false }> {
  return { ok: false as const, code, detail, ms: performance.now() - started, threadId };
}

async function readInput(task: ConvertTask, started: number): Promise<Buffer> {
  const io = fileIo();
  const fd = await io.open(task.input, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const st = await io.fstat(fd);
    if (!st.isFile()) throw new StageError('read', new Error('not a regular file'), fail('not-a-regular-file', 'not a regular file', started));
    if (st.size > task.limits.maxFileBytes) {
      throw new StageError('read', new Error('too large'), fail('too-large', `${st.size} bytes > limit ${task.limits.maxFileBytes}`, started));
    }
    // Into a reused buffer (see buffers.ts), handed back by convert() when the file is done.
    const buf = borrow(st.size);
    let got = 0;
    try {
      while (got < buf.length) {
        const bytesRead = await io.read(fd, buf, got, buf.length - got, got);
        if (bytesRead === 0) break; // shrank since the stat
        got += bytesRead;
      }
    } catch (err) {
      release(buf);
      throw err;
    }
    return buf.subarray(0, got);
  } finally {
    await io.close(fd);
  }
}

async function writeOutput(task: ConvertTask, data: Buffer): Promise<void> {
  await fileIo().create(task.tmp, dirname(task.tmp), data);
  if (task.keepMtime) await copyFileTimes(task.input, task.tmp);
}

/**
 * Fault injection for the reliability tests, on inputs whose path contains <text>:
 * PHOTOPOOL_FAULT=crash:<text> makes the worker die abruptly, as a crash inside native code
 * would (a worker process aborts with SIGABRT, a worker thread ends at once);
 * PHOTOPOOL_FAULT=hang:<text> blocks the worker forever, as a stuck decoder would.
 * Only under the test runner (vitest sets VITEST in its environment, which the CLI, engine and
 * workers it starts inherit): a user's environment cannot turn it on. Never in the engine's own
 * thread (the `async` model).
 */
const FAULT = process.env.VITEST ? /^(crash|hang):(.+)$/.exec(process.env.PHOTOPOOL_FAULT ?? '') : null;

function injectFault(input: string): void {
  const m = FAULT;
  if (!m || !input.includes(m[2]!) || !mayBlock()) return;
  if (m[1] === 'hang') for (;;);
  if (process.send) process.abort();
  process.exit(70);
}

/** libvips messages are multi-line with generic noise: keep the lines that say something. */
function tidy(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter(Boolean);
  const useful = lines.filter((l) => !/unable to write to target target|Warning treated as error due to failOn/.test(l));
  return (useful.length ? useful : lines).join('; ');
}

/**
 * Convert `task.input` into `task.tmp`.
 *
 * @example
 * await convert({ input: 'a.jpg', tmp: 'out/.a.jpg.photopool-tmp', format: 'jpeg', quality: 80, ... })
 * // { ok: true, outputBytes: 51234, ... }
 */
export default async function convert(task: ConvertTask): Promise<ConvertResult> {
  const started = performance.now();
  injectFault(task.input);
  let wrote = false;
  let input: Buffer | undefined;
  try {
    input = await at('read', () => readInput(task, started));
    const data = input;
    const out = await at('decode', () => encode(data, task));
    wrote = true;
    await at('write', () => writeOutput(task, out.data));
    return {
      ok: true,
      inputBytes: input.length,
      outputBytes: out.data.length,
      width: out.width,
      height: out.height,
      outWidth: out.outWidth,
      outHeight: out.outHeight,
      lane: out.lane,
      ms: performance.now() - started,
      threadId,
      ...(out.warnings && { warnings: out.warnings }),
      ...(out.quality !== undefined && { quality: out.quality }),
    };
  } catch (err) {
    if (wrote) await fs.rm(task.tmp, { force: true }).catch(() => undefined);
    const e = err instanceof StageError ? err : new StageError('decode', err);
    if (e.forced) return e.forced;
    let code = classify(e.cause, e.stage, task.input);
    // libvips names truncation only in a warning that may come too late, or in an error line
    // another thread can take or add (its error buffer is per process): where the format's
    // structure tells, the file says whether it was cut short or is damaged.
    const short = e.stage === 'decode' && input && (code === 'corrupt' || code === 'truncated') ? cutShort(input, task.inputFormat) : undefined;
    if (short !== undefined) code = short ? 'truncated' : 'corrupt';
    return fail(code, tidy(e.message), started);
  } finally {
    if (input) release(input);
  }
}
