// Preload for the soak's engine (`npm run soak -- --probe`; NODE_OPTIONS=--require): the engine
// process appends its memory to $MEMPROBE_OUT every 500 ms, one JSON line each: wall time, RSS
// (anonymous and file-backed), V8 heap used and committed, array buffers (MiB), thread count.
const { isMainThread } = require('node:worker_threads');
if (isMainThread && /engine[\\/]host\.js$/.test(process.argv[1] || '') && process.env.MEMPROBE_OUT) {
  const fs = require('node:fs');
  const out = process.env.MEMPROBE_OUT;
  const MiB = 2 ** 20;
  setInterval(() => {
    const m = process.memoryUsage();
    const st = fs.readFileSync('/proc/self/status', 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(st)?.[1] ?? 0) / 1024;
    const row = { t: Date.now(), rss: m.rss / MiB, anon: kb('RssAnon'), file: kb('RssFile'), heapUsed: m.heapUsed / MiB, heapTotal: m.heapTotal / MiB, arrayBuffers: m.arrayBuffers / MiB, threads: Number(/Threads:\s+(\d+)/.exec(st)[1]) };
    fs.appendFileSync(out, JSON.stringify(row) + '\n');
  }, 500).unref();
}
