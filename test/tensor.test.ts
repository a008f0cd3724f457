import { describe, expect, test } from 'vitest';
import { ActivError } from '../src/errors.js';
import { lookup } from '../src/kernels/registry.js';
import type { AxisKernel, Kernel } from '../src/kernels/spec.js';
import { applyKernel, resolveAxis, sizeOf, type Tensor } from '../src/tensor.js';
import { rng, thrown } from './support.js';


function randomTensor(shape: number[], seed: number): Tensor {
  const rand = rng(seed);
  return { data: Float64Array.from({ length: sizeOf(shape) }, () => (rand() - 0.5) * 10), shape };
}

function strides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

/** All multi-indices of a shape, row-major. */
function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.some((d) => d === 0)) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    yield idx.slice();
    let k = shape.length - 1;
    while (k >= 0 && ++idx[k] === shape[k]) idx[k--] = 0;
    if (k < 0) return;
  }
}

/** Naive: for every position of the other axes, gather the vector, run it with stride 1, scatter. */
function naive(kernel: AxisKernel, t: Tensor, axis: number): Tensor {
  const a = axis < 0 ? axis + t.shape.length : axis;
  const n = t.shape[a];
  const m = kernel.outLength(n);
  const outShape = t.shape.slice();
  outShape[a] = m;
  const out = new Float64Array(sizeOf(outShape));
  const si = strides(t.shape);
  const so = strides(outShape);
  const rest = t.shape.slice();
  rest[a] = 1;
  for (const idx of indices(rest)) {
    const v = new Float64Array(n);
    for (let k = 0; k < n; k++) v[k] = t.data[idx.reduce((acc, x, d) => acc + (d === a ? k : x) * si[d], 0)];
    const r = new Float64Array(m);
    kernel.vector(v, 0, 1, r, 0, 1, n);
    for (let k = 0; k < m; k++) out[idx.reduce((acc, x, d) => acc + (d === a ? k : x) * so[d], 0)] = r[k];
  }
  return { data: out, shape: outShape };
}

function axisKernel(name: string, axis: number): AxisKernel {
  const k = lookup(name).bind({ axis });
  if (k.kind !== 'axiswise') throw new Error(name);
  return k;
}


const SHAPES = [[5], [3, 4], [2, 3, 4], [2, 3, 2, 5], [1, 4], [4, 1], [2, 1, 3]];

describe('applyKernel over every rank and axis matches a naive gather/scatter', () => {
  for (const name of ['softmax', 'log_softmax', 'softmin', 'sparsemax']) {
    test(name, () => {
      let checked = 0;
      SHAPES.forEach((shape, si) => {
        const rank = shape.length;
        if (name === 'softmax' && rank === 1) return; // Keras refuses 1-D softmax; tested below
        const t = randomTensor(shape, 100 + si);
        const before = Array.from(t.data);
        for (let axis = -rank; axis < rank; axis++) {
          const k = axisKernel(name, axis);
          const got = applyKernel(k, t, name);
          const want = naive(k, t, axis);
          expect(got.shape, `${name} shape ${shape} axis ${axis}`).toEqual(want.shape);
          expect(Array.from(got.data), `${name} shape ${shape} axis ${axis}`).toEqual(Array.from(want.data));
          // positive and negative spellings of one axis agree
          const other = axis < 0 ? axis + rank : axis - rank;
          expect(Array.from(applyKernel(axisKernel(name, other), t, name).data)).toEqual(Array.from(got.data));
          checked++;
        }
        expect(Array.from(t.data), 'input untouched').toEqual(before);
      });
      expect(checked).toBeGreaterThan(15);
    });
  }

  test('glu over every rank and even axis halves that axis', () => {
    const shapes = [[6], [4, 2], [2, 4, 6], [2, 2, 4, 2]];
    shapes.forEach((shape, si) => {
      const t = randomTensor(shape, 7 + si);
      for (let axis = -shape.length; axis < shape.length; axis++) {
        const k = axisKernel('glu', axis);
        const got = applyKernel(k, t, 'glu');
        const a = axis < 0 ? axis + shape.length : axis;
        const wantShape = shape.slice();
        wantShape[a] = shape[a] / 2;
        expect(got.shape).toEqual(wantShape);
        expect(got.data.length).toBe(sizeOf(wantShape));
        expect(Array.from(got.data)).toEqual(Array.from(naive(k, t, axis).data));
      }
    });
  });

  test('softmax along axis 0 of a 2x2: columns sum to 1', () => {
    const got = applyKernel(axisKernel('softmax', 0), { data: Float64Array.from([0, 5, 0, 5]), shape: [2, 2] }, 'softmax');
    expect(Array.from(got.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
    const rows = applyKernel(axisKernel('softmax', 1), { data: Float64Array.from([1, 1, 3, 3]), shape: [2, 2] }, 'softmax');
    expect(Array.from(rows.data)).toEqual([0.5, 0.5, 0.5, 0.5]);
  });

  test('element-wise kernels keep the shape, for any rank, and do not touch the input', () => {
    const relu = lookup('relu').bind();
    for (const shape of [[], [3], [2, 2], [1, 2, 3]]) {
      const t = randomTensor(shape, 1);
      const before = Array.from(t.data);
      const got = applyKernel(relu, t, 'relu');
      expect(got.shape).toEqual(shape);
      expect(got.shape).not.toBe(t.shape);
      expect(got.data).not.toBe(t.data);
      expect(Array.from(got.data)).toEqual(before.map((v) => (v > 0 ? v : 0)));
      expect(Array.from(t.data)).toEqual(before);
    }
  });
});

describe('axis errors', () => {
  test.each([
    [[2, 3], 2, '-2..1'],
    [[2, 3], -3, '-2..1'],
    [[2, 3, 4], 3, '-3..2'],
    [[2, 3, 4], -4, '-3..2'],
    [[4], 1, '-1..0'],
    [[4], -2, '-1..0'],
  ])('shape %j axis %i: ActivError data naming %s', (shape, axis, range) => {
    const e = thrown(() => applyKernel(axisKernel('log_softmax', axis), randomTensor(shape, 3), 'log_softmax'));
    expect(e.kind).toBe('data');
    expect(e.message).toContain(range);
    expect(e.message).toContain(String(axis));
    expect(e.message).toContain('log_softmax');
  });

  test('an axis-wise activation on a single number is a data error', () => {
    const e = thrown(() => applyKernel(axisKernel('sparsemax', -1), { data: Float64Array.from([1]), shape: [] }, 'sparsemax'));
    expect(e.kind).toBe('data');
    expect(e.message).toMatch(/single number/);
  });

  test('resolveAxis', () => {
    expect(resolveAxis(-1, 3, 'x')).toBe(2);
    expect(resolveAxis(-3, 3, 'x')).toBe(0);
    expect(resolveAxis(2, 3, 'x')).toBe(2);
    expect(thrown(() => resolveAxis(3, 3, 'x')).kind).toBe('data');
    expect(thrown(() => resolveAxis(-4, 3, 'x')).kind).toBe('data');
    expect(thrown(() => resolveAxis(0, 0, 'x')).kind).toBe('data');
    expect(thrown(() => resolveAxis(0.5, 3, 'x')).kind).toBe('usage');
  });
});

describe('softmax on 1-D', () => {
  test("throws Keras's message, as a data error", () => {
    const e = thrown(() => applyKernel(axisKernel('softmax', -1), { data: Float64Array.from([1, 2, 3]), shape: [3] }, 'softmax'));
    expect(e.kind).toBe('data');
    expect(e.message).toContain('Cannot apply softmax to a tensor that is 1D');
    thrown(() => applyKernel(axisKernel('softmax', 0), { data: Float64Array.from([1]), shape: [1] }, 'softmax'));
  });
  test('log_softmax, softmin, sparsemax and glu accept 1-D', () => {
    for (const name of ['log_softmax', 'softmin', 'sparsemax', 'glu']) {
      const got = applyKernel(axisKernel(name, -1), { data: Float64Array.from([1, 2]), shape: [2] }, name);
      expect(got.shape).toEqual([name === 'glu' ? 1 : 2]);
    }
  });
  test('softmax on 2-D with one row is fine', () => {
    const got = applyKernel(axisKernel('softmax', -1), { data: Float64Array.from([3, 3]), shape: [1, 2] }, 'softmax');
    expect(Array.from(got.data)).toEqual([0.5, 0.5]);
  });
});

describe('prelu with one alpha per column', () => {
  const prelu = (alpha: unknown): Kernel => lookup('prelu').bind({ alpha });

  test('alphas follow the last axis, for any rank', () => {
    const k = prelu([0.1, 0.2, 0.3]);
    const t2 = applyKernel(k, { data: Float64Array.from([-1, -1, -1, -10, 4, -10]), shape: [2, 3] }, 'prelu');
    expect(Array.from(t2.data)).toEqual([-0.1, -0.2, -0.3, -1, 4, -3]);
    const t3 = applyKernel(k, { data: Float64Array.from(Array(12).fill(-1)), shape: [2, 2, 3] }, 'prelu');
    expect(Array.from(t3.data)).toEqual(Array(4).fill([-0.1, -0.2, -0.3]).flat());
    const t1 = applyKernel(k, { data: Float64Array.from([-2, -2, -2]), shape: [3] }, 'prelu');
    expect(Array.from(t1.data)).toEqual([-0.2, -0.4, -0.6]);
  });

  test('the last axis length must match the number of alphas', () => {
    const k = prelu('0.1,0.2,0.3');
    for (const shape of [[3, 2], [6], [1, 3, 1], []]) {
      const e = thrown(() => applyKernel(k, { data: new Float64Array(sizeOf(shape)), shape }, 'prelu'));
      expect(e.kind).toBe('data');
      expect(e.message).toMatch(/\b3\b/);
      expect(e.message).toMatch(/prelu/);
    }
  });

  test('a scalar alpha works on any shape', () => {
    const got = applyKernel(prelu(0.5), { data: Float64Array.from([-2, 2, -4, 4]), shape: [2, 1, 2] }, 'prelu');
    expect(Array.from(got.data)).toEqual([-1, 2, -2, 4]);
  });
});

describe('glu on a chosen axis', () => {
  const data = Float64Array.from([1, 2, 3, 4, 0, 0, 0, 0]); // [[1, 2, 3, 4], [0, 0, 0, 0]]
  test('axis 0 pairs rows, axis 1 pairs column halves', () => {
    const a0 = applyKernel(axisKernel('glu', 0), { data, shape: [2, 4] }, 'glu');
    expect(a0.shape).toEqual([1, 4]);
    expect(Array.from(a0.data)).toEqual([0.5, 1, 1.5, 2]);
    const a1 = applyKernel(axisKernel('glu', -1), { data, shape: [2, 4] }, 'glu');
    expect(a1.shape).toEqual([2, 2]);
    expect(Array.from(a1.data.subarray(2))).toEqual([0, 0]);
  });
  test('an odd-sized chosen axis is a data error, even when other axes are even', () => {
    const e = thrown(() => applyKernel(axisKernel('glu', 0), { data: new Float64Array(12), shape: [3, 4] }, 'glu'));
    expect(e.kind).toBe('data');
    expect(e.message).toMatch(/odd/);
    applyKernel(axisKernel('glu', 1), { data: new Float64Array(12), shape: [3, 4] }, 'glu');
  });
});

describe('empty tensors', () => {
  test('zero-sized axes give zero-sized results', () => {
    expect(applyKernel(axisKernel('softmax', -1), { data: new Float64Array(0), shape: [0, 3] }, 'softmax').shape).toEqual([0, 3]);
    expect(applyKernel(axisKernel('softmax', 0), { data: new Float64Array(0), shape: [0, 3] }, 'softmax').shape).toEqual([0, 3]);
    expect(applyKernel(lookup('tanh').bind(), { data: new Float64Array(0), shape: [0] }, 'tanh').shape).toEqual([0]);
  });
});
