// Small statistics for noisy machines: medians and quartiles, never means of outliers.
export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (pos - lo);
}
export const median = (xs) => quantile(xs, 0.5);
/** Median, quartiles and extremes; `runs` keeps the values (0.1 ms is finer than any of them means). */
export function summary(xs) {
  return {
    n: xs.length, median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), min: Math.min(...xs), max: Math.max(...xs),
    runs: xs.map((x) => Math.round(x * 10) / 10),
  };
}
/** A seeded generator of numbers in [0, 1): the same seed gives the same sequence, so runs repeat. */
export function seededRandom(seed) {
  return () => ((seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}
/** The median of the per-run differences `later[i] - earlier[i]` (one phase of paired timings). */
export const medianDifference = (later, earlier) => median(later.map((t, i) => t - earlier[i]));

/**
 * A 95 % bootstrap interval of `median(ours) / median(theirs)`, where `ours[i]` and `theirs[i]`
 * ran in the same round (the bench alternates the clients round by round). Whole rounds are drawn
 * with replacement, so load that slowed both clients of a round stays paired. Seeded: the same
 * runs give the same interval. `[NaN, NaN]` without two runs a side.
 */
export function ratioInterval(ours, theirs, draws = 4000) {
  const n = Math.min(ours.length, theirs.length);
  if (n < 2) return [NaN, NaN];
  const random = seededRandom(0x2545f491);
  const ratios = [];
  const a = new Array(n);
  const b = new Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) {
      const k = Math.floor(random() * n);
      a[i] = ours[k];
      b[i] = theirs[k];
    }
    ratios.push(median(a) / median(b));
  }
  return [quantile(ratios, 0.025), quantile(ratios, 0.975)];
}
