/**
 * The conversion job: one schema validates CLI flags, IPC messages and saved presets.
 * Pure TypeScript + zod: no Node, DOM or electron here.
 */
import { z } from 'zod';
import type { EncodeFormat, InputFormat } from './task.js';

export const OUTPUT_FORMATS = ['jpeg', 'png', 'webp', 'avif', 'tiff', 'same'] as const;

/**
 * What `format: 'same'` writes for each input format: the formats PhotoPool writes stay as
 * they are; camera and phone photos (HEIC, the RAW's embedded preview, JPEG XL) become JPEG,
 * as photographers expect of a photo; lossless sources (BMP, ICO, GIF's first frame, SVG)
 * become PNG. The one place this mapping lives: the planner, the preview, `--help` and the UI
 * all read it.
 *
 * @example
 * SAME_FORMAT.heif // 'jpeg'
 */
export const SAME_FORMAT: Readonly<Record<InputFormat, EncodeFormat>> = {
  jpeg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', tiff: 'tiff',
  heif: 'jpeg', raw: 'jpeg', jxl: 'jpeg',
  bmp: 'png', ico: 'png', gif: 'png', svg: 'png',
};

/** {@link SAME_FORMAT} in words, for `--help` and the UI: `"same" keeps jpeg, png, ...; heif, raw, jxl -> jpeg; ...`. */
export function sameFormatText(): string {
  const groups = new Map<EncodeFormat, string[]>();
  const kept: string[] = [];
  for (const [input, out] of Object.entries(SAME_FORMAT) as Array<[InputFormat, EncodeFormat]>) {
    if (input === out) kept.push(input);
    else groups.set(out, [...(groups.get(out) ?? []), input]);
  }
  return [`"same" keeps ${kept.join(', ')}`, ...[...groups].map(([out, ins]) => `${ins.join(', ')} -> ${out}`)].join('; ');
}
export const FITS = ['inside', 'cover', 'contain', 'fill', 'outside'] as const;
export const COLLISIONS = ['skip', 'overwrite-output', 'rename'] as const;
export const MODELS = ['threads', 'processes', 'async'] as const;
export const KERNELS = ['auto', 'nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3'] as const;
export type Kernel = (typeof KERNELS)[number];
/** Where `cover` crops from: an edge or corner, the centre, or what libvips finds interesting. */
export const GRAVITIES = ['centre', 'north', 'northeast', 'east', 'southeast', 'south', 'southwest', 'west', 'northwest', 'attention', 'entropy'] as const;
/** The 9 places a watermark can sit. */
export const ANCHORS = ['northwest', 'north', 'northeast', 'west', 'centre', 'east', 'southwest', 'south', 'southeast'] as const;
/** What metadata outputs keep: none (default), all of it, or all but the location. */
export const METADATA_MODES = ['strip', 'keep', 'keep-no-gps'] as const;

/** `#rrggbb`. */
export const HEX_COLOUR = /^#[0-9a-f]{6}$/i;

const SIZE_UNITS: Record<string, number> = { b: 1, kb: 1000, mb: 1000 ** 2, kib: 1024, mib: 1024 ** 2 };
/** Smallest and largest target file size accepted (bytes). */
export const MIN_TARGET_BYTES = 1000;
export const MAX_TARGET_BYTES = 1000 ** 3;
const SIZE_EXPECTED = 'a size from 1KB to 1000MB, e.g. 500KB, 1.5MB, 800KiB, 2MiB or a number of bytes';

/**
 * A file size as people write it, in bytes: KB/MB are powers of 1000, KiB/MiB of 1024; no unit
 * means bytes. Null when the text is not a size.
 *
 * @example
 * parseByteSize('500KB') // 500000
 * parseByteSize('1.5 MiB') // 1572864
 */
export function parseByteSize(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|mb|kib|mib)?\s*$/i.exec(text);
  return m ? Math.round(Number(m[1]) * SIZE_UNITS[(m[2] ?? 'b').toLowerCase()]!) : null;
}

/** A target size in bytes, given as a number of bytes or a text such as `500KB`. */
export const ByteSizeSchema = z.union([z.number(), z.string()], { error: SIZE_EXPECTED }).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : parseByteSize(v);
  if (n === null || !Number.isInteger(n) || n < MIN_TARGET_BYTES || n > MAX_TARGET_BYTES) {
    ctx.addIssue({ code: 'custom', message: SIZE_EXPECTED });
    return z.NEVER;
  }
  return n;
});

const dimension = z.number().int().min(1).max(65535);

export const ResizeSchema = z
  .object({
    /** Box width in pixels; omit to scale by height only. */
    width: dimension.optional(),
    /** Box height in pixels; omit to scale by width only. */
    height: dimension.optional(),
    /** How the image fits the box. Default `inside` (keep aspect, whole image visible). */
    fit: z.enum(FITS).default('inside'),
    /** Never make an image larger than it is. Default true. */
    withoutEnlargement: z.boolean().default(true),
    /**
     * Resampling kernel. Default `auto`: linear where libjpeg-turbo's DCT scaling already
     * brought the image within 2x of its target (the luma lane), lanczos3 (the sharpest)
     * everywhere else; chosen by measurement (BENCHMARKS.md, "Resize kernel").
     */
    kernel: z.enum(KERNELS).default('auto'),
    /**
     * With fit `cover`: which part of the image is kept, an edge or corner, the `centre`
     * (default), or what libvips finds interesting (`attention`: skin, saturation, edges;
     * `entropy`: detail).
     */
    gravity: z.enum(GRAVITIES).optional(),
    /** With fit `contain`: the colour of the bars that pad the image to the exact box, `#rrggbb`. Default `#000000`. */
    background: z.string().regex(HEX_COLOUR, { error: 'a colour #rrggbb, e.g. #ffffff' }).optional(),
  })
  .strict()
  .refine((r) => r.width !== undefined || r.height !== undefined, {
    message: 'give a width, a height or both',
    path: ['width'],
  });

export const WatermarkSchema = z
  .object({
    /** Text to write (one line, DejaVu Sans or the system's sans-serif font, white with a dark outline). */
    text: z.string().min(1).max(200).optional(),
    /** Path of a PNG logo (its transparency is kept). */
    image: z.string().min(1).optional(),
    /** Where it sits: one of 9 anchors. Default `southeast`. */
    position: z.enum(ANCHORS).default('southeast'),
    /** Gap to the image's edges, in % of the image's shorter side. Default 3. */
    margin: z.number().min(0).max(25).default(3),
    /** 0 (invisible) to 1 (opaque). Default 0.5. */
    opacity: z.number().min(0.05).max(1).default(0.5),
    /** Width of the watermark in % of the image's width. Default 20. */
    size: z.number().min(1).max(100).default(20),
  })
  .strict()
  .refine((w) => (w.text === undefined) !== (w.image === undefined), { error: 'either a text or an image, not both', path: ['text'] });

export const OperationsSchema = z
  .object({
    /** Convert to one-channel Rec.601 luma (0.299 R + 0.587 G + 0.114 B, after the resize). Default false. */
    grayscale: z.boolean().default(false),
    /** Shrink (or grow) into a box. Default: no resize. */
    resize: ResizeSchema.optional(),
    /** Apply the EXIF Orientation tag, then drop it. Default true. */
    autoRotate: z.boolean().default(true),
    /**
     * Largest output file in bytes (`500KB`, `1.5MB`, `800KiB` or a number). The image is decoded
     * and resized once, then the encoder quality is searched (at most 7 encodes) for the highest
     * quality from {@link TARGET_QUALITY_FLOOR} to `quality` that fits; when even the floor is too
     * big, the image is shrunk. Default: none.
     */
    maxSize: ByteSizeSchema.optional(),
    /** After the resize, a mild unsharp mask for web output (sigma 0.5, flat areas at half strength). Default false. */
    sharpen: z.boolean().optional(),
    /** Text or a PNG logo over a corner, an edge or the centre. Default: none. */
    watermark: WatermarkSchema.optional(),
    /**
     * Metadata of the outputs: `strip` all of it (default; the ICC profile too, pixels in sRGB),
     * `keep` all (EXIF, XMP, IPTC, ICC), or `keep-no-gps`: all but where the photo was taken
     * (the EXIF GPS block and the XMP location fields are removed).
     */
    metadata: z.enum(METADATA_MODES).optional(),
  })
  .strict();

/** Tokens a naming template may hold (see engine/naming-tokens.ts). */
const TEMPLATE_TOKEN = /^\{(dir|name|ext|width|height|preset|counter(:\d{1,2}(:\d{1,9})?)?|(date|exif-date)(:[^{}/\\]*)?)\}$/;

export const NamingSchema = z
  .object({
    /**
     * Output path below the output folder. Tokens: `{dir}` (the input's folder relative to
     * its input root), `{name}` (file name without extension), `{ext}` (the output
     * format's extension), `{counter}` / `{counter:4}` / `{counter:4:100}` (place in scan order,
     * zero-padded to 4 digits, from 100; default from 1), `{date}` / `{date:%Y%m%d}` /
     * `{exif-date:%Y%m%d_%H%M%S}` (EXIF capture time, else file time; %Y %m %d %H %M %S),
     * `{width}` / `{height}` (of the final output; in the file name only), `{preset}` (the
     * job's `preset`: the name of the preset its recipe came from; a job without one is refused).
     * Default `{dir}/{name}.{ext}`: mirror the input tree.
     */
    template: z
      .string()
      .min(1)
      .default('{dir}/{name}.{ext}')
      .refine((t) => t.includes('{name}') || t.includes('{counter'), { message: 'must contain {name} or {counter}' })
      .refine((t) => !t.split(/[\\/]/).includes('..'), { message: 'must not contain ".."' })
      .refine((t) => (t.match(/\{[^}]*\}?/g) ?? []).every((tok) => TEMPLATE_TOKEN.test(tok)), {
        message: 'tokens are {dir} {name} {ext} {counter[:PAD[:START]]} {date[:FMT]} {exif-date[:FMT]} {width} {height} {preset}',
      })
      .refine((t) => !/\{(width|height)\}.*[\\/]/.test(t), {
        message: '{width} and {height} only in the file name, not in a folder',
      }),
    /** Text added after the name, before the extension (`--suffix _web`: `photo_web.jpg`). Default none. */
    suffix: z
      .string()
      .max(64)
      .regex(/^[^/\\{}]*$/, { message: 'must not contain /, \\, { or }' })
      .optional(),
    /**
     * What to do when the output file exists already: `skip` it (default), `overwrite-output`
     * (only ever an output: an input is never overwritten), or `rename` to `name-1.ext`.
     */
    collision: z.enum(COLLISIONS).default('skip'),
  })
  .strict();

export const LimitsSchema = z
  .object({
    /** Refuse images with more pixels than this before decoding. Default 100 MP (sharp's own limit is 268 MP). */
    maxPixels: z.number().int().min(1).max(268402689).default(100_000_000),
    /** Per-file time limit in seconds; the worker is replaced when it is exceeded. Default 60. */
    timeoutSeconds: z.number().int().min(1).max(3600).default(60),
    /** Refuse input files larger than this many bytes. Default 512 MiB. */
    maxFileBytes: z.number().int().min(1).default(512 * 1024 * 1024),
    /**
     * Memory ceiling of the engine's processes in MiB: above it no new file starts until the
     * running ones finish (one file always runs). Default 2048.
     */
    maxMemoryMiB: z.number().int().min(1).default(2048),
  })
  .strict();

export const JobSpecSchema = z
  .object({
    /** Files and folders to convert; folders are walked recursively. */
    inputs: z.array(z.string().min(1)).min(1),
    /**
     * Output folder (created when missing). Must not be an input folder or inside one. Required
     * unless `besideInput`, which ignores it.
     */
    output: z.string().default(''),
    /**
     * Write each output next to its input (in the input's own folder) instead of into `output`.
     * Needs a `naming.suffix`, or a `format` other than `same`, and a template whose folder part
     * is `{dir}/` (the default), so that no output can be an input (an input already in the output
     * format with no suffix is skipped: it would be its own output). The journal and the lock live
     * in PhotoPool's state folder, keyed by the input roots (`photopool resume INPUTS...` finds
     * them). Default false.
     *
     * @example
     * { inputs: ['/photos'], besideInput: true, naming: { suffix: '_web' }, format: 'jpeg' } // /photos/a.heic -> /photos/a_web.jpg
     */
    besideInput: z.boolean().default(false),
    /** Name of the preset the recipe came from (the `{preset}` naming token). Default none. */
    preset: z.string().trim().min(1).max(64).optional(),
    ops: OperationsSchema.default({ grayscale: false, autoRotate: true }),
    /** Output format; `same` keeps the input's format where it can be written, else {@link SAME_FORMAT} (HEIC, RAW, JPEG XL -> JPEG; BMP, ICO, GIF, SVG -> PNG). Default `same`. */
    format: z.enum(OUTPUT_FORMATS).default('same'),
    /** Encoder quality 1-100 for jpeg, webp, avif and tiff. Default 80. */
    quality: z.number().int().min(1).max(100).default(80),
    naming: NamingSchema.default({ template: '{dir}/{name}.{ext}', collision: 'skip' }),
    /** Copy EXIF metadata into the output. Default false (stripped). */
    keepExif: z.boolean().default(false),
    /** Embed the input's ICC profile instead of converting to sRGB. Default false. */
    keepIcc: z.boolean().default(false),
    /** Give each output its input's modification time. Default false. */
    keepMtime: z.boolean().default(false),
    /** Workers; default: number of cores (filled in by the engine). 0 only with remote workers (`--nats`). */
    workers: z.number().int().min(0).max(64).optional(),
    /**
     * How files run in parallel: `threads` (piscina worker_threads, default), `processes`
     * (one child process per worker: a native crash fails one file) or `async` (the engine's
     * own thread with `workers` sharp calls in flight on the libuv pool).
     */
    model: z.enum(MODELS).default('threads'),
    /**
     * Set for a job over a list of files (CLI `--files-from`): the files come from the client's
     * `list` commands (on resume, from the list the batch spooled into its output folder), not
     * from walking `inputs`; outputs are named by their folder relative to `base` (an absolute
     * folder), and `inputs` is `[base]`.
     */
    filesFrom: z.object({ base: z.string().min(1) }).strict().optional(),
    /**
     * Start over when the output folder holds an unfinished batch: its temporary files are
     * removed and its journal replaced (finished outputs stay). Default false: such a folder is
     * refused (resume it instead).
     */
    fresh: z.boolean().default(false),
    limits: LimitsSchema.default({ maxPixels: 100_000_000, timeoutSeconds: 60, maxFileBytes: 512 * 1024 * 1024, maxMemoryMiB: 2048 }),
  })
  .strict();

/** A job as a caller may write it (defaults optional). */
export type JobSpecInput = z.input<typeof JobSpecSchema>;
/** A validated job with every default filled in. */
export type JobSpec = z.output<typeof JobSpecSchema>;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type Operations = z.output<typeof OperationsSchema>;
export type Limits = z.output<typeof LimitsSchema>;

export { TARGET_QUALITY_FLOOR } from './quality.js';
