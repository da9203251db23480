/**
 * Crop to aspect (`cover` with a gravity or libvips' attention/entropy strategy) and pad to the
 * exact box (`contain` with a background colour): the resize options they add.
 */
import sharp, { type ResizeOptions } from 'sharp';
import type { Operations } from '../../common/job.js';

type Resize = NonNullable<Operations['resize']>;

/**
 * sharp resize options for the fit's crop position or padding colour.
 *
 * @example
 * fitOptions({ fit: 'cover', gravity: 'attention', ... }) // { position: strategy.attention }
 * fitOptions({ fit: 'contain', background: '#ffffff', ... }) // { background: '#ffffff' }
 */
export function fitOptions(r: Resize): Pick<ResizeOptions, 'position' | 'background'> {
  if (r.fit === 'contain') return { background: r.background ?? '#000000' };
  if (r.fit !== 'cover' || !r.gravity) return {};
  if (r.gravity === 'attention' || r.gravity === 'entropy') return { position: sharp.strategy[r.gravity] };
  return { position: r.gravity };
}
