/**
 * What undoes an EXIF orientation (1-8): clockwise quarter turns and a mirror, as the luma lane
 * applies them through sharp (`rotate`, `flop`, `flip`) or through libvips on its own thread
 * (vips-sync.ts). EXIF 2 mirror, 3 half turn, 4 flip, 5 transpose, 6 quarter turn, 7 transverse,
 * 8 three quarters.
 *
 * @example
 * exifSteps(6) // { turns: 1, mirror: null }
 * exifSteps(7) // { turns: 1, mirror: 'horizontal' }
 */
export function exifSteps(orientation: number): { turns: 0 | 1 | 2 | 3; mirror: 'horizontal' | 'vertical' | null } {
  const turns = orientation === 3 ? 2 : orientation >= 5 && orientation <= 7 ? 1 : orientation === 8 ? 3 : 0;
  const mirror = orientation === 2 || orientation === 7 ? 'horizontal' : orientation === 4 || orientation === 5 ? 'vertical' : null;
  return { turns, mirror };
}
