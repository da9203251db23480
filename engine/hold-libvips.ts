/**
 * Keep libvips loaded in the engine's main thread for the process's whole life, without loading
 * sharp's JavaScript. On glibc a native library opened only by worker threads is closed
 * (dlclose) when the last of them ends, under libvips' own threads: a crash at a worker's end
 * (lovell/sharp#2263). A reference held by the main thread prevents that. Opening sharp's
 * prebuilt addon is enough (it links libvips): ~3 ms of CPU, where `import 'sharp'` costs
 * ~100 ms (its JavaScript: semver, colour, detect-libc), which the engine never uses itself (the
 * workers and the preview thread load sharp on their own). sharp 0.35's prebuilt binaries are
 * marked NODELETE (never unloaded) anyway; the hold covers the builds that are not (a global
 * libvips, a build from source) for the price of opening a file already mapped.
 */
import { createRequire } from 'node:module';

/** How the library was held: `addon` (the prebuilt binary opened), `sharp` (sharp imported in full). */
export type Held = 'addon' | 'sharp';

/**
 * Open sharp's prebuilt native addon in this thread (`@img/sharp-<platform>-<arch>`, a
 * dependency of sharp, resolved from sharp's own folder); where there is none (musl, wasm, a
 * global libvips build) import sharp in full, as sharp itself would find its binary.
 *
 * @param from the URL to resolve sharp from (default: this module's)
 * @returns how libvips is held
 * @example
 * holdLibvips(); // first thing in engine/host.ts, before any worker thread starts
 */
export function holdLibvips(from: string = import.meta.url): Held {
  const require = createRequire(from);
  try {
    createRequire(require.resolve('sharp'))(`@img/sharp-${process.platform}-${process.arch}/sharp.node`);
    return 'addon';
  } catch {
    require('sharp');
    return 'sharp';
  }
}
