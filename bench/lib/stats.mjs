// Small statistics for noisy machines: medians and quartiles, never means of outliers.
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
export const median = (xs) => quantile(xs, 0.5);
export function summary(xs) {
  return { n: xs.length, median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: Math.min(...xs), max: Math.max(...xs) };
}
/** The median of the per-run differences `later[i] - earlier[i]` (one phase of paired timings). */
export const medianDifference = (later, earlier) => median(later.map((t, i) => t - earlier[i]));
