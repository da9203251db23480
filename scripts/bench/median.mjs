/**
 * The median of a list of numbers (the mean of the middle two for an even count; NaN for none),
 * shared by the benchmark scripts.
 *
 * @example
 * median([3, 1, 4, 2]) // 2.5
 */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  if (!s.length) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
