import { describe, expect, test } from 'vitest';
import { lookup } from '../../src/kernels/registry.js';
import * as ew from '../../src/kernels/elementwise.js';
import type { ElementwiseKernel } from '../../src/kernels/spec.js';
import { ulpDistance } from './ulp.js';

// ---------------------------------------------------------------- helpers
const dv = new DataView(new ArrayBuffer(8));
function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  dv.setFloat64(0, x);
  const b = dv.getBigInt64(0);
  dv.setBigInt64(0, x > 0 ? b + 1n : b - 1n);
  return dv.getFloat64(0);
}
const nextDown = (x: number): number => -nextUp(-x);

test('nextUp / nextDown helpers', () => {
  expect(nextUp(1)).toBe(1 + Number.EPSILON);
  expect(nextDown(1)).toBe(1 - Number.EPSILON / 2);
  expect(nextUp(-1)).toBe(-1 + Number.EPSILON / 2);
  expect(nextUp(0)).toBe(5e-324);
  expect(nextDown(0)).toBe(-5e-324);
  expect(nextUp(-5e-324) === 0).toBe(true);
  expect(nextUp(Number.MAX_VALUE)).toBe(Infinity);
});

/** One activation, bound once, as a scalar function (through the kernel's map, as the CLI uses it). */
function fn(name: string, params?: Record<string, unknown>): (x: number) => number {
  const k = lookup(name).bind(params) as ElementwiseKernel;
  expect(k.kind).toBe('elementwise');
  const src = new Float64Array(1);
  const dst = new Float64Array(1);
  return (x: number) => {
    src[0] = x;
    dst[0] = 12345;
    k.map(src, dst, 0, 1);
    return dst[0];
  };
}

/** Same value, same sign of zero (Object.is); NaN equals NaN. */
function same(actual: number, expected: number, what = ''): void {
  expect(Object.is(actual, expected), `${what}: got ${Object.is(actual, -0) ? '-0' : actual}, want ${Object.is(expected, -0) ? '-0' : expected}`).toBe(true);
}
/** Same value, either sign of zero. */
function equalish(actual: number, expected: number, what = ''): void {
  if (expected === 0) expect(actual === 0, `${what}: got ${actual}, want 0`).toBe(true);
  else same(actual, expected, what);
}
function ulpWithin(actual: number, expected: number, ulps: number, what = ''): void {
  expect(ulpDistance(actual, expected), `${what}: got ${actual}, want ${expected}`).toBeLessThanOrEqual(ulps);
}

// ---------------------------------------------------------------- relu
describe('relu as Keras executes it', () => {
  test('relu(1, threshold=1) = 0: x must exceed the threshold', () => {
    same(fn('relu', { threshold: 1 })(1), 0);
    same(fn('relu', { threshold: 1 })(nextUp(1)), nextUp(1));
    same(fn('relu', { threshold: 1 })(nextDown(1)), 0);
    same(fn('relu', { threshold: 1 })(0.5), 0);
  });

  test('relu(-0.5, threshold=-1) = -0.5, and 0 once max_value is set', () => {
    same(fn('relu', { threshold: -1 })(-0.5), -0.5);
    same(fn('relu', { threshold: -1, max_value: 6 })(-0.5), 0);
    same(fn('relu', { threshold: -1, max_value: 'none' })(-0.5), -0.5);
    equalish(fn('relu', { threshold: -1 })(-1), 0);
    equalish(fn('relu', { threshold: -1 })(-3), 0);
  });

  test('defaults: max(x, 0)', () => {
    const f = fn('relu');
    same(f(3), 3);
    same(f(-3), 0);
    same(f(5e-324), 5e-324);
    same(f(-5e-324), 0);
    same(f(1e300), 1e300);
    same(f(Infinity), Infinity);
    same(f(-Infinity), 0);
  });

  test('NaN propagates, whatever the parameters', () => {
    same(fn('relu')(NaN), NaN);
    same(fn('relu', { alpha: 0.1 })(NaN), NaN);
    same(fn('relu', { max_value: 6 })(NaN), NaN);
    same(fn('relu', { threshold: 1 })(NaN), NaN);
    same(fn('relu', { alpha: 0.1, max_value: 6, threshold: -1 })(NaN), NaN);
  });

  test('alpha leaks below the threshold: y - alpha * (threshold - x)', () => {
    const f = fn('relu', { alpha: 0.1 });
    same(f(-5), -0.5);
    same(f(5), 5);
    const g = fn('relu', { alpha: 0.1, threshold: 1 });
    same(g(-2), -(0.1 * 3)); // -0.30000000000000004, as Keras computes alpha * relu(threshold - x)
    same(g(0.5), -0.05);
    same(g(1), 0);
    same(g(2), 2);
    const h = fn('relu', { alpha: 0.5, threshold: 1, max_value: 1.5 });
    same(h(3), 1.5);
    same(h(-1), -1);
    same(h(1.25), 1.25);
  });

  test('relu(-Infinity, alpha=0.1) = -Infinity', () => {
    same(fn('relu', { alpha: 0.1 })(-Infinity), -Infinity);
    same(fn('relu', { alpha: 0.1, threshold: 2 })(-Infinity), -Infinity);
    same(fn('relu', { alpha: 0.1, max_value: 6 })(-Infinity), -Infinity);
    same(fn('relu', { alpha: 0.1 })(Infinity), Infinity);
    same(fn('relu', { max_value: 6 })(Infinity), 6);
  });

  test('max_value clips at and around the bound', () => {
    const f = fn('relu', { max_value: 6 });
    same(f(6), 6);
    same(f(nextDown(6)), nextDown(6));
    same(f(nextUp(6)), 6);
    same(f(1e300), 6);
    same(f(-1), 0);
    const g = fn('relu', { max_value: 0.1 });
    same(g(0.1), 0.1);
    same(g(nextDown(0.1)), nextDown(0.1));
    same(g(nextUp(0.1)), 0.1);
    const z = fn('relu', { max_value: 0 });
    same(z(5), 0);
    same(z(-5), 0);
  });

  test('relu(-0) is +0 (max(x, 0)); with a leak it is a zero of either sign', () => {
    same(fn('relu')(-0), 0);
    same(fn('relu', { max_value: 6 })(-0), 0);
    same(fn('relu', { threshold: 1 })(-0), 0);
    equalish(fn('relu', { alpha: 0.1 })(-0), 0);
    equalish(fn('relu', { alpha: 0.1 })(0), 0);
  });

  test('relu6 is relu with max_value 6', () => {
    const a = fn('relu6');
    const b = fn('relu', { max_value: 6 });
    for (const x of [-1, 0, 3, nextDown(6), 6, nextUp(6), 1e300, Infinity, -Infinity]) same(a(x), b(x), String(x));
    same(a(NaN), NaN);
  });
});

// ---------------------------------------------------------------- piecewise edges
// Expected values: mpmath at 60 digits of the formulas at the exact double inputs, rounded to double.
const PIECEWISE: [string, number, number][] = [
  ['hard_sigmoid', -2.5000000000000004, 0.0],
  ['hard_sigmoid', -2.5, 0.0],
  ['hard_sigmoid', -2.4999999999999996, 8.881784197001253e-17],
  ['hard_sigmoid', 2.4999999999999996, 0.9999999999999999],
  ['hard_sigmoid', 2.5, 1.0],
  ['hard_sigmoid', 2.5000000000000004, 1.0],
  ['hard_sigmoid', -5e-324, 0.5],
  ['hard_sigmoid', 0, 0.5],
  ['hard_sigmoid', 5e-324, 0.5],
  ['hard_sigmoid', 0.9999999999999999, 0.7],
  ['hard_sigmoid', 1, 0.7],
  ['hard_sigmoid', 1.0000000000000002, 0.7000000000000001],
  ['hard_sigmoid', -1.0000000000000002, 0.29999999999999993],
  ['hard_sigmoid', -1, 0.3],
  ['hard_sigmoid', -0.9999999999999999, 0.30000000000000004],
  ['hard_silu', -3.0000000000000004, 0.0],
  ['hard_silu', -3, 0.0],
  ['hard_silu', -2.9999999999999996, -2.2204460492503128e-16],
  ['hard_silu', 2.9999999999999996, 2.9999999999999996],
  ['hard_silu', 3, 3.0],
  ['hard_silu', 3.0000000000000004, 3.0000000000000004],
  ['hard_silu', 0.9999999999999999, 0.6666666666666666],
  ['hard_silu', 1, 0.6666666666666666],
  ['hard_silu', 1.0000000000000002, 0.6666666666666669],
  ['hard_silu', -1.0000000000000002, -0.33333333333333337],
  ['hard_silu', -1, -0.3333333333333333],
  ['hard_silu', -0.9999999999999999, -0.3333333333333333],
  ['sparse_plus', -1.0000000000000002, 0.0],
  ['sparse_plus', -1, 0.0],
  ['sparse_plus', -0.9999999999999999, 3.0814879110195774e-33],
  ['sparse_plus', 0.9999999999999999, 0.9999999999999999],
  ['sparse_plus', 1, 1.0],
  ['sparse_plus', 1.0000000000000002, 1.0000000000000002],
  ['sparse_plus', -5e-324, 0.25],
  ['sparse_plus', 0, 0.25],
  ['sparse_plus', 5e-324, 0.25],
  ['sparse_plus', 0.49999999999999994, 0.5625],
  ['sparse_plus', 0.5, 0.5625],
  ['sparse_plus', 0.5000000000000001, 0.5625000000000001],
  ['sparse_sigmoid', -1.0000000000000002, 0.0],
  ['sparse_sigmoid', -1, 0.0],
  ['sparse_sigmoid', -0.9999999999999999, 5.551115123125783e-17],
  ['sparse_sigmoid', 0.9999999999999999, 1.0],
  ['sparse_sigmoid', 1, 1.0],
  ['sparse_sigmoid', 1.0000000000000002, 1.0],
  ['sparse_sigmoid', 0.29999999999999993, 0.6499999999999999],
  ['sparse_sigmoid', 0.3, 0.65],
  ['sparse_sigmoid', 0.30000000000000004, 0.65],
];

describe('piecewise activations at their corners and the neighbouring doubles', () => {
  test.each(PIECEWISE)('%s(%s) = %s within 1 ulp', (name, x, want) => {
    const y = fn(name)(x);
    if (want === 0) equalish(y, 0, `${name}(${x})`);
    else ulpWithin(y, want, 1, `${name}(${x})`);
  });

  test('exact corners: hard_sigmoid, hard_silu, sparse_plus, sparse_sigmoid', () => {
    equalish(fn('hard_sigmoid')(-2.5), 0);
    same(fn('hard_sigmoid')(2.5), 1);
    same(fn('hard_sigmoid')(0), 0.5);
    same(fn('hard_sigmoid')(1), 0.7); // (1 + 2.5) / 5 is one rounding of 0.7
    equalish(fn('hard_silu')(-3), 0);
    same(fn('hard_silu')(3), 3);
    equalish(fn('sparse_plus')(-1), 0);
    same(fn('sparse_plus')(1), 1);
    same(fn('sparse_plus')(0), 0.25);
    equalish(fn('sparse_sigmoid')(-1), 0);
    same(fn('sparse_sigmoid')(1), 1);
    same(fn('sparse_sigmoid')(0), 0.5);
  });

  test('hard_sigmoid is the Keras 2 clip(0.2x + 0.5), not x/6 + 0.5', () => {
    same(fn('hard_sigmoid')(2), 0.9);
    same(fn('hard_sigmoid')(3), 1); // x/6 + 0.5 would give 1 too, but at 2 it gives 0.8333
    same(fn('hard_sigmoid')(-2), 0.1); // 0.5 / 5, one rounding of 0.1
    same(fn('hard_sigmoid')(-3), 0);
  });
});

describe('shrinks, thresholded_relu, threshold', () => {
  test('soft_shrink at ±threshold and neighbours', () => {
    const f = fn('soft_shrink');
    equalish(f(0.5), 0);
    equalish(f(-0.5), 0);
    same(f(nextUp(0.5)), nextUp(0.5) - 0.5); // Sterbenz: exact, 2^-53
    same(f(nextUp(0.5)), 2 ** -53);
    same(f(nextDown(-0.5)), -(2 ** -53));
    equalish(f(nextDown(0.5)), 0);
    equalish(f(nextUp(-0.5)), 0);
    same(f(2), 1.5);
    same(f(-2), -1.5);
    same(f(NaN), NaN);
    same(fn('soft_shrink', { threshold: 1 })(3), 2);
    equalish(fn('soft_shrink', { threshold: 1 })(-1), 0);
  });

  test('hard_shrink at ±threshold and neighbours', () => {
    const f = fn('hard_shrink');
    equalish(f(0.5), 0);
    equalish(f(-0.5), 0);
    same(f(nextUp(0.5)), nextUp(0.5));
    same(f(nextDown(-0.5)), nextDown(-0.5));
    equalish(f(nextDown(0.5)), 0);
    equalish(f(nextUp(-0.5)), 0);
    same(f(NaN), NaN);
    same(fn('hard_shrink', { threshold: 0 })(-5e-324), -5e-324);
    same(fn('hard_shrink', { threshold: 2 })(-2.5), -2.5);
  });

  test('thresholded_relu at theta', () => {
    const f = fn('thresholded_relu');
    equalish(f(1), 0);
    same(f(nextUp(1)), nextUp(1));
    equalish(f(nextDown(1)), 0);
    equalish(f(-7), 0);
    same(f(NaN), NaN);
    const g = fn('thresholded_relu', { theta: 0.5 });
    equalish(g(0.5), 0);
    same(g(nextUp(0.5)), nextUp(0.5));
  });

  test('threshold(threshold, default_value)', () => {
    const f = fn('threshold', { threshold: 1, default_value: -7 });
    same(f(1), -7);
    same(f(nextUp(1)), nextUp(1));
    same(f(nextDown(1)), -7);
    same(f(-Infinity), -7);
    same(f(Infinity), Infinity);
    same(f(NaN), NaN);
    same(fn('threshold', { threshold: -1, default_value: 0.5 })(-0.5), -0.5);
  });
});

// ---------------------------------------------------------------- limits and NaN
type Case = [label: string, name: string, params: Record<string, unknown> | undefined, atPlusInf: number, atMinusInf: number];
const SELU_SCALE_ALPHA = 1.0507009873554805 * 1.6732632423543772; // -selu(-Infinity), checked to 1 ulp

/** Every element-wise activation with its limits at +Infinity and -Infinity (0 means: either sign). */
const LIMITS: Case[] = [
  ['linear', 'linear', undefined, Infinity, -Infinity],
  ['exponential', 'exponential', undefined, Infinity, 0],
  ['tanh', 'tanh', undefined, 1, -1],
  ['sigmoid', 'sigmoid', undefined, 1, 0],
  ['hard_sigmoid', 'hard_sigmoid', undefined, 1, 0],
  ['softplus', 'softplus', undefined, Infinity, 0],
  ['softsign', 'softsign', undefined, 1, -1],
  ['elu', 'elu', undefined, Infinity, -1],
  ['elu alpha=2', 'elu', { alpha: 2 }, Infinity, -2],
  ['selu', 'selu', undefined, Infinity, -SELU_SCALE_ALPHA],
  ['relu', 'relu', undefined, Infinity, 0],
  ['relu max_value=6', 'relu', { max_value: 6 }, 6, 0],
  ['relu alpha=0.1', 'relu', { alpha: 0.1 }, Infinity, -Infinity],
  ['relu threshold=1', 'relu', { threshold: 1 }, Infinity, 0],
  ['leaky_relu', 'leaky_relu', undefined, Infinity, -Infinity],
  ['prelu alpha=0.25', 'prelu', { alpha: 0.25 }, Infinity, -Infinity],
  ['thresholded_relu', 'thresholded_relu', undefined, Infinity, 0],
  ['relu6', 'relu6', undefined, 6, 0],
  ['silu', 'silu', undefined, Infinity, 0],
  ['gelu', 'gelu', undefined, Infinity, 0],
  ['gelu approximate', 'gelu', { approximate: true }, Infinity, 0],
  ['celu', 'celu', undefined, Infinity, -1],
  ['celu alpha=2', 'celu', { alpha: 2 }, Infinity, -2],
  ['hard_silu', 'hard_silu', undefined, Infinity, 0],
  ['hard_tanh', 'hard_tanh', undefined, 1, -1],
  ['mish', 'mish', undefined, Infinity, 0],
  ['log_sigmoid', 'log_sigmoid', undefined, 0, -Infinity],
  ['soft_shrink', 'soft_shrink', undefined, Infinity, -Infinity],
  ['hard_shrink', 'hard_shrink', undefined, Infinity, -Infinity],
  ['tanh_shrink', 'tanh_shrink', undefined, Infinity, -Infinity],
  ['squareplus', 'squareplus', undefined, Infinity, 0],
  ['squareplus b=0', 'squareplus', { b: 0 }, Infinity, 0],
  ['sparse_plus', 'sparse_plus', undefined, Infinity, 0],
  ['sparse_sigmoid', 'sparse_sigmoid', undefined, 1, 0],
  ['threshold', 'threshold', { threshold: 0, default_value: 5 }, Infinity, 5],
];

describe('every element-wise activation: NaN -> NaN, ±Infinity -> the mathematical limit', () => {
  test('the table covers every element-wise activation in the catalogue', async () => {
    const { catalogue } = await import('../../src/kernels/registry.js');
    const covered = new Set(LIMITS.map((c) => c[1]));
    for (const s of catalogue()) if (s.family === 'elementwise') expect(covered.has(s.name), s.name).toBe(true);
  });

  test.each(LIMITS)('%s', (label, name, params, atPlus, atMinus) => {
    const f = fn(name, params);
    same(f(NaN), NaN, `${label}(NaN)`);
    if (name === 'selu') {
      same(f(Infinity), Infinity);
      ulpWithin(f(-Infinity), atMinus, 1, 'selu(-Infinity)');
      return;
    }
    equalish(f(Infinity), atPlus, `${label}(+Infinity)`);
    equalish(f(-Infinity), atMinus, `${label}(-Infinity)`);
  });

  test('huge finite inputs agree with the limits where the limit is reached in double', () => {
    same(fn('sigmoid')(1e300), 1);
    equalish(fn('sigmoid')(-1e300), 0);
    same(fn('softplus')(1e300), 1e300);
    equalish(fn('softplus')(-1e300), 0);
    equalish(fn('silu')(-1e300), 0);
    same(fn('silu')(1e300), 1e300);
    same(fn('mish')(1e300), 1e300);
    equalish(fn('mish')(-1e300), 0);
    equalish(fn('gelu')(-1e300), 0);
    same(fn('gelu')(1e300), 1e300);
    same(fn('log_sigmoid')(-1e300), -1e300);
    same(fn('tanh_shrink')(1e300), 1e300 - 1);
    same(fn('softsign')(-1e300), -1);
    ulpWithin(fn('squareplus')(-1e300), 1e-300, 1, 'squareplus(-1e300) = b/(4|x|)');
  });

  test('silu of huge finite x is x (x * sigmoid(x), sigmoid rounds to 1)', () => {
    for (const x of [1e299, 1e300, 1e301, 1e308, Number.MAX_VALUE]) same(fn('silu')(x), x, `silu(${x})`);
  });

  test('silu(-Infinity) is -0 (x * sigmoid(x) from below), not NaN', () => {
    same(fn('silu')(-Infinity), -0);
    same(fn('swish')(-Infinity), -0);
  });

  test('softplus(Infinity) = Infinity; softsign(±Infinity) = ±1', () => {
    same(fn('softplus')(Infinity), Infinity);
    same(fn('softsign')(Infinity), 1);
    same(fn('softsign')(-Infinity), -1);
  });

  test('relu with alpha = 0 (the default) gives 0 at -Infinity', () => {
    same(fn('relu', { alpha: 0 })(-Infinity), 0);
  });

  // alpha = 0 is allowed (min 0) and f(x) = 0 for every x < 0, so the limit at -Infinity is 0, not 0 * -Infinity.
  test('leaky_relu(-Infinity, alpha=0) is 0, not NaN', () => {
    equalish(fn('leaky_relu', { alpha: 0 })(-Infinity), 0, 'leaky_relu(-Infinity, alpha=0)');
  });
  test('prelu(-Infinity, alpha=0) is 0, not NaN (scalar and per-column alpha)', () => {
    equalish(fn('prelu', { alpha: 0 })(-Infinity), 0, 'prelu(-Infinity, alpha=0)');
  });
});

describe('squareplus with a large b', () => {
  // mpmath, dps 60: (x + sqrt(x^2 + b)) / 2
  const CASES: [x: number, b: number, want: number][] = [
    [2e150, 1e308, 5.001000099999999e153],
    [-2e150, 1e308, 4.999000099999999e153],
    [2e150, 1e300, 2.118033988749895e150],
    [-2e150, 1e300, 1.1803398874989485e149],
  ];
  test('moderate x with a large b is right', () => {
    ulpWithin(fn('squareplus', { b: 1e300 })(1e149), 5.524937810560445e149, 2, 'squareplus(1e149, b=1e300)');
  });
  // For |x| > 1e150 x^2 overflows; b may be any finite double >= 0, so b / x^2 need not be small.
  test.each(CASES)('squareplus(%s, b=%s) = %s', (x, b, want) => {
    ulpWithin(fn('squareplus', { b })(x), want, 2, `squareplus(${x}, b=${b})`);
  });
});

describe('signed zero', () => {
  test('tanh(-0) = -0, elu(-0) = -0, relu(-0) = +0', () => {
    same(fn('tanh')(-0), -0);
    same(fn('elu')(-0), -0);
    same(fn('relu')(-0), 0);
  });
  test('the odd, sign-keeping ones keep -0', () => {
    for (const name of ['linear', 'tanh', 'elu', 'selu', 'celu', 'softsign', 'hard_tanh']) same(fn(name)(-0), -0, name);
    for (const name of ['linear', 'tanh', 'elu', 'selu', 'celu', 'softsign', 'hard_tanh', 'relu', 'silu', 'gelu']) same(fn(name)(0), 0, name);
  });
  test('leaky_relu(±0) and prelu(±0) are zero (sign not specified by the issue)', () => {
    equalish(fn('leaky_relu')(-0), 0);
    equalish(fn('prelu', { alpha: 0.5 })(-0), 0);
    same(fn('leaky_relu')(0), 0);
  });
  test('functions of value 1/2 or 1 at zero are exact there', () => {
    same(fn('sigmoid')(-0), 0.5);
    same(fn('sigmoid')(0), 0.5);
    same(fn('exponential')(-0), 1);
    same(fn('softplus')(0), Math.LN2);
    same(fn('log_sigmoid')(0), -Math.LN2);
  });
});

// ---------------------------------------------------------------- PyTorch's failures, and other tails
// Reference values: mpmath, mp.dps = 120 (1 + tanh(z) in the gelu tanh form cancels ~38 digits at
// x = -10, so 50 digits are not enough there), rounded to double, e.g.
//   python3 -c 'from mpmath import *; mp.dps=120; x=mpf(-10); print(repr(float(x*erfc(-x/sqrt(2))/2)))'
const TAILS: [label: string, name: string, params: Record<string, unknown> | undefined, x: number, want: number][] = [
  ['elu(-1e-17)', 'elu', undefined, -1e-17, -1e-17],
  ['celu(-1e-17)', 'celu', undefined, -1e-17, -1e-17],
  ['selu(-1e-17)', 'selu', undefined, -1e-17, -1.7580993408473768e-17],
  ['gelu(-10)', 'gelu', undefined, -10, -7.619853024160526e-23],
  ['gelu(-38), subnormal', 'gelu', undefined, -38, -1.096462777e-314],
  ['gelu approximate(-10)', 'gelu', { approximate: true }, -10, -1.204092348209806e-37],
  ['tanh_shrink(1e-8)', 'tanh_shrink', undefined, 1e-8, 3.333333333333333e-25],
  ['softplus(30)', 'softplus', undefined, 30, 30.000000000000092],
  ['softplus(-40)', 'softplus', undefined, -40, 4.248354255291589e-18],
  ['log_sigmoid(40)', 'log_sigmoid', undefined, 40, -4.248354255291589e-18],
  ['sigmoid(-745)', 'sigmoid', undefined, -745, 5e-324],
  ['silu(-700)', 'silu', undefined, -700, -6.90177358063184e-302],
  ['silu(-745), subnormal', 'silu', undefined, -745, -2.105e-321],
];

describe("PyTorch's float64 failures from issue 2 (and other tails) are right here", () => {
  test.each(TAILS)('%s', (label, name, params, x, want) => {
    const y = fn(name, params)(x);
    expect(y).not.toBe(0);
    expect(Math.sign(y)).toBe(Math.sign(want));
    // relative error within a few units of 2^-53 (for subnormals: within 1 ulp of the subnormal grid)
    ulpWithin(y, want, 2, label);
    expect(Math.abs(y - want) / Math.abs(want)).toBeLessThan(Math.abs(want) < 2.3e-308 ? 1e-6 : 5e-16);
  });

  test('elu and celu at -1e-17 are not 0 (PyTorch returns 0)', () => {
    expect(fn('elu')(-1e-17)).toBeLessThan(0);
    expect(fn('celu')(-1e-17)).toBeLessThan(0);
    expect(fn('celu', { alpha: 2 })(-1e-17)).toBeCloseTo(-1e-17, 30);
  });
});

describe('scalar functions exported from elementwise.ts', () => {
  test('clip lets NaN through', () => {
    same(ew.clip(NaN, 0, 1), NaN);
    same(ew.clip(-1, 0, 1), 0);
    same(ew.clip(2, 0, 1), 1);
  });
  test('sigmoidTimes(a, b) is a * sigmoid(b), also deep in the tail', () => {
    same(ew.sigmoidTimes(2, 0), 1);
    same(ew.sigmoidTimes(0, 5), 0);
    ulpWithin(ew.sigmoidTimes(3, -745), 1.5e-323, 1);
    equalish(ew.sigmoidTimes(3, -Infinity), 0);
  });
});
