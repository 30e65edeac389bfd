// `node --test bench/lib/stats.test.mjs`: the interval the bench's verdicts quote.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, ratioInterval, summary } from './stats.mjs';

test('the interval holds the ratio of medians and is the same on every call', () => {
  const theirs = [100, 104, 98, 130, 101, 99, 103, 97, 150, 102];
  const ours = theirs.map((t, i) => t * 1.2 + (i % 3));
  const [lo, hi] = ratioInterval(ours, theirs);
  const ratio = median(ours) / median(theirs);
  assert.ok(lo <= ratio && ratio <= hi, `${lo} ≤ ${ratio} ≤ ${hi}`);
  assert.ok(lo > 1.1 && hi < 1.3, `a steady 1.2× stays near 1.2: ${lo}–${hi}`);
  assert.deepEqual(ratioInterval(ours, theirs), [lo, hi]);
});

test('two clients drawn from one spread give an interval around 1.0', () => {
  const spread = [90, 140, 100, 180, 95, 120, 110, 160, 105, 130, 99, 150];
  const [lo, hi] = ratioInterval(spread, [...spread].reverse());
  assert.ok(lo < 1 && hi > 1, `${lo}–${hi}`);
});

test('fewer than two rounds give no interval', () => {
  assert.deepEqual(ratioInterval([1], [1]).map(Number.isNaN), [true, true]);
  assert.deepEqual(ratioInterval([], []).map(Number.isNaN), [true, true]);
});

test('a summary keeps its runs, to 0.1 ms', () => {
  const s = summary([1.234, 5.66, 3]);
  assert.deepEqual(s.runs, [1.2, 5.7, 3]);
  assert.equal(s.median, 3);
});
