/**
 * Preloaded by `scripts/bench-startup.mjs --cpu` (NODE_OPTIONS=--require, so in the CLI, the
 * engine and its worker threads): each `startup` trace line (engine/batch/trace.ts) gets the CPU
 * its process has used so far, as ` [cpu main=M threads=T]` in ms: M its main thread, T all its
 * other threads (worker threads, V8 and libuv helpers), from /proc/self/task (Linux; 10 ms
 * ticks). CPU is what the machine's load moves least, so these figures can be compared across
 * runs on a busy machine where wall-clock times cannot.
 */
'use strict';
const { readdirSync, readFileSync } = require('node:fs');
const { isMainThread } = require('node:worker_threads');

/** { main, threads }: CPU ms of this process's main thread and of all its other threads. */
function cpu() {
  let main = 0;
  let threads = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    let stat;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // f[11] utime, f[12] stime, in 1/100 s
    const ms = (Number(f[11]) + Number(f[12])) * 10;
    if (Number(tid) === process.pid) main = ms;
    else threads += ms;
  }
  return { main, threads };
}

if (isMainThread) {
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk, ...rest) => {
    if (typeof chunk === 'string' && chunk.startsWith('startup ')) {
      const c = cpu();
      chunk = chunk.replace(/\n$/, ` [cpu main=${c.main} threads=${c.threads}]\n`);
    }
    return write(chunk, ...rest);
  };
}
