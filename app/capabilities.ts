/**
 * What this installation offers, for the desktop app's About dialog: sharp and libvips
 * versions, the JPEG luma lane (libturbojpeg, found by the same worker module the pool loads,
 * by path, so a packaged app reports what its engine will use) and the HEIC decoder.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { resolveEntry } from '../engine/entry.js';

export interface Capabilities {
  sharp: string;
  libvips: string;
  /** Path of the libturbojpeg the luma lane uses, or null (sharp alone). */
  lumaLane: string | null;
  /** HEIC decoder name, or null. */
  heic: string | null;
}

const load = async <T>(rel: string): Promise<T | null> => {
  try {
    return (await import(pathToFileURL(resolveEntry(import.meta.url, rel).file).href)) as T;
  } catch {
    return null;
  }
};

/**
 * @example
 * const c = await capabilities(); // { sharp: '0.35.5', libvips: '8.18.0', lumaLane: '/…/libturbojpeg.so.0', heic: 'libheif 1.15.1 (…)' }
 */
export async function capabilities(): Promise<Capabilities> {
  const sharp = createRequire(import.meta.url)('sharp') as typeof import('sharp'); // loaded only when asked
  const turbo = await load<{ turboPath(): string | null }>('../workers/turbojpeg.js');
  const heic = await load<{ heicBackend(): { name: string } | null }>('../workers/decode/heic-backend.js');
  return { sharp: sharp.versions.sharp ?? '?', libvips: sharp.versions.vips, lumaLane: turbo?.turboPath() ?? null, heic: heic?.heicBackend()?.name ?? null };
}
