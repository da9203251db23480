#!/usr/bin/env node
/**
 * `npm run bundle`: the files the packaged app runs, each one self-contained (esbuild), into
 * dist/bundle/ laid out like dist/ (electron-builder packs dist/bundle/** as dist/**):
 * - dist/bundle/engine/host.js       the engine process (Electron's utilityProcess forks it)
 * - dist/bundle/workers/convert.js   the `threads` worker (piscina loads it by path)
 * - dist/bundle/workers/process.js   the `processes` worker (forked by path)
 * - dist/bundle/workers/decode/thread.js  the decoders' helper thread (`async` model)
 * - dist/bundle/electron/main.js     Electron main (app/ session, server-free)
 * - dist/bundle/workers/preview.js   the engine's preview thread (engine/preview.ts)
 * and, not packed in the desktop app, the command line's `convert` and `resume`:
 * - dist/cli-bundle/batch-main.js    bin/photopool runs it (and so forks dist/bundle/engine/host.js)
 *                                    while it is newer than the last `npm run build`
 *
 * Why a bundle: a process forked from `app.asar.unpacked` resolves packages by walking up real
 * folders, so every package it imports must be a real file next to it. Bundling leaves only the
 * packages that cannot be bundled to unpack: native addons and what loads files by path
 * ({@link EXTERNAL}, kept outside app.asar by electron-builder.yml's asarUnpack).
 *
 * Each module keeps its own `import.meta.url` (the plugin below rewrites it to where tsc would
 * have put that module), so code that finds sibling entries by relative URL
 * (`resolveEntry(import.meta.url, '../../workers/convert.js')`) works bundled or not.
 */
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'dist', 'bundle');

/**
 * Packages left out of the bundles (and unpacked with their dependencies): native addons
 * (sharp, koffi), a package whose prebuilt libturbojpeg.so is found through its package.json,
 * piscina (each thread starts from its worker file by path; the pool's own code is bundled, see
 * {@link piscinaInline}), the wasm decoders (load their .wasm by path),
 * and Electron itself.
 */
export const EXTERNAL = ['electron', 'sharp', 'koffi', 'piscina', '@julusian/jpeg-turbo', 'libheif-js', '@jsquash/jxl'];

/**
 * The worker threads bundle sharp's JavaScript (its ~25 modules: semver, detect-libc, colour),
 * leaving out only its native binary (`@img/sharp-<platform>-<arch>`, found from the bundle as
 * sharp finds it): a worker then loads in ~60 ms less CPU (module resolution and file reads of
 * every module, on the start-up's critical path: the first file waits for a worker).
 */
const WORKER_EXTERNAL = [...EXTERNAL.filter((p) => p !== 'sharp'), '@img/sharp-*'];

/** External CommonJS packages that our ESM imports statically (see {@link cjsByRequire}). */
const CJS_EXTERNAL = ['koffi'];

/**
 * piscina's own code bundled (its 14 files, each resolved, read and compiled at the engine's
 * start: ~12-16 ms before the first worker thread could start), except its worker file, which
 * every thread still loads by path from the package (unpacked, as EXTERNAL says): the one
 * `__dirname` piscina finds it with is made the package's real folder.
 */
const piscinaInline = {
  name: 'piscina-inline',
  setup(b) {
    b.onResolve({ filter: /^piscina$/ }, (args) => (args.kind === 'import-statement' ? { path: createRequire(join(root, 'package.json')).resolve('piscina') } : undefined));
    b.onLoad({ filter: /[\\/]node_modules[\\/]piscina[\\/]dist[\\/]index\.js$/ }, async (args) => {
      const src = await readFile(args.path, 'utf8');
      const at = "(0, node_path_1.resolve)(__dirname, 'worker.js')";
      if (!src.includes(at)) throw new Error(`piscina-inline: ${args.path} no longer finds its worker file as "${at}"; update scripts/bundle.mjs`);
      return { contents: src.replace(at, "(0, node_path_1.join)((0, node_path_1.dirname)(require.resolve('piscina')), 'worker.js')"), loader: 'js' };
    });
  },
};

/**
 * `import x from 'koffi'` of an external CommonJS package, made a `require('koffi')` (the
 * bundle's banner gives `require`): Node's ESM loader would otherwise resolve it as ESM, read
 * its package.json files, and scan its source for exports (cjs-module-lexer) before the
 * CommonJS loader loads it anyway: ~10 ms of CPU per package at each thread's start.
 */
const cjsByRequire = {
  name: 'cjs-by-require',
  setup(b) {
    const only = new RegExp(`^(${CJS_EXTERNAL.map((p) => p.replace(/[/.]/g, '\\$&')).join('|')})$`);
    b.onResolve({ filter: only }, (args) => (args.kind === 'import-statement' ? { path: args.path, namespace: 'cjs-by-require' } : { path: args.path, external: true }));
    b.onLoad({ filter: /.*/, namespace: 'cjs-by-require' }, (args) => ({ contents: `module.exports = require(${JSON.stringify(args.path)});`, loader: 'js' }));
  },
};

const ENTRIES = {
  'engine/host': 'engine/host.ts',
  'workers/convert': 'workers/convert.ts',
  'workers/process': 'workers/process.ts',
  'workers/decode/thread': 'workers/decode/thread.ts',
  // loaded by path by the About dialog (app/capabilities.ts) and photopool doctor, as the pool loads them
  'workers/turbojpeg': 'workers/turbojpeg.ts',
  'workers/vips-sync': 'workers/vips-sync.ts',
  'workers/libwebp': 'workers/libwebp.ts',
  'workers/decode/heic-backend': 'workers/decode/heic-backend.ts',
  'electron/main': 'electron/main.ts',
  'workers/preview': 'workers/preview.ts',
};

/**
 * Rewrite `import.meta.url` in our own sources to `__ownUrl('<layer>/<file>.js')`: the URL their
 * tsc output would have, relative to the bundle root (`__ownUrl` comes from each bundle's banner).
 */
const ownMetaUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${sep}node_modules${sep}`)) return undefined;
      const source = await readFile(args.path, 'utf8');
      const asJs = relative(root, args.path).replace(/\.ts$/, '.js').split(sep).join('/');
      return { contents: source.replaceAll('import.meta.url', `__ownUrl(${JSON.stringify(asJs)})`), loader: 'ts' };
    });
  },
};

/**
 * zod's 40-odd translations of its messages (`z.locales`, `z.core.locales`) left out: PhotoPool
 * never calls `z.config(z.locales.xx())` and writes its own messages (English, zod's default,
 * registered by zod's schemas module itself, not through this index). Loading them cost ~15 ms
 * of CPU at each start of a process that uses zod (engine, CLI).
 */
const noZodLocales = {
  name: 'no-zod-locales',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) => (args.importer.includes(`${sep}node_modules${sep}zod${sep}`) ? { path: 'zod-locales', namespace: 'no-zod-locales' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'no-zod-locales' }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/**
 * sharp's JavaScript imports node:child_process and node:crypto at its top (dist/libvips.mjs, and
 * detect-libc) for paths a worker never takes once sharp is installed (building from source,
 * Rosetta, Homebrew, yarn's cache, a libc found by running `ldd`): every worker thread loaded
 * them at its start (with net, dgram and all of crypto: 30 of Node's modules). In the worker
 * bundles those two imports from packages get a stand-in that loads the real module on first
 * use; sharp's results are the same.
 */
const LAZY_BUILTINS = ['child_process', 'crypto'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(node:)?(${LAZY_BUILTINS.join('|')})$`) }, (args) =>
      args.importer.includes(`${sep}node_modules${sep}`) ? { path: args.path.replace(/^node:/, ''), namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, async (args) => {
      const real = await import(`node:${args.path}`);
      const names = Object.keys(real).filter((k) => k !== 'default' && typeof real[k] === 'function');
      const lines = [`let real;`, `const load = () => (real ??= require(${JSON.stringify(`node:${args.path}`)}));`];
      for (const n of names) lines.push(`export function ${n}(...a) { return load().${n}(...a); }`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * Entries whose bundle starts with a small first file (the rest in a chunk beside it, loaded by
 * that file): the engine process starts its first warm worker and holds libvips (engine/boot.ts,
 * engine/pools/warm.ts) before V8 even compiles the rest of the engine (~1.3 MB: zod, the NATS
 * client...), so the worker loads sharp while it does. engine/host.ts imports boot.ts first too,
 * so unbundled (dist/) the order is the same; the modules run once either way.
 */
const STUBS = {
  'engine/host': "import './boot.ts';\nawait import('./host.ts');\n",
};
const stubEntry = {
  name: 'stub-entry',
  setup(b) {
    b.onResolve({ filter: /^stub:/ }, (args) => ({ path: args.path.slice(5), namespace: 'stub-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'stub-entry' }, (args) => ({ contents: STUBS[args.path], loader: 'ts', resolveDir: join(root, args.path, '..') }));
  },
};

/**
 * Bundle each `entries` source into `outdir/<name>.js` (with `splitting`, the modules they share
 * go once into a chunk beside them, in `chunks`); `up` leads from those files to the bundle root
 * that their modules' URLs are relative to (dist/bundle/).
 */
async function bundle(entries, outdir, up, splitting = false, external = EXTERNAL, chunks = '[name]-[hash]') {
  const lazy = external === WORKER_EXTERNAL; // the bundles that carry sharp's JavaScript
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, src.startsWith('stub:') ? src : join(root, src)])),
    outdir,
    splitting,
    chunkNames: chunks,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external,
    plugins: [stubEntry, ownMetaUrl, noZodLocales, piscinaInline, cjsByRequire, ...(lazy ? [lazyBuiltins] : [])],
    legalComments: 'eof',
    logLevel: 'warning',
    banner: {
      // CommonJS dependencies inside an ESM bundle need `require`; each module its own URL.
      js: [
        "import { createRequire as __ppCreateRequire } from 'node:module';",
        'const require = __ppCreateRequire(import.meta.url);',
        `const __ownUrl = (p) => new URL(${JSON.stringify(up)} + p, import.meta.url).href;`,
      ].join('\n'),
    },
  });
}

const cliOut = join(root, 'dist', 'cli-bundle');
await rm(out, { recursive: true, force: true });
await rm(cliOut, { recursive: true, force: true });
for (const [name, src] of Object.entries(ENTRIES)) {
  const depth = name.split('/').length - 1; // dist/bundle/<layer>/<file>.js -> the bundle root
  const stub = name in STUBS;
  await bundle({ [name]: stub ? `stub:${name}` : src }, out, '../'.repeat(depth), stub, name.startsWith('workers/') ? WORKER_EXTERNAL : EXTERNAL, `${name}-[hash]`);
}
// Last: bin/photopool trusts the bundles only while batch-main.js is newer than the tsc build.
// engine-client.js is small and loaded first (the engine is forked before the rest loads); it
// shares its module with batch-main.js through a chunk, so that the engine forked early is adopted.
await bundle({ 'engine-client': 'app/engine-client.ts', 'batch-main': 'app/cli/batch-main.ts' }, cliOut, '../bundle/', true);
console.log(`bundled ${Object.keys(ENTRIES).length} entries into ${relative(root, out)}/ and the CLI's convert/resume into ${relative(root, cliOut)}/ (external: ${EXTERNAL.join(', ')})`);
