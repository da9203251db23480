/**
 * The system's libheif (with its HEVC decoder, libde265) through koffi: Debian/Ubuntu
 * `libheif1`, Fedora `libheif`, Homebrew `libheif`. PHOTOPOOL_LIBHEIF names another library
 * file. Only used when the library says it has an HEVC decoder.
 */
import koffi from 'koffi';
import { checkPixels, corruptData } from './errors.js';
import type { HeifBackend, HeifPixels } from './heic-types.js';

type Fn = (...args: unknown[]) => unknown;
interface HeifError {
  code: number;
  message: string | null;
}

const HEIF_COMPRESSION_HEVC = 1;
const RGB = 1;
const INTERLEAVED_RGB = 10;
const INTERLEAVED_RGBA = 11;
const CHANNEL_INTERLEAVED = 10;
const fourcc = (s: string) => (s.charCodeAt(0) << 24) | (s.charCodeAt(1) << 16) | (s.charCodeAt(2) << 8) | s.charCodeAt(3);

function candidates(): string[] {
  if (process.env.PHOTOPOOL_LIBHEIF) return [process.env.PHOTOPOOL_LIBHEIF];
  if (process.platform === 'darwin') return ['/opt/homebrew/lib/libheif.1.dylib', '/usr/local/lib/libheif.1.dylib'];
  if (process.platform === 'win32') return ['libheif.dll', 'heif.dll'];
  return ['libheif.so.1'];
}

/**
 * Load the system's libheif, or return null when it is absent or has no HEVC decoder.
 *
 * @example
 * loadNative()?.name // 'libheif 1.15.1 (system library, through koffi)'
 */
export function loadNative(): HeifBackend | null {
  for (const path of candidates()) {
    try {
      const so = koffi.load(path);
      koffi.struct('pp_heif_error', { code: 'int', subcode: 'int', message: 'const char *' });
      const f = (proto: string) => so.func(proto) as Fn;
      const have = f('int heif_have_decoder_for_format(int format)');
      if (!have(HEIF_COMPRESSION_HEVC)) continue;
      return backend(f, String(f('const char *heif_get_version()')()));
    } catch {
      // not there or too old: try the next one
    }
  }
  return null;
}

function backend(f: (proto: string) => Fn, version: string): HeifBackend {
  const api = {
    alloc: f('void *heif_context_alloc()'),
    free: f('void heif_context_free(void *ctx)'),
    read: f('pp_heif_error heif_context_read_from_memory_without_copy(void *ctx, const uint8_t *mem, size_t size, void *opts)'),
    primary: f('pp_heif_error heif_context_get_primary_image_handle(void *ctx, _Out_ void **handle)'),
    width: f('int heif_image_handle_get_width(void *h)'),
    height: f('int heif_image_handle_get_height(void *h)'),
    alpha: f('int heif_image_handle_has_alpha_channel(void *h)'),
    profileType: f('int heif_image_handle_get_color_profile_type(void *h)'),
    iccSize: f('size_t heif_image_handle_get_raw_color_profile_size(void *h)'),
    icc: f('pp_heif_error heif_image_handle_get_raw_color_profile(void *h, uint8_t *out)'),
    nclx: f('pp_heif_error heif_image_handle_get_nclx_color_profile(void *h, _Out_ void **out)'),
    nclxFree: f('void heif_nclx_color_profile_free(void *p)'),
    metaIds: f('int heif_image_handle_get_list_of_metadata_block_IDs(void *h, const char *type, uint32_t *ids, int count)'),
    metaSize: f('size_t heif_image_handle_get_metadata_size(void *h, uint32_t id)'),
    meta: f('pp_heif_error heif_image_handle_get_metadata(void *h, uint32_t id, uint8_t *out)'),
    decode: f('pp_heif_error heif_decode_image(void *h, _Out_ void **img, int colorspace, int chroma, void *opts)'),
    plane: f('const uint8_t *heif_image_get_plane_readonly(void *img, int channel, _Out_ int *stride)'),
    release: f('void heif_image_release(void *img)'),
    releaseHandle: f('void heif_image_handle_release(void *h)'),
  };
  const check = (e: unknown, what: string) => {
    const err = e as HeifError;
    if (err.code !== 0) throw corruptData('HEIC', `${what}: ${err.message ?? `libheif error ${err.code}`}`);
  };
  return {
    name: `libheif ${version} (system library, through koffi)`,
    decode(input, maxPixels) {
      const ctx = api.alloc();
      let handle: unknown = null;
      let img: unknown = null;
      try {
        check(api.read(ctx, input, input.length, null), 'reading the container');
        const out: [unknown] = [null];
        check(api.primary(ctx, out), 'finding the primary image');
        handle = out[0];
        const width = api.width(handle) as number;
        const height = api.height(handle) as number;
        checkPixels(width, height, maxPixels, 'HEIC');
        const channels = api.alpha(handle) ? 4 : 3;
        const px: HeifPixels = { data: new Uint8Array(0), width, height, channels };
        const type = api.profileType(handle) as number;
        if (type === fourcc('prof') || type === fourcc('rICC')) {
          const icc = new Uint8Array(Number(api.iccSize(handle)));
          if ((api.icc(handle, icc) as HeifError).code === 0) px.icc = icc;
        } else if (type === fourcc('nclx')) {
          const p: [unknown] = [null];
          if ((api.nclx(handle, p) as HeifError).code === 0 && p[0]) {
            // struct heif_color_profile_nclx { uint8_t version; int color_primaries; ... }
            px.primaries = (koffi.decode(p[0], 4, 'int') as number) ?? undefined;
            api.nclxFree(p[0]);
          }
        }
        const ids = new Uint32Array(8);
        const n = api.metaIds(handle, 'Exif', ids, ids.length) as number;
        if (n > 0) {
          const exif = new Uint8Array(Number(api.metaSize(handle, ids[0])));
          if ((api.meta(handle, ids[0], exif) as HeifError).code === 0) px.exif = exif;
        }
        const o: [unknown] = [null];
        check(api.decode(handle, o, RGB, channels === 4 ? INTERLEAVED_RGBA : INTERLEAVED_RGB, null), 'decoding');
        img = o[0];
        const stride: [number] = [0];
        const plane = api.plane(img, CHANNEL_INTERLEAVED, stride);
        if (!plane) throw corruptData('HEIC', 'the decoder returned no pixels');
        const row = width * channels;
        const src = new Uint8Array(koffi.view(plane, stride[0] * (height - 1) + row));
        px.data = new Uint8Array(row * height); // the RGB(A) buffer (48 MB for 12 MP RGBA)
        if (stride[0] === row) px.data.set(src);
        else for (let y = 0; y < height; y++) px.data.set(src.subarray(y * stride[0], y * stride[0] + row), y * row);
        return px;
      } finally {
        if (img) api.release(img);
        if (handle) api.releaseHandle(handle);
        api.free(ctx);
      }
    },
  };
}
