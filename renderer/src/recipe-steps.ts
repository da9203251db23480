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
