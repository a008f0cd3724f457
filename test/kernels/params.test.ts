import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { bindParams, canonicalParamName, describeParams } from '../../src/kernels/params.js';
import { lookup } from '../../src/kernels/registry.js';
import type { ElementwiseKernel, Kernel } from '../../src/kernels/spec.js';

function usageError(f: () => unknown): ActivError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ActivError);
    expect((e as ActivError).kind).toBe('usage');
    return e as ActivError;
  }
  throw new Error('expected an ActivError, nothing was thrown');
}

const bind = (name: string, params?: Record<string, unknown>): Kernel => lookup(name).bind(params);

/** Apply a bound element-wise kernel to values. */
function run(k: Kernel, xs: number[]): number[] {
  if (k.kind !== 'elementwise') throw new Error('not element-wise');
  const src = Float64Array.from(xs);
  const dst = new Float64Array(xs.length);
  (k as ElementwiseKernel).map(src, dst, 0, xs.length);
  return Array.from(dst);
}

describe('unknown and missing parameters', () => {
  test("unknown parameter names the activation's parameters", () => {
    const e = usageError(() => bind('relu', { slope: 0.1 }));
    expect(e.message).toMatch(/unknown parameter 'slope'/);
    expect(e.message).toMatch(/alpha/);
    expect(e.message).toMatch(/max_value/);
    expect(e.message).toMatch(/threshold/);
  });

  test('unknown parameter on an activation without parameters says so', () => {
    const e = usageError(() => bind('sigmoid', { alpha: 1 }));
    expect(e.message).toMatch(/sigmoid/);
    expect(e.message).toMatch(/no parameters/);
  });

  test('missing required parameters', () => {
    expect(usageError(() => bind('threshold', { threshold: 1 })).message).toMatch(/missing required parameter 'default_value'/);
    expect(usageError(() => bind('threshold', { default_value: 1 })).message).toMatch(/missing required parameter 'threshold'/);
    expect(usageError(() => bind('prelu')).message).toMatch(/missing required parameter 'alpha'/);
    expect(usageError(() => bind('prelu', {})).message).toMatch(/alpha/);
  });

  test('undefined values count as not given', () => {
    expect(run(bind('leaky_relu', { alpha: undefined }), [-1])).toEqual([-0.3]);
    usageError(() => bind('prelu', { alpha: undefined }));
  });

  test('describeParams lists names', () => {
    expect(describeParams(lookup('relu').params)).toBe('alpha, max_value, threshold');
    expect(describeParams([])).toBe('no parameters');
  });
});

describe('values refused', () => {
  test.each(['abc', 'NaN', 'nan', 'Infinity', '-inf', '', '   ', '1,5', '0x10', '1e'])('relu alpha=%j refused', (v) => {
    const e = usageError(() => bind('relu', { alpha: v }));
    expect(e.message).toMatch(/alpha/);
    expect(e.message).toMatch(/finite number/);
  });

  test.each([NaN, Infinity, -Infinity])('numeric %s refused', (v) => {
    usageError(() => bind('elu', { alpha: v }));
    usageError(() => bind('threshold', { threshold: v, default_value: 0 }));
    usageError(() => bind('threshold', { threshold: 0, default_value: v }));
    usageError(() => bind('prelu', { alpha: v }));
    usageError(() => bind('prelu', { alpha: [0.1, v] }));
  });

  test.each([true, {}, [], [1, 2], () => 1])('non-number values refused for a scalar parameter: %j', (v) => {
    usageError(() => bind('elu', { alpha: v }));
  });

  test('relu alpha < 0 and max_value < 0 refused (the Keras ReLU layer checks)', () => {
    expect(usageError(() => bind('relu', { alpha: -0.1 })).message).toMatch(/alpha must be >= 0/);
    expect(usageError(() => bind('relu', { max_value: -1 })).message).toMatch(/max_value must be >= 0/);
    expect(usageError(() => bind('relu', { max_value: '-1e-300' })).message).toMatch(/max_value/);
    expect(usageError(() => bind('leaky_relu', { alpha: -1 })).message).toMatch(/alpha/);
  });

  test('bounds are inclusive: 0 accepted', () => {
    expect(run(bind('relu', { alpha: 0, max_value: 0 }), [-1, 0.5, 3])).toEqual([0, 0, 0]);
    expect(run(bind('squareplus', { b: 0 }), [-2, 3])).toEqual([0, 3]);
  });

  test('squareplus b < 0 refused', () => {
    expect(usageError(() => bind('squareplus', { b: -1 })).message).toMatch(/\bb must be >= 0/);
    usageError(() => bind('squareplus', { b: '-0.5' }));
  });

  test('celu alpha 0 refused, other values accepted', () => {
    expect(usageError(() => bind('celu', { alpha: 0 })).message).toMatch(/alpha/);
    usageError(() => bind('celu', { alpha: '0' }));
    usageError(() => bind('celu', { alpha: -0 }));
    expect(run(bind('celu', { alpha: 2 }), [2])).toEqual([2]);
  });

  test('thresholded_relu theta < 0 and shrink thresholds < 0 refused', () => {
    usageError(() => bind('thresholded_relu', { theta: -1 }));
    usageError(() => bind('soft_shrink', { threshold: -0.5 }));
    usageError(() => bind('hard_shrink', { threshold: -0.5 }));
  });

  test('none only where the default is none', () => {
    expect(usageError(() => bind('elu', { alpha: 'none' })).message).toMatch(/cannot be none/);
    usageError(() => bind('elu', { alpha: null }));
    usageError(() => bind('prelu', { alpha: null }));
  });

  test('gelu approximate must be a boolean', () => {
    usageError(() => bind('gelu', { approximate: 'tanh' }));
    usageError(() => bind('gelu', { approximate: 2 }));
    usageError(() => bind('gelu', { approximate: 'yes' }));
  });

  test('axis must be an integer', () => {
    expect(usageError(() => bind('softmax', { axis: 0.5 })).message).toMatch(/integer/);
    expect(usageError(() => bind('softmax', { axis: '1.5' })).message).toMatch(/integer/);
    usageError(() => bind('softmax', { axis: 'last' }));
    usageError(() => bind('glu', { axis: NaN }));
    usageError(() => bind('log_softmax', { axis: Infinity }));
    expect(bind('softmax', { axis: '-2' })).toMatchObject({ kind: 'axiswise', axis: -2 });
    expect(bind('softmax', { axis: 3 })).toMatchObject({ kind: 'axiswise', axis: 3 });
    expect(bind('softmax')).toMatchObject({ axis: -1 });
  });

  test('prelu alpha list must not be empty or hold a bad value', () => {
    usageError(() => bind('prelu', { alpha: [] }));
    usageError(() => bind('prelu', { alpha: new Float64Array(0) }));
    usageError(() => bind('prelu', { alpha: '0.1,,0.3' }));
    usageError(() => bind('prelu', { alpha: '0.1,abc' }));
  });
});

describe('aliases of parameters', () => {
  test('negative_slope is accepted as alpha for relu and leaky_relu', () => {
    expect(run(bind('relu', { negative_slope: 0.5 }), [-2, 3])).toEqual([-1, 3]);
    expect(run(bind('leaky_relu', { negative_slope: 0.5 }), [-2, 3])).toEqual([-1, 3]);
    expect(run(bind('relu', { negativeSlope: '0.25' }), [-4])).toEqual([-1]);
  });

  test('alpha and negative_slope together are refused', () => {
    expect(usageError(() => bind('relu', { alpha: 0.1, negative_slope: 0.1 })).message).toMatch(/given twice/);
    usageError(() => bind('leaky_relu', { negative_slope: 0.1, alpha: 0.2 }));
    usageError(() => bind('relu', { max_value: 1, maxValue: 1 }));
  });

  test.each(['max_value', 'maxValue', 'max-value', 'MaxValue'])('%s names max_value', (key) => {
    expect(run(bind('relu', { [key]: 6 }), [10, -1, 3])).toEqual([6, 0, 3]);
  });

  test('defaultValue / default-value name default_value', () => {
    expect(run(bind('threshold', { threshold: 1, defaultValue: 7 }), [0, 2])).toEqual([7, 2]);
    expect(run(bind('threshold', { threshold: 1, 'default-value': 7 }), [0, 2])).toEqual([7, 2]);
  });

  test('canonicalParamName', () => {
    expect(canonicalParamName('maxValue')).toBe('max_value');
    expect(canonicalParamName('max-value')).toBe('max_value');
    expect(canonicalParamName('max_value')).toBe('max_value');
    expect(canonicalParamName('negativeSlope')).toBe('negative_slope');
  });
});

describe('string values accepted', () => {
  test("'0.1' is 0.1", () => {
    expect(run(bind('leaky_relu', { alpha: '0.1' }), [-1])).toEqual([-0.1]);
    expect(run(bind('leaky_relu', { alpha: ' 0.1 ' }), [-1])).toEqual([-0.1]);
    expect(run(bind('elu', { alpha: '2e0' }), [1e300])).toEqual([1e300]);
  });

  test("'none' (and null) for relu max_value means no clip", () => {
    expect(run(bind('relu', { max_value: 'none' }), [1e300])).toEqual([1e300]);
    expect(run(bind('relu', { max_value: 'None' }), [1e300])).toEqual([1e300]);
    expect(run(bind('relu', { max_value: null }), [1e300])).toEqual([1e300]);
    expect(run(bind('relu', { max_value: '6' }), [1e300])).toEqual([6]);
  });

  test("'true'/'false' for gelu approximate pick different functions", () => {
    const exact = run(bind('gelu', { approximate: 'false' }), [1]);
    const approx = run(bind('gelu', { approximate: 'true' }), [1]);
    expect(run(bind('gelu'), [1])).toEqual(exact);
    expect(run(bind('gelu', { approximate: false }), [1])).toEqual(exact);
    expect(run(bind('gelu', { approximate: true }), [1])).toEqual(approx);
    expect(run(bind('gelu', { approximate: 'True' }), [1])).toEqual(approx);
    expect(exact[0]).not.toBe(approx[0]);
    // 0.5 (1 + erf(1/sqrt 2)) = 0.8413447460685429 (mpmath); tanh form 0.8411919906082767 (mpmath)
    expect(exact[0]).toBeCloseTo(0.8413447460685429, 15);
    expect(approx[0]).toBeCloseTo(0.8411919906082767, 15);
  });

  test("'0.1,0.2,0.3' for prelu alpha: one slope per column", () => {
    const k = bind('prelu', { alpha: '0.1,0.2,0.3' }) as ElementwiseKernel;
    expect(k.width).toBe(3);
    expect(run(k, [-1, -1, -1, -10, 5, -10])).toEqual([-0.1, -0.2, -0.3, -1, 5, -3]);
    const k2 = bind('prelu', { alpha: '[0.1, 0.2, 0.3]' }) as ElementwiseKernel;
    expect(run(k2, [-1, -1, -1])).toEqual([-0.1, -0.2, -0.3]);
    const k3 = bind('prelu', { alpha: [0.1, 0.2, 0.3] }) as ElementwiseKernel;
    expect(run(k3, [-1, -1, -1])).toEqual([-0.1, -0.2, -0.3]);
  });

  test('prelu scalar alpha: no width, every column the same', () => {
    const k = bind('prelu', { alpha: '0.25' }) as ElementwiseKernel;
    expect(k.width).toBeUndefined();
    expect(run(k, [-4, 4, -8])).toEqual([-1, 4, -2]);
    expect((bind('prelu', { alpha: [0.25] }) as ElementwiseKernel).width).toBeUndefined();
  });
});

describe('bind() checks before any data is touched', () => {
  test('errors come from bind, with no data in sight', () => {
    const spec = lookup('relu');
    // bind is the only thing called: no tensor, no kernel use
    expect(() => spec.bind({ max_value: -1 })).toThrow(ActivError);
    expect(() => lookup('squareplus').bind({ b: -1 })).toThrow(ActivError);
    expect(() => lookup('celu').bind({ alpha: 0 })).toThrow(ActivError);
  });

  test('bindParams fills defaults and returns canonical names', () => {
    const p = bindParams('relu', lookup('relu').params, { negativeSlope: '0.5' });
    expect(p).toEqual({ alpha: 0.5, max_value: null, threshold: 0 });
    expect(bindParams('relu', lookup('relu').params)).toEqual({ alpha: 0, max_value: null, threshold: 0 });
  });

  test('bindParams does not mutate the given object', () => {
    const given = Object.freeze({ maxValue: '6' });
    bindParams('relu', lookup('relu').params, given);
    expect(given).toEqual({ maxValue: '6' });
  });
});
