import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { activations, findActivation } from '../../src/kernels/names.js';
import { catalogue, lookup, nearestNames } from '../../src/kernels/registry.js';
import type { ParamSpec } from '../../src/kernels/spec.js';
import { thrown } from '../support.js';

type Expect = { family: 'elementwise' | 'axiswise'; params: Record<string, number | boolean | null | 'required'> };

const AX = { axis: -1 } as const;

/** Every activation named in issue 2, with its family, parameters and defaults. */
const EXPECTED: Record<string, Expect> = {
  softmax: { family: 'axiswise', params: AX },
  elu: { family: 'elementwise', params: { alpha: 1 } },
  selu: { family: 'elementwise', params: {} },
  softplus: { family: 'elementwise', params: {} },
  softsign: { family: 'elementwise', params: {} },
  tanh: { family: 'elementwise', params: {} },
  sigmoid: { family: 'elementwise', params: {} },
  exponential: { family: 'elementwise', params: {} },
  linear: { family: 'elementwise', params: {} },
  hard_sigmoid: { family: 'elementwise', params: {} },
  relu: { family: 'elementwise', params: { alpha: 0, max_value: null, threshold: 0 } },
  leaky_relu: { family: 'elementwise', params: { alpha: 0.3 } },
  prelu: { family: 'elementwise', params: { alpha: 'required' } },
  thresholded_relu: { family: 'elementwise', params: { theta: 1 } },
  relu6: { family: 'elementwise', params: {} },
  silu: { family: 'elementwise', params: {} },
  gelu: { family: 'elementwise', params: { approximate: false } },
  celu: { family: 'elementwise', params: { alpha: 1 } },
  hard_silu: { family: 'elementwise', params: {} },
  hard_tanh: { family: 'elementwise', params: {} },
  mish: { family: 'elementwise', params: {} },
  log_sigmoid: { family: 'elementwise', params: {} },
  log_softmax: { family: 'axiswise', params: AX },
  softmin: { family: 'axiswise', params: AX },
  soft_shrink: { family: 'elementwise', params: { threshold: 0.5 } },
  hard_shrink: { family: 'elementwise', params: { threshold: 0.5 } },
  tanh_shrink: { family: 'elementwise', params: {} },
  squareplus: { family: 'elementwise', params: { b: 4 } },
  sparse_plus: { family: 'elementwise', params: {} },
  sparse_sigmoid: { family: 'elementwise', params: {} },
  threshold: { family: 'elementwise', params: { threshold: 'required', default_value: 'required' } },
  glu: { family: 'axiswise', params: AX },
  sparsemax: { family: 'axiswise', params: AX },
};

function paramsOf(params: readonly ParamSpec[]): Record<string, number | boolean | null | 'required'> {
  const out: Record<string, number | boolean | null | 'required'> = {};
  for (const p of params) out[p.name] = p.default === undefined ? 'required' : p.default;
  return out;
}


describe('catalogue', () => {
  test('holds exactly the activations of issue 2, each once', () => {
    const names = catalogue().map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  test.each(Object.entries(EXPECTED))('%s: family, parameters, defaults, required-ness', (name, want) => {
    const spec = lookup(name);
    expect(spec.name).toBe(name);
    expect(spec.family).toBe(want.family);
    expect(paramsOf(spec.params)).toEqual(want.params);
    // parameter order: the declared names, in the order
    expect(spec.params.map((p) => p.name)).toEqual(Object.keys(want.params));
    expect(spec.formula.length).toBeGreaterThan(0);
    expect(spec.formula).not.toMatch(/\n/);
    expect(spec.origin.length).toBeGreaterThan(0);
  });

  test('family matches the kind of kernel bind() returns', () => {
    for (const spec of catalogue()) {
      const given: Record<string, unknown> = {};
      for (const p of spec.params) if (p.default === undefined) given[p.name] = 0.5;
      expect(spec.bind(given).kind, spec.name).toBe(spec.family);
    }
  });

  test('names are snake_case', () => {
    for (const spec of catalogue()) expect(spec.name).toMatch(/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/);
  });

  test('relu accepts negative_slope as an alias of alpha; leaky_relu too', () => {
    const alpha = lookup('relu').params.find((p) => p.name === 'alpha');
    expect(alpha?.aliases).toContain('negative_slope');
    expect(lookup('leaky_relu').params[0].aliases).toContain('negative_slope');
  });

  test('the Keras ReLU checks are declared as bounds: alpha >= 0, max_value >= 0; squareplus b >= 0', () => {
    const relu = lookup('relu').params;
    expect(relu.find((p) => p.name === 'alpha')?.min).toBe(0);
    expect(relu.find((p) => p.name === 'max_value')?.min).toBe(0);
    expect(lookup('squareplus').params[0].min).toBe(0);
  });

  test('threshold: both parameters are required, binding without them throws', () => {
    expect(() => lookup('threshold').bind({})).toThrow(ActivError);
    expect(() => lookup('threshold').bind({ threshold: 0 })).toThrow(/default_value/);
    expect(() => lookup('threshold').bind({ default_value: 0 })).toThrow(/threshold/);
    expect(() => lookup('prelu').bind()).toThrow(/alpha/);
  });
});

describe('lookup: aliases and spellings', () => {
  const SPELLINGS: [string, string][] = [
    ['swish', 'silu'],
    ['hard_swish', 'hard_silu'],
    ['hardswish', 'hard_silu'],
    ['logsigmoid', 'log_sigmoid'],
    ['hardtanh', 'hard_tanh'],
    ['softshrink', 'soft_shrink'],
    ['hardshrink', 'hard_shrink'],
    ['tanhshrink', 'tanh_shrink'],
    ['LeakyReLU', 'leaky_relu'],
    ['PReLU', 'prelu'],
    ['ELU', 'elu'],
    ['ThresholdedReLU', 'thresholded_relu'],
    ['ReLU', 'relu'],
    ['Softmax', 'softmax'],
    ['hardSigmoid', 'hard_sigmoid'],
    ['logSoftmax', 'log_softmax'],
    ['log-softmax', 'log_softmax'],
    ['LogSoftmax', 'log_softmax'],
    ['hard-sigmoid', 'hard_sigmoid'],
    ['leaky-relu', 'leaky_relu'],
    ['sparse-plus', 'sparse_plus'],
    ['sparseSigmoid', 'sparse_sigmoid'],
    ['thresholdedRelu', 'thresholded_relu'],
    ['relu6', 'relu6'],
    ['GELU', 'gelu'],
  ];
  test.each(SPELLINGS)('%s -> %s', (spelling, name) => {
    expect(lookup(spelling).name).toBe(name);
  });

  test('the canonical name resolves to the same spec object as its aliases', () => {
    expect(lookup('swish')).toBe(lookup('silu'));
    expect(lookup('LeakyReLU')).toBe(lookup('leaky_relu'));
  });
});

describe('lookup: refusals', () => {
  test.each(['hardsigmoid', 'Hardsigmoid'])("'%s' is refused with PyTorch's different definition explained", (name) => {
    const e = thrown(() => lookup(name));
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(/PyTorch/);
    expect(e.message).toMatch(/hard_sigmoid/);
    expect(e.message).toMatch(/relu6\(x \+ 3\) \/ 6|x\/6|x \/ 6/);
  });

  test("'sigmod' suggests sigmoid", () => {
    const e = thrown(() => lookup('sigmod'));
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(/unknown activation 'sigmod'/);
    expect(e.message).toMatch(/\bsigmoid\b/);
    expect(nearestNames('sigmod')[0]).toBe('sigmoid');
  });

  test("'relu7' suggests relu6 and relu", () => {
    const e = thrown(() => lookup('relu7'));
    expect(e.kind).toBe('usage');
    expect(e.message).toMatch(/\brelu6\b/);
    expect(e.message).toMatch(/\brelu\b/);
    const near = nearestNames('relu7');
    expect(near).toContain('relu6');
    expect(near).toContain('relu');
    expect(near.length).toBeLessThanOrEqual(3);
  });

  test("'softmx' suggests softmax first", () => {
    expect(nearestNames('softmx')[0]).toBe('softmax');
    expect(thrown(() => lookup('softmx')).message).toMatch(/softmax/);
  });

  test('a name far from everything throws usage with no bogus suggestion', () => {
    const e = thrown(() => lookup('zzzzzzzzzzzzzzzz'));
    expect(e.kind).toBe('usage');
    expect(nearestNames('zzzzzzzzzzzzzzzz')).toEqual([]);
  });

  test.each(['', 'relu6x2', 'hard_sigmoid3', 'softmaxx'])('unknown %j throws ActivError usage', (name) => {
    expect(thrown(() => lookup(name)).kind).toBe('usage');
  });
});

describe('names.ts (the quick path) and registry.ts find the same activation', () => {
  test.each(['sigmoid', 'LeakyReLU', 'swish', 'logSoftmax', 'hard-tanh', 'GELU', 'prelu', 'sparsemax'])('%s', (spelling) => {
    const value = findActivation(spelling);
    const full = lookup(spelling);
    expect(full.name).toBe(value.name);
    expect(full.params).toBe(value.params);
    expect(full.bind).toBe(value.bind);
    expect(typeof full.derivative.formula).toBe('string');
    expect('derivative' in value).toBe(false);
  });

  test('refusals are the same', () => {
    for (const name of ['hardsigmoid', 'sigmod', 'zzzzzz']) expect(thrown(() => findActivation(name))).toEqual(thrown(() => lookup(name)));
  });

  test('the catalogue lists every activation once, in the same order, each with its derivative', () => {
    expect(catalogue().map((s) => s.name)).toEqual(activations().map((s) => s.name));
    for (const s of catalogue()) {
      const required = Object.fromEntries(s.params.filter((p) => p.default === undefined).map((p) => [p.name, 0.5]));
      expect(s.bindGrad(required).kind).toBe(s.family === 'axiswise' ? 'vjp' : 'elementwise');
    }
  });
});
