// Sampling: the grid holds the range's ends, every kink inside with its neighbouring doubles,
// and the curves' values at the kinks are the activations' own corner values.
import { describe, expect, test } from 'vitest';
import { curveSources, defaultRange } from '../../src/cli/plot.js';
import { catalogue } from '../../src/kernels/registry.js';
import { kinksOf } from '../../src/plot/kinks.js';
import { nextDown, nextUp, sampleCurves, sampleGrid } from '../../src/plot/sample.js';
import { rng } from '../support.js';

const sampled = (names: string, lo: number, hi: number, count = 101) => sampleCurves(curveSources([names], false), { lo, hi, count });

function valueAt(names: string, at: number, range = { lo: -8, hi: 8 }): number {
  const s = sampled(names, range.lo, range.hi);
  const k = s.x.indexOf(at);
  expect(k, `${names}: x = ${at} sampled`).toBeGreaterThanOrEqual(0);
  return s.curves[0].y[k];
}

describe('sampleGrid', () => {
  test('even points, the ends exact, kinks with their neighbours, sorted without repeats', () => {
    const g = Array.from(sampleGrid({ lo: -1, hi: 1, count: 5, kinks: [0.3, 0, 5] }));
    expect(g).toEqual([-1, -0.5, nextDown(0), 0, nextUp(0), nextDown(0.3), 0.3, nextUp(0.3), 0.5, 1]);
  });
  test('random ranges and kinks: strictly increasing, ends and every kink inside present', () => {
    const r = rng(13);
    for (let t = 0; t < 200; t++) {
      const lo = (r() - 0.5) * 100;
      const hi = lo + 1e-3 + r() * 50;
      const kinks = Array.from({ length: 1 + Math.floor(r() * 4) }, () => lo - 5 + r() * (hi - lo + 10));
      const count = 2 + Math.floor(r() * 300);
      const g = sampleGrid({ lo, hi, count, kinks });
      expect(g[0]).toBe(lo);
      expect(g[g.length - 1]).toBe(hi);
      for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
      for (const k of kinks) if (k >= lo && k <= hi) expect(g.includes(k)).toBe(true);
      expect(g.length).toBeLessThanOrEqual(count + 3 * kinks.length);
    }
  });
  test('nextUp and nextDown step one double', () => {
    expect(nextUp(1)).toBe(1 + Number.EPSILON);
    expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
    expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
    expect(nextUp(0)).toBe(Number.MIN_VALUE);
    expect(nextDown(0)).toBe(-Number.MIN_VALUE);
  });
});

describe('kinks are sampled at the kink', () => {
  test('relu6 at 0 and 6, with the values either side', () => {
    expect(valueAt('relu6', 6)).toBe(6);
    expect(valueAt('relu6', nextDown(6))).toBe(nextDown(6));
    expect(valueAt('relu6', nextUp(6))).toBe(6);
    expect(valueAt('relu6', 0)).toBe(0);
    expect(valueAt('relu6', nextUp(0))).toBe(Number.MIN_VALUE);
  });
  test("hard_sigmoid's corners at -2.5 and 2.5, hard_tanh's at -1 and 1", () => {
    expect(valueAt('hard_sigmoid', -2.5)).toBe(0);
    expect(valueAt('hard_sigmoid', 2.5)).toBe(1);
    expect(valueAt('hard_sigmoid', nextUp(-2.5))).toBeGreaterThan(0);
    expect(valueAt('hard_tanh', -1)).toBe(-1);
    expect(valueAt('hard_tanh', nextUp(1))).toBe(1);
  });
  test("parameters move the kinks: relu's threshold and max_value, the shrinks' lambda, threshold", () => {
    expect(valueAt('relu(threshold=0.75, max_value=3.25)', 0.75)).toBe(0);
    expect(valueAt('relu(threshold=0.75, max_value=3.25)', nextUp(0.75))).toBe(nextUp(0.75));
    expect(valueAt('relu(threshold=0.75, max_value=3.25)', 3.25)).toBe(3.25);
    expect(valueAt('soft_shrink(threshold=0.7)', -0.7)).toBe(0);
    expect(valueAt('hard_shrink(threshold=0.7)', nextUp(0.7))).toBe(nextUp(0.7));
    expect(valueAt('hard_shrink(threshold=0.7)', 0.7)).toBe(0);
    expect(valueAt('threshold(threshold=1.5, default_value=-2)', 1.5)).toBe(-2);
    expect(valueAt('threshold(threshold=1.5, default_value=-2)', nextUp(1.5))).toBe(nextUp(1.5));
    expect(valueAt('thresholded_relu(theta=2.2)', 2.2)).toBe(0);
    expect(valueAt('hard_silu', -3)).toBe(0);
    expect(valueAt('sparse_plus', 1)).toBe(1);
  });
  test('every kink an activation lists is a corner, a jump, or a jump in curvature (where the derivative has its corner)', () => {
    const cases = ['relu6', 'hard_sigmoid', 'hard_tanh', 'hard_silu', 'sparse_plus', 'sparse_sigmoid', 'leaky_relu', 'elu(alpha=2)', 'celu(alpha=2)', 'selu',
      'thresholded_relu', 'threshold(threshold=1, default_value=3)', 'soft_shrink', 'hard_shrink', 'relu(threshold=1, max_value=4)', 'squareplus(b=0)', 'prelu(alpha=0.2)', 'relu(threshold=-1, max_value=4)', 'relu(alpha=0.1, threshold=-1)', 'relu(alpha=0.1, threshold=-1, max_value=2)', 'relu(threshold=-1)'];
    for (const text of cases) {
      const [source] = curveSources([text], false);
      expect(source.kinks.length, text).toBeGreaterThan(0);
      for (const k of source.kinks) {
        const h = 1e-3;
        const xs = Float64Array.from([k - 2 * h, k - h, k, k + h, k + 2 * h]);
        const ys = new Float64Array(5);
        source.kernel.map(xs, ys, 0, 5);
        const slopes = [(ys[1] - ys[0]) / h, (ys[4] - ys[3]) / h];
        const curvatures = [(ys[0] - 2 * ys[1] + ys[2]) / h ** 2, (ys[2] - 2 * ys[3] + ys[4]) / h ** 2];
        const broken = Math.abs(slopes[1] - slopes[0]) > 1e-3 || Math.abs(curvatures[1] - curvatures[0]) > 0.1;
        expect(broken, `${text} at ${k}: slopes ${slopes}, curvatures ${curvatures}`).toBe(true);
      }
    }
  });
  test('no kink is missing: every corner found on a fine grid of each element-wise activation is listed', () => {
    const required: Record<string, string> = { prelu: 'prelu(alpha=0.2)', threshold: 'threshold(threshold=1.25, default_value=3)' };
    const h = 1 / 64;
    const xs = Float64Array.from({ length: 16 * 64 + 1 }, (_, i) => -8 + i * h);
    for (const spec of catalogue().filter((s) => s.family === 'elementwise')) {
      const [source] = curveSources([required[spec.name] ?? spec.name], false);
      const ys = new Float64Array(xs.length);
      source.kernel.map(xs, ys, 0, xs.length);
      // the change of slope over one step: about f''h where smooth, the slope's jump at a corner
      const change = (i: number): number => Math.abs(ys[i + 1] - 2 * ys[i] + ys[i - 1]) / h;
      for (let i = 3; i + 3 < xs.length; i++) {
        const c = change(i);
        if (!(c > 0.05 && c > 4 * Math.max(change(i - 2), change(i + 2)))) continue;
        const near = source.kinks.some((k) => Math.abs(k - xs[i]) <= h);
        expect(near, `${spec.name}: slope changes by ${c} at ${xs[i]}, kinks listed: ${source.kinks}`).toBe(true);
      }
    }
  });
  test('smooth activations list none; the default range reaches past every kink', () => {
    for (const name of ['gelu', 'silu', 'mish', 'sigmoid', 'tanh', 'softplus', 'linear']) expect(kinksOf(name, {})).toEqual([]);
    expect(defaultRange(curveSources(['relu6'], false))).toEqual({ lo: -7, hi: 7 });
    expect(defaultRange(curveSources(['gelu'], false))).toEqual({ lo: -5, hi: 5 });
  });
  test('several curves share one grid holding all their kinks', () => {
    const s = sampled('relu6,hard_sigmoid', -7, 7, 11);
    for (const k of [0, 6, -2.5, 2.5]) expect(s.x.includes(k)).toBe(true);
    expect(s.curves.map((c) => c.label)).toEqual(['relu6', 'hard_sigmoid']);
    expect(s.curves[1].y.length).toBe(s.x.length);
  });
});
