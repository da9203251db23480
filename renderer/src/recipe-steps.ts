/**
 * The recipe steps of the form (target size, sharpen, pad/crop, watermark, metadata): their
 * values as typed, and what they add to the job spec. Validation stays the common schema's.
 */
import { ANCHORS, GRAVITIES, METADATA_MODES } from '../../common/job.js';

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
