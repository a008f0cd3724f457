// Axes: round steps, ticks inside a range (also near the largest double), finite extents, labels.
import { expect, test } from 'vitest';
import { extentOf, niceStep, paddedRange, scaler, tickLabel, ticksIn } from '../../src/plot/scale.js';

test('steps are 1, 2 or 5 times a power of ten', () => {
  expect(niceStep(10, 10)).toBe(1);
  expect(niceStep(10, 4)).toBe(2);
  expect(niceStep(1, 3)).toBe(0.2);
  expect(niceStep(1, 2)).toBe(0.5);
  expect(niceStep(0.07, 7)).toBe(0.01);
  expect(niceStep(3e5, 3)).toBe(1e5);
});
test('ticks: the multiples inside, 0 without a sign, and no endless loop near the largest double', () => {
  expect(ticksIn({ lo: -6, hi: 6 }, 2)).toEqual([-6, -4, -2, 0, 2, 4, 6]);
  expect(ticksIn({ lo: -0.26, hi: 6.26 }, 1)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  expect(Object.is(ticksIn({ lo: -1, hi: 1 }, 1)[1], 0)).toBe(true);
  expect(ticksIn({ lo: 0, hi: Number.MAX_VALUE }, 5e307)).toEqual([0, 5e307, 1e308, 1.5e308]);
});
test('the extent skips NaN and infinities; padding never overflows', () => {
  const y = Float64Array.from([NaN, -2, Infinity, 3, -Infinity]);
  expect(extentOf([{ label: '', y }])).toEqual({ lo: -2, hi: 3 });
  expect(extentOf([{ label: '', y: Float64Array.from([NaN]) }])).toEqual({ lo: -1, hi: 1 });
  expect(paddedRange({ lo: 0, hi: 10 })).toEqual({ lo: -0.4, hi: 10.4 });
  expect(paddedRange({ lo: 2, hi: 2 })).toEqual({ lo: 1, hi: 3 });
  expect(paddedRange({ lo: 0, hi: Number.MAX_VALUE })).toEqual({ lo: 0, hi: Number.MAX_VALUE });
});
test('labels and the linear map', () => {
  expect([0.30000000000000004, -0, 1e21, 2.5].map(tickLabel)).toEqual(['0.3', '0', '1e+21', '2.5']);
  const f = scaler({ lo: -1, hi: 3 }, 100, 0);
  expect([f(-1), f(3), f(1)]).toEqual([100, 0, 50]);
});
