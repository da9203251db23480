/**
 * The recipe steps of the form (target size, sharpen, pad/crop, watermark, metadata): their
 * values as typed, and what they add to the job spec. Validation stays the common schema's.
 */
import { ANCHORS, GRAVITIES, HEX_COLOUR, MAX_TARGET_BYTES, METADATA_MODES, MIN_TARGET_BYTES, parseByteSize } from '../../common/job.js';

export type Gravity = (typeof GRAVITIES)[number];
export type Anchor = (typeof ANCHORS)[number];
export type MetadataMode = (typeof METADATA_MODES)[number];

export interface StepsForm {
  /** Target file size as typed (`500KB`); empty: none. */
  maxSize: string;
  sharpen: boolean;
  /** Bars colour for fit `contain`. */
  background: string;
  /** What `cover` keeps. */
  gravity: Gravity;
  watermark: 'none' | 'text' | 'image';
  watermarkText: string;
  watermarkImage: string;
  watermarkPosition: Anchor;
  watermarkOpacity: string;
  watermarkSize: string;
  watermarkMargin: string;
  metadata: MetadataMode;
  keepMtime: boolean;
}

export const DEFAULT_STEPS: StepsForm = {
  maxSize: '',
  sharpen: false,
  background: '#000000',
  gravity: 'centre',
  watermark: 'none',
  watermarkText: '',
  watermarkImage: '',
  watermarkPosition: 'southeast',
  watermarkOpacity: '0.5',
  watermarkSize: '20',
  watermarkMargin: '3',
  metadata: 'strip',
  keepMtime: false,
};

/** Form fields of the steps a problem can be shown beside. */
export type StepField = 'maxSize' | 'background' | 'gravity' | 'watermark' | 'metadata';

/** Schema field -> steps form field. */
export const STEP_FIELD_OF: Record<string, StepField> = {
  'ops.maxSize': 'maxSize',
  'ops.resize.background': 'background',
  'ops.resize.gravity': 'gravity',
  'ops.watermark': 'watermark',
  'ops.metadata': 'metadata',
};

const num = (s: string): number | string | undefined => (s.trim() === '' ? undefined : Number.isFinite(Number(s)) ? Number(s) : s);

/**
 * What the steps add to `ops`, to `ops.resize` (given the fit) and to the top of the spec.
 *
 * @example
 * stepsSpec({ ...DEFAULT_STEPS, maxSize: '300KB' }, 'inside').ops // { maxSize: '300KB' }
 */
export function stepsSpec(s: StepsForm, fit: string): { ops: Record<string, unknown>; resize: Record<string, unknown>; top: Record<string, unknown> } {
  const watermark =
    s.watermark === 'none'
      ? undefined
      : {
          ...(s.watermark === 'text' ? { text: s.watermarkText } : { image: s.watermarkImage.trim() }),
          position: s.watermarkPosition,
          opacity: num(s.watermarkOpacity),
          size: num(s.watermarkSize),
          margin: num(s.watermarkMargin),
        };
  return {
    ops: {
      ...(s.maxSize.trim() && { maxSize: s.maxSize.trim() }),
      ...(s.sharpen && { sharpen: true }),
      ...(watermark && { watermark }),
      ...(s.metadata !== 'strip' && { metadata: s.metadata }),
    },
    resize: { ...(fit === 'contain' && { background: s.background }), ...(fit === 'cover' && { gravity: s.gravity }) },
    top: s.keepMtime ? { keepMtime: true } : {},
  };
}

const between = (s: string, min: number, max: number) => /^\s*\d+(\.\d+)?\s*$/.test(s) && Number(s) >= min && Number(s) <= max;

/**
 * The steps' problems in plain words, as the person types (the same limits as the schema).
 *
 * @example
 * checkSteps({ ...DEFAULT_STEPS, maxSize: '5 apples' }).maxSize // 'Target file size must be a size such as 500KB, 1.5MB or 800KiB.'
 */
export function checkSteps(s: StepsForm): Partial<Record<StepField, string>> {
  const out: Partial<Record<StepField, string>> = {};
  const size = s.maxSize.trim();
  if (size) {
    const n = parseByteSize(size);
    if (n === null) out.maxSize = 'Target file size must be a size such as 500KB, 1.5MB or 800KiB.';
    else if (n < MIN_TARGET_BYTES || n > MAX_TARGET_BYTES) out.maxSize = 'Target file size must be from 1KB to 1000MB.';
  }
  if (!HEX_COLOUR.test(s.background)) out.background = 'Padding colour must be a colour such as #ffffff.';
  if (s.watermark === 'text' && !s.watermarkText.trim()) out.watermark = 'Type the watermark text (or choose no watermark).';
  else if (s.watermark === 'image' && !s.watermarkImage.trim()) out.watermark = 'Give the full path of a PNG logo (or choose no watermark).';
  else if (s.watermark !== 'none') {
    if (!between(s.watermarkOpacity, 0.05, 1)) out.watermark = 'Watermark opacity must be a number from 0.05 to 1.';
    else if (!between(s.watermarkSize, 1, 100)) out.watermark = 'Watermark size must be from 1 to 100 (% of the image width).';
    else if (!between(s.watermarkMargin, 0, 25)) out.watermark = 'Watermark margin must be from 0 to 25 (% of the shorter side).';
  }
  return out;
}

/** A byte count as the field shows it: `500KB`, `1.5MB`, `800KiB`, else bytes. */
function sizeText(n: number | string | undefined): string {
  if (n === undefined) return '';
  if (typeof n === 'string') return n;
  if (n % 1000 ** 2 === 0) return `${n / 1000 ** 2}MB`;
  if (n % 1000 === 0) return `${n / 1000}KB`;
  if (n % 1024 === 0) return `${n / 1024}KiB`;
  return String(n);
}

/** The stored parts of a recipe the steps come from (a saved recipe or preset). */
export interface StoredSteps {
  ops?: {
    resize?: { gravity?: Gravity; background?: string };
    maxSize?: number | string;
    sharpen?: boolean;
    watermark?: { text?: string; image?: string; position?: Anchor; opacity?: number; size?: number; margin?: number };
    metadata?: MetadataMode;
  };
  keepMtime?: boolean;
}

/**
 * The steps form of a stored recipe (what {@link stepsSpec} wrote), defaults for what it lacks.
 *
 * @example
 * stepsForm({ ops: { maxSize: 500000, sharpen: true } }).maxSize // '500KB'
 */
export function stepsForm(r: StoredSteps): StepsForm {
  const o = r.ops ?? {};
  const w = o.watermark;
  const str = (n: number | undefined, d: string) => (n === undefined ? d : String(n));
  return {
    ...DEFAULT_STEPS,
    maxSize: sizeText(o.maxSize),
    sharpen: o.sharpen ?? false,
    background: o.resize?.background ?? DEFAULT_STEPS.background,
    gravity: o.resize?.gravity ?? DEFAULT_STEPS.gravity,
    watermark: w ? (w.image !== undefined ? 'image' : 'text') : 'none',
    watermarkText: w?.text ?? '',
    watermarkImage: w?.image ?? '',
    watermarkPosition: w?.position ?? DEFAULT_STEPS.watermarkPosition,
    watermarkOpacity: str(w?.opacity, DEFAULT_STEPS.watermarkOpacity),
    watermarkSize: str(w?.size, DEFAULT_STEPS.watermarkSize),
    watermarkMargin: str(w?.margin, DEFAULT_STEPS.watermarkMargin),
    metadata: o.metadata ?? 'strip',
    keepMtime: r.keepMtime ?? false,
  };
}
