/**
 * libheif's WebAssembly build (npm `libheif-js`, LGPL-3.0; it
 * contains libde265, an HEVC decoder). The .wasm is read at run time as a separate file,
 * never bundled into JavaScript, so a user can replace it and packaging can unpack it:
 * `node_modules/libheif-js/libheif-wasm/{libheif.js,libheif.wasm}`. The `heic-decode` wrapper is
 * not used (nor installed): it loads the build with the .wasm inlined as base64, decodes the first top-level
 * image rather than the primary one, always to RGBA, and drops the ICC profile and EXIF.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { checkPixels, corruptData } from './errors.js';
import type { HeifBackend, HeifPixels } from './heic-types.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- emscripten module without usable types */
type Lib = any;

const fourcc = (s: string) => ((s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3)) >>> 0;

/**
 * Folder of the WebAssembly build, found by package resolution (works unpacked from asar).
 *
 * @example
 * wasmDir() // '/app/node_modules/libheif-js/libheif-wasm'
 */
export function wasmDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('libheif-js/package.json')), 'libheif-wasm');
}

/**
 * Instantiate the WebAssembly build (synchronous: the .wasm bytes are given), or null.
 *
 * @example
 * loadWasm()?.name // 'libheif 1.23.2 (WebAssembly, libheif-js)'
 */
export function loadWasm(): HeifBackend | null {
  let lib: Lib;
  try {
    const dir = wasmDir();
    const factory = createRequire(import.meta.url)(join(dir, 'libheif.js')) as (o: object) => Lib;
    lib = factory({ wasmBinary: readFileSync(join(dir, 'libheif.wasm')), print: () => undefined, printErr: () => undefined });
  } catch {
    return null;
  }
  return { name: `libheif ${lib.heif_get_version()} (WebAssembly, libheif-js)`, decode: (input, maxPixels) => decode(lib, input, maxPixels) };
}

/** Call a C function returning `struct heif_error` (emscripten passes it by pointer first). */
function call(lib: Lib, fn: string, ...args: number[]): number {
  const err = lib._malloc(16);
  try {
    lib[fn](err, ...args);
    return lib.HEAP32[err >> 2];
  } finally {
    lib._free(err);
  }
}

/** Copy `size` bytes a C function writes into a buffer it is given. */
function fetchBytes(lib: Lib, size: number, fill: (ptr: number) => number): Uint8Array | undefined {
  if (!size) return undefined;
  const p = lib._malloc(size);
  try {
    return fill(p) === 0 ? lib.HEAPU8.slice(p, p + size) : undefined;
  } finally {
    lib._free(p);
  }
}

function decode(lib: Lib, input: Uint8Array, maxPixels: number): HeifPixels {
  const ctx = lib.heif_context_alloc();
  let handle: Lib = null;
  try {
    const read = lib.heif_context_read_from_memory(ctx, input);
    if (read.code?.value !== 0 && read.code !== 0) throw corruptData('HEIC', `reading the container: ${read.message}`);
    handle = lib.heif_js_context_get_primary_image_handle(ctx);
    if (!handle || handle.code) throw corruptData('HEIC', `finding the primary image: ${handle?.message ?? 'none'}`);
    const h: number = handle.$$.ptr;
    const width: number = lib.heif_image_handle_get_width(handle);
    const height: number = lib.heif_image_handle_get_height(handle);
    checkPixels(width, height, maxPixels, 'HEIC');
    const channels = lib.heif_image_handle_has_alpha_channel(handle) ? 4 : 3;
    const px: HeifPixels = { data: new Uint8Array(0), width, height, channels };
    const type = lib._heif_image_handle_get_color_profile_type(h) >>> 0;
    if (type === fourcc('prof') || type === fourcc('rICC')) {
      px.icc = fetchBytes(lib, lib._heif_image_handle_get_raw_color_profile_size(h), (p) => call(lib, '_heif_image_handle_get_raw_color_profile', h, p));
    } else if (type === fourcc('nclx')) {
      const pp = lib._malloc(4);
      if (call(lib, '_heif_image_handle_get_nclx_color_profile', h, pp) === 0) {
        const nclx = lib.HEAP32[pp >> 2];
        px.primaries = lib.HEAP32[(nclx + 4) >> 2]; // struct heif_color_profile_nclx { uint8_t version; int primaries; ... }
        lib._heif_nclx_color_profile_free(nclx);
      }
      lib._free(pp);
    }
    const filter = lib._malloc(8);
    lib.HEAPU8.set([0x45, 0x78, 0x69, 0x66, 0], filter); // "Exif"
    const ids = lib._malloc(32);
    if (lib._heif_image_handle_get_list_of_metadata_block_IDs(h, filter, ids, 8) > 0) {
      const id = lib.HEAPU32[ids >> 2];
      px.exif = fetchBytes(lib, lib._heif_image_handle_get_metadata_size(h, id), (p) => call(lib, '_heif_image_handle_get_metadata', h, id, p));
    }
    lib._free(ids);
    lib._free(filter);
    const chroma = channels === 4 ? lib.heif_chroma.heif_chroma_interleaved_RGBA : lib.heif_chroma.heif_chroma_interleaved_RGB;
    const img = lib.heif_js_decode_image2(handle, lib.heif_colorspace.heif_colorspace_RGB, chroma);
    if (!img || img.code) throw corruptData('HEIC', `decoding: ${img?.message ?? 'no image'}`);
    try {
      const plane = img.channels.find((c: Lib) => c.id.value === lib.heif_channel.heif_channel_interleaved.value);
      if (!plane) throw corruptData('HEIC', 'the decoder returned no pixels');
      const row = width * channels;
      px.data = plane.stride === row ? plane.data : new Uint8Array(row * height);
      if (plane.stride !== row) for (let y = 0; y < height; y++) px.data.set(plane.data.subarray(y * plane.stride, y * plane.stride + row), y * row);
    } finally {
      lib.heif_image_release(img.image);
    }
    return px;
  } finally {
    handle?.delete?.();
    lib.heif_context_free(ctx);
  }
}
