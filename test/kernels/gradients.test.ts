import { describe, expect, test } from 'vitest';
import { catalogue, evaluate, lookup } from '../../src/index.js';
import { rng } from '../support.js';

// The derivative kernels' contract beyond the mpmath reference: the values at kinks and edges
// (TensorFlow's registered gradients for the Keras definition, see src/kernels/gradients.ts),
// agreement with central differences of the activation kernels themselves, and the VJPs against
// finite differences of the axis-wise activations.

const d = (name: string, x: number, params = {}): number => (evaluate(name, [x], params, { grad: true }) as number[])[0]!;

describe('kinks and edges take TensorFlow\'s gradient values', () => {
  const cases: [string, Record<string, unknown>, number, number][] = [
    ['relu', {}, 0, 0], // ReluGrad: x > 0
    ['relu', { alpha: 0.1 }, 0, 0.1], // nn.leaky_relu: LeakyReluGrad selects x > 0
    ['relu', { max_value: 6 }, 6, 0], // nn.relu6: Relu6Grad 0 < x < 6
    ['relu', { max_value: 6 }, 0, 0],
    ['relu', { max_value: 2 }, 2, 1], // relu then clip_by_value: minimum passes the tie
    ['relu', { threshold: 1 }, 1, 0], // x * cast(x > 1)
    ['relu', { threshold: -1, max_value: 2 }, 0, 1], // maximum(x, 0) passes the tie at 0
    ['relu', { threshold: -1, max_value: 2 }, -0.5, 0], // clipped to 0
    ['relu', { alpha: 0.1, max_value: 6, threshold: 0.5 }, 0.5, 0], // the leak relu(0.5 - x) is 0 at the tie
    ['relu', { alpha: 0.1, max_value: 6, threshold: 0.5 }, 0.4, 0.1],
    ['leaky_relu', { alpha: 0.3 }, 0, 0.3],
    ['prelu', { alpha: 0.25 }, 0, 0], // relu(x) - alpha * relu(-x)
    ['elu', { alpha: 2 }, 0, 2], // where(x > 0, elu, 2 * elu), EluGrad 1 at 0
    ['selu', {}, 0, 1.0507009873554805], // SeluGrad: activation < 0 is false at 0
    ['hard_sigmoid', {}, -2.5, 0.2], // clip_by_value passes ties
    ['hard_sigmoid', {}, 2.5, 0.2],
    ['hard_tanh', {}, 1, 1],
    ['hard_tanh', {}, -1, 1],
    ['relu6', {}, 6, 0],
    ['hard_silu', {}, -3, 0],
    ['hard_silu', {}, 3, 1],
    ['thresholded_relu', { theta: 1 }, 1, 0],
    ['soft_shrink', { threshold: 0.5 }, 0.5, 0],
    ['hard_shrink', { threshold: 0.5 }, -0.5, 0],
    ['threshold', { threshold: 0.5, default_value: -1 }, 0.5, 0],
    ['sparse_sigmoid', {}, 1, 0],
    ['sparse_plus', {}, 1, 1], // C1: both sides agree
    ['celu', { alpha: 0.5 }, 0, 1], // smooth at 0
    ['squareplus', { b: 0 }, 0, NaN], // sqrt's gradient at 0: 0 * (0.5 / 0)
  ];
  for (const [name, params, x, want] of cases) {
    test(`${name} ${JSON.stringify(params)} at ${x}: ${want}`, () => expect(d(name, x, params)).toBe(want));
  }
  test('describe text names the PyTorch values where they differ', () => {
    expect(lookup('hard_silu').derivative.pytorch).toMatch(/-0\.5.*1\.5/);
    expect(lookup('prelu').derivative.pytorch).toMatch(/alpha/);
    expect(lookup('hard_tanh').derivative.pytorch).toMatch(/0/);
  });
});

const KINKS = [0, 6, 2.5, -2.5, 3, -3, 1, -1, 0.5, -0.5];

describe('derivatives agree with central differences of the activation kernels', () => {
  const settings: [string, Record<string, unknown>][] = [];
  for (const s of catalogue()) {
    if (s.family !== 'elementwise') continue;
    const required = Object.fromEntries(s.params.filter((p) => p.default === undefined).map((p) => [p.name, p.kind === 'numbers' ? 0.25 : 0.5]));
    settings.push([s.name, required]);
  }
  settings.push(['gelu', { approximate: true }], ['elu', { alpha: 2 }], ['celu', { alpha: 0.5 }], ['relu', { alpha: 0.1, max_value: 6, threshold: 0.5 }]);
  for (const [name, params] of settings) {
    test(`${name} ${JSON.stringify(params)}`, () => {
      const next = rng(name.length * 7919 + JSON.stringify(params).length);
      const h = 1e-6;
      for (let i = 0; i < 300; i++) {
        const x = (next() - 0.5) * 16;
        if (KINKS.some((k) => Math.abs(x - k) < 1e-3)) continue;
        const [lo, hi] = evaluate(name, [x - h, x + h], params) as number[];
        const fd = (hi! - lo!) / (2 * h);
        const g = d(name, x, params);
        expect(Math.abs(g - fd), `${name}'(${x}) = ${g}, central difference ${fd}`).toBeLessThan(1e-6 * Math.max(1, Math.abs(g)));
      }
    });
  }
});

describe('vector-Jacobian products agree with finite differences', () => {
  for (const name of ['softmax', 'log_softmax', 'softmin', 'glu', 'sparsemax']) {
    test(name, () => {
      const next = rng(name.length);
      for (let trial = 0; trial < 40; trial++) {
        const n = 2 * (1 + Math.floor(next() * 4));
        const x = Array.from({ length: n }, () => (next() - 0.5) * 6);
        const m = name === 'glu' ? n / 2 : n;
        const v = Array.from({ length: m }, () => next() - 0.5);
        const g = (evaluate(name, [x], {}, { grad: true, cotangent: [v] }) as number[][])[0]!;
        const h = 1e-6;
        for (let i = 0; i < n; i++) {
          const up = x.slice();
          const dn = x.slice();
          up[i]! += h;
          dn[i]! -= h;
          const yu = (evaluate(name, [up]) as number[][])[0]!;
          const yd = (evaluate(name, [dn]) as number[][])[0]!;
          const fd = v.reduce((s, vk, k) => s + (vk * (yu[k]! - yd[k]!)) / (2 * h), 0);
          expect(Math.abs(g[i]! - fd), `${name} x=${x} v=${v} [${i}]`).toBeLessThan(1e-6);
        }
      }
    });
  }
});

test('every activation binds a derivative of the right kind, with its parameters checked', () => {
  for (const s of catalogue()) {
    const required = Object.fromEntries(s.params.filter((p) => p.default === undefined).map((p) => [p.name, 0.5]));
    const k = s.bindGrad(required);
    expect(k.kind, s.name).toBe(s.family === 'axiswise' ? 'vjp' : 'elementwise');
  }
  expect(() => lookup('celu').bindGrad({ alpha: 'x' })).toThrow(/alpha must be a finite number/);
  const prelu = lookup('prelu').bindGrad({ alpha: [0.1, 0.2] });
  expect(prelu.kind === 'elementwise' && prelu.width).toBe(2);
  expect(evaluate('prelu', [[-1, -1], [0, 2]], { alpha: [0.1, 0.2] }, { grad: true })).toEqual([[0.1, 0.2], [0, 1]]);
});

test('the library says what an axis-wise derivative needs, and refuses a cotangent for an element-wise one', () => {
  expect(() => evaluate('softmax', [[1, 2]], {}, { grad: true })).toThrow(/needs --cotangent/);
  expect(() => evaluate('relu', [1], {}, { grad: true, cotangent: [1] })).toThrow(/element-wise/);
  expect(() => evaluate('softmax', [[1, 2]], {}, { grad: true, cotangent: [[1, 2, 3]] })).toThrow(/cotangent has shape \[1, 3\] but the output has \[1, 2\]/);
});
