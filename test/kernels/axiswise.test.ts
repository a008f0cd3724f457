import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { gluOutLength } from '../../src/kernels/axiswise.js';
import { lookup } from '../../src/kernels/registry.js';
import type { AxisKernel } from '../../src/kernels/spec.js';
import { ulpDistance } from './ulp.js';
import { rng } from '../support.js';

const AXISWISE = ['softmax', 'log_softmax', 'softmin', 'sparsemax'] as const;

function kernel(name: string, params?: Record<string, unknown>): AxisKernel {
  const k = lookup(name).bind(params);
  if (k.kind !== 'axiswise') throw new Error(`${name} is not axis-wise`);
  return k;
}

/** The kernel's vector on a plain row, stride 1, out of place. */
function vec(name: string, xs: number[]): number[] {
  const k = kernel(name);
  const src = Float64Array.from(xs);
  const dst = new Float64Array(k.outLength(xs.length)).fill(12345);
  k.vector(src, 0, 1, dst, 0, 1, xs.length);
  xs.forEach((x, i) => {
    if (!Object.is(src[i], x)) throw new Error(`${name}: the input was modified at ${i}`);
  });
  return Array.from(dst);
}

/** -0 -> +0, for comparisons where the issue does not fix the sign of a zero. */
const z = (xs: number[]): number[] => xs.map((v) => (v === 0 ? 0 : v));

function same(actual: number, expected: number, what = ''): void {
  expect(Object.is(actual, expected), `${what}: got ${actual}, want ${expected}`).toBe(true);
}
function ulpsWithin(actual: number[], expected: number[], ulps: number, what = ''): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(ulpDistance(a, expected[i]), `${what}[${i}]: got ${a}, want ${expected[i]}`).toBeLessThanOrEqual(ulps));
}

/** Kahan-Babuska sum, independent of the module under test. */
function accurateSum(xs: number[]): number {
  let s = 0;
  let c = 0;
  for (const x of xs) {
    const t = s + x;
    c += Math.abs(s) >= Math.abs(x) ? s - t + x : x - t + s;
    s = t;
  }
  return s + c;
}


const U = 2 ** -53;

describe('softmax, softmin, sparsemax sum to 1', () => {
  const rand = rng(2024);
  const rows: number[][] = [];
  for (let r = 0; r < 200; r++) {
    const n = 1 + Math.floor(rand() * 40);
    const scale = [0.1, 1, 10, 100, 1000][r % 5];
    rows.push(Array.from({ length: n }, () => (rand() * 2 - 1) * scale));
  }
  test.each(['softmax', 'softmin', 'sparsemax'])('%s on 200 random rows: sum within a few ulp of 1, all in [0, 1]', (name) => {
    let worst = 0;
    for (const row of rows) {
      const y = vec(name, row);
      for (const v of y) if (!(v >= 0 && v <= 1)) throw new Error(`${name}(${row}): ${v} outside [0, 1]`);
      worst = Math.max(worst, Math.abs(accurateSum(y) - 1));
    }
    expect(worst).toBeLessThanOrEqual(4 * U * 2);
  });

  test('log_softmax exponentiates to a distribution (exp(log_softmax) sums to 1 closely)', () => {
    for (const row of rows.slice(0, 50)) {
      const y = vec('log_softmax', row);
      for (const v of y) expect(v).toBeLessThanOrEqual(0);
      expect(Math.abs(accurateSum(y.map(Math.exp)) - 1)).toBeLessThan(1e-13);
    }
  });

  test('softmin(x) is exactly softmax(-x)', () => {
    for (const row of rows.slice(0, 50)) expect(vec('softmin', row)).toEqual(vec('softmax', row.map((v) => -v)));
  });
});

describe('reference values (mpmath, mp.dps = 60, rounded to double)', () => {
  const ROW = [0.3, -1.7, 2.25, 10.5, -3.125, 7.1];
  test('softmax of an ordinary row within 4 ulp per element', () => {
    ulpsWithin(
      vec('softmax', ROW),
      [3.595928410193805e-5, 4.866559898921611e-6, 0.00025274657357417403, 0.9674193112929695, 1.1704488424009814e-6, 0.03228594584061299],
      4,
      'softmax',
    );
    ulpsWithin(vec('softmax', [1, 2, 3]), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], 4, 'softmax');
    ulpsWithin(vec('softmin', [-1000, -1001, -1002]), [0.09003057317038046, 0.24472847105479764, 0.6652409557748219], 4, 'softmin');
  });
  test('log_softmax of an ordinary row within 4 ulp per element', () => {
    ulpsWithin(
      vec('log_softmax', ROW),
      [-10.233123256736498, -12.233123256736498, -8.283123256736499, -0.03312325673649841, -13.658123256736499, -3.433123256736499],
      4,
      'log_softmax',
    );
  });
  test('log_softmax([-745, -744, -700]) keeps the tiny last element (PyTorch gives 0)', () => {
    const y = vec('log_softmax', [-745, -744, -700]);
    same(y[0], -45);
    same(y[1], -44);
    expect(y[2]).toBeLessThan(0);
    expect(ulpDistance(y[2], -1.064365082168319e-19)).toBeLessThanOrEqual(4);
  });
  test('log_softmax is never log(softmax): far elements keep their value', () => {
    const y = vec('log_softmax', [0, -800]);
    expect(y[0] === 0).toBe(true); // -e^-800 rounds to (-)0
    same(y[1], -800);
    ulpsWithin(vec('log_softmax', [5, 5]), [-Math.LN2, -Math.LN2], 0);
  });
});

describe('degenerate rows', () => {
  test.each(AXISWISE)('%s: a NaN anywhere makes the whole row NaN', (name) => {
    for (const row of [[NaN], [1, NaN, 3], [NaN, Infinity], [-Infinity, NaN], [NaN, NaN]]) {
      for (const v of vec(name, row)) same(v, NaN, `${name}(${row})`);
    }
  });

  test.each(['softmax', 'log_softmax', 'sparsemax'])('%s: a row of only -Infinity is NaN (no limit)', (name) => {
    for (const row of [[-Infinity], [-Infinity, -Infinity, -Infinity]]) for (const v of vec(name, row)) same(v, NaN, name);
  });
  test('softmin: a row of only +Infinity is NaN', () => {
    for (const v of vec('softmin', [Infinity, Infinity])) same(v, NaN);
  });

  test('+Infinity entries share the mass equally', () => {
    expect(vec('softmax', [1, Infinity, Infinity, 2])).toEqual([0, 0.5, 0.5, 0]);
    expect(vec('softmax', [-Infinity, Infinity, 1e308])).toEqual([0, 1, 0]);
    ulpsWithin(vec('softmax', [Infinity, Infinity, Infinity]), [1 / 3, 1 / 3, 1 / 3], 0);
    expect(vec('log_softmax', [1, Infinity, Infinity, 2])).toEqual([-Infinity, -Math.LN2, -Math.LN2, -Infinity]);
    expect(z(vec('log_softmax', [Infinity]))).toEqual([0]); // -log(1)
    expect(vec('softmin', [-Infinity, 3, -Infinity])).toEqual([0.5, 0, 0.5]);
    expect(vec('sparsemax', [Infinity, 1])).toEqual([1, 0]);
    expect(vec('sparsemax', [Infinity, Infinity, -5])).toEqual([0.5, 0.5, 0]);
  });

  test('-Infinity entries among finite ones get 0 (log: -Infinity)', () => {
    expect(vec('softmax', [-Infinity, 0, 0])).toEqual([0, 0.5, 0.5]);
    expect(z(vec('log_softmax', [-Infinity, 7]))).toEqual([-Infinity, 0]);
    expect(vec('softmin', [Infinity, 3])).toEqual([0, 1]);
    expect(vec('sparsemax', [-Infinity, 2])).toEqual([0, 1]);
  });

  test('differences beyond the double range: softmax([-1e308, 1e308]) = [0, 1], not NaN', () => {
    expect(vec('softmax', [-1e308, 1e308])).toEqual([0, 1]);
    expect(vec('softmin', [1e308, -1e308])).toEqual([0, 1]);
    expect(z(vec('log_softmax', [-1e308, 1e308]))).toEqual([-Infinity, 0]);
    expect(vec('log_softmax', [-Number.MAX_VALUE, Number.MAX_VALUE, Number.MAX_VALUE])).toEqual([-Infinity, -Math.LN2, -Math.LN2]);
  });

  test.each(AXISWISE)('%s: a single element', (name) => {
    const one = name === 'log_softmax' ? 0 : 1;
    for (const x of [0, -3, 1e300, -1e300, 5e-324]) {
      const y = vec(name, [x]);
      expect(y.length).toBe(1);
      expect(y[0] === one, `${name}([${x}]) = ${y[0]}`).toBe(true);
    }
  });

  test('ties', () => {
    expect(vec('softmax', [2, 2, 2, 2])).toEqual([0.25, 0.25, 0.25, 0.25]);
    expect(vec('softmin', [-7, -7])).toEqual([0.5, 0.5]);
    expect(vec('log_softmax', [3, 3, 3, 3])).toEqual([-2 * Math.LN2, -2 * Math.LN2, -2 * Math.LN2, -2 * Math.LN2]);
    const y = vec('softmax', [1, 5, 5, 1]);
    same(y[1], y[2]);
    same(y[0], y[3]);
  });

  test('empty vectors write nothing and do not throw', () => {
    for (const name of AXISWISE) expect(vec(name, [])).toEqual([]);
  });
});

describe('sparsemax, the textbook algorithm', () => {
  test('[0.5, 0.4] -> [0.55, 0.45] (Keras 3 gets this wrong)', () => {
    ulpsWithin(vec('sparsemax', [0.5, 0.4]), [0.55, 0.45], 1, 'sparsemax');
  });
  test('[1, 1, 1] -> thirds', () => {
    ulpsWithin(vec('sparsemax', [1, 1, 1]), [1 / 3, 1 / 3, 1 / 3], 1, 'sparsemax');
  });
  test('[0.1, 0.2, 0.3]: all in the support (mpmath)', () => {
    ulpsWithin(vec('sparsemax', [0.1, 0.2, 0.3]), [0.23333333333333334, 0.33333333333333337, 0.43333333333333335], 2, 'sparsemax');
  });
  test('a clear winner takes everything; far-behind values are exactly 0', () => {
    expect(vec('sparsemax', [3, 1, 0])).toEqual([1, 0, 0]);
    expect(vec('sparsemax', [0, 0, 5, -1e300])).toEqual([0, 0, 1, 0]);
    expect(vec('sparsemax', [1e17, 0])).toEqual([1, 0]);
    expect(vec('sparsemax', [-1e300, -1e300 - 1e284])).toEqual([1, 0]);
  });
  test('extreme magnitudes do not overflow the sums', () => {
    const M = Number.MAX_VALUE;
    expect(vec('sparsemax', [M, M])).toEqual([0.5, 0.5]);
    expect(vec('sparsemax', [-M, -M])).toEqual([0.5, 0.5]);
    expect(vec('sparsemax', [1e308, -1e308])).toEqual([1, 0]);
    ulpsWithin(vec('sparsemax', [1e308, 1e308, 1e308]), [1 / 3, 1 / 3, 1 / 3], 1, 'sparsemax');
    expect(vec('softmax', [M, M])).toEqual([0.5, 0.5]);
    expect(vec('softmin', [-M, -M])).toEqual([0.5, 0.5]);
    expect(vec('log_softmax', [M, -M, M])).toEqual([-Math.LN2, -Infinity, -Math.LN2]);
  });
  test('shift invariance on exactly representable shifts', () => {
    expect(vec('sparsemax', [0.5 + 64, 0.25 + 64])).toEqual(vec('sparsemax', [0.5, 0.25]));
    expect(vec('sparsemax', [0.5, 0.25])).toEqual([0.625, 0.375]);
  });
  test('support boundary: [1, 0] gives [1, 0] (gap exactly 1 leaves the second out)', () => {
    expect(vec('sparsemax', [1, 0])).toEqual([1, 0]);
    expect(vec('sparsemax', [0, 1])).toEqual([0, 1]);
  });
});

describe('glu', () => {
  test('a * sigmoid(b) over the two halves', () => {
    expect(vec('glu', [1, 2, 0, 0])).toEqual([0.5, 1]);
    ulpsWithin(vec('glu', [3, 1]), [3 / (1 + Math.exp(-1))], 1, 'glu');
    expect(vec('glu', [5, -Infinity])).toEqual([0]);
    expect(vec('glu', [5, Infinity])).toEqual([5]);
    expect(vec('glu', [])).toEqual([]);
  });
  test('NaN stays in its own element', () => {
    const y = vec('glu', [NaN, 1, 0, 0]);
    same(y[0], NaN);
    same(y[1], 0.5);
    same(vec('glu', [1, NaN])[0], NaN);
  });
  test('huge a with b >= 0 is finite (a * sigmoid(b))', () => {
    same(vec('glu', [1e308, 40])[0], 1e308);
  });
  test.each([1, 3, 7])('odd length %i throws ActivError (data) naming the size', (n) => {
    let err: unknown;
    try {
      vec('glu', Array.from({ length: n }, (_, i) => i));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ActivError);
    expect((err as ActivError).kind).toBe('data');
    expect((err as ActivError).message).toMatch(new RegExp(`\\b${n}\\b`));
    expect((err as ActivError).message).toMatch(/odd/);
  });
  test('outLength halves, and refuses odd', () => {
    expect(kernel('glu').outLength(6)).toBe(3);
    expect(gluOutLength(0)).toBe(0);
    expect(() => kernel('glu').outLength(5)).toThrow(ActivError);
  });
});

describe('in place (dst === src) gives the same result as out of place', () => {
  const rand = rng(7);
  const rows: number[][] = [[1, 2, 3], [Infinity, 1, Infinity], [-Infinity, 0], [NaN, 1], [0.5, 0.4], [-745, -744, -700]];
  for (let r = 0; r < 30; r++) rows.push(Array.from({ length: 1 + Math.floor(rand() * 20) }, () => (rand() - 0.5) * 20));
  test.each(AXISWISE)('%s', (name) => {
    const k = kernel(name);
    for (const row of rows) {
      const want = vec(name, row);
      const buf = Float64Array.from(row);
      k.vector(buf, 0, 1, buf, 0, 1, row.length);
      expect(Array.from(buf)).toEqual(want);
    }
  });
  test.each(AXISWISE)('%s with offset and stride, in place, leaves other slots alone', (name) => {
    const k = kernel(name);
    const row = [0.25, -3, 8, 1.5];
    const want = vec(name, row);
    const buf = new Float64Array(1 + 3 * row.length).fill(-99);
    row.forEach((v, i) => (buf[1 + 3 * i] = v));
    k.vector(buf, 1, 3, buf, 1, 3, row.length);
    expect(row.map((_, i) => buf[1 + 3 * i])).toEqual(want);
    buf.forEach((v, i) => {
      if ((i - 1) % 3 !== 0) expect(v).toBe(-99);
    });
  });
});
