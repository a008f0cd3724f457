// src/kernels/dtype.ts: a kernel in a narrower dtype rounds its inputs, computes in float64 with
// the wrapped kernel, and rounds each result once; every entry point (map, vector, column passes).
import { describe, expect, it } from 'vitest';
import { kernelInDtype } from '../../src/kernels/dtype.js';
import { lookup } from '../../src/kernels/registry.js';
import type { AxisKernel, ElementwiseKernel } from '../../src/kernels/spec.js';
import { roundTo, type Dtype } from '../../src/numbers/dtype.js';
import { applyKernel } from '../../src/tensor.js';
import { rng } from '../support.js';

const DTYPES: Dtype[] = ['float32', 'float16', 'bfloat16'];

function values(seed: number, n: number, scale: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => (r() - 0.5) * scale);
}

describe('kernelInDtype', () => {
  it('float64 gives the kernel itself', () => {
    const k = lookup('gelu').bind({});
    expect(kernelInDtype(k, 'float64')).toBe(k);
  });

  for (const dtype of DTYPES) {
    it(`${dtype}: element-wise = round(f(round(x))), the source left as it was`, () => {
      const plain = lookup('gelu').bind({}) as ElementwiseKernel;
      const k = kernelInDtype(plain, dtype) as ElementwiseKernel;
      const x = values(1, 2000, 20);
      const before = x.slice();
      const y = new Float64Array(x.length);
      k.map(x, y, 0, x.length);
      expect(x).toEqual(before);
      const one = new Float64Array(1);
      for (let i = 0; i < x.length; i++) {
        one[0] = roundTo(x[i], dtype);
        plain.map(one, one, 0, 1);
        expect(Object.is(y[i], roundTo(one[0], dtype))).toBe(true);
        expect(roundTo(y[i], dtype)).toBe(y[i]);
      }
    });

    it(`${dtype}: softmax along rows and down columns agree, every output a ${dtype} value`, () => {
      const rows = 7;
      const width = 5;
      const data = values(2, rows * width, 30);
      const byRow = applyKernel(kernelInDtype(lookup('softmax').bind({}), dtype), { data, shape: [rows, width] }, 'softmax');
      const rounded = data.map((v) => roundTo(v, dtype));
      const exact = applyKernel(lookup('softmax').bind({}), { data: rounded, shape: [rows, width] }, 'softmax');
      expect([...byRow.data]).toEqual([...exact.data].map((v) => roundTo(v, dtype)));

      // --axis 0: the column passes of the wrapped kernel, against the transposed in-memory result
      const k0 = kernelInDtype(lookup('softmax').bind({ axis: 0 }), dtype) as AxisKernel;
      const run = k0.columns!(width)!;
      const rowAt = (r: number): Float64Array => data.subarray(r * width, (r + 1) * width);
      while (run.wantsPass()) {
        for (let r = 0; r < rows; r++) run.observe(rowAt(r), 0);
        run.endPass();
      }
      const down = applyKernel(k0, { data, shape: [rows, width] }, 'softmax');
      const out = new Float64Array(width);
      for (let r = 0; r < rows; r++) {
        run.emit(rowAt(r), 0, out, 0);
        expect([...out]).toEqual([...down.data.subarray(r * width, (r + 1) * width)]);
      }
    });
  }

  it('glu keeps its halving, prelu its width', () => {
    const glu = kernelInDtype(lookup('glu').bind({}), 'float16') as AxisKernel;
    expect(glu.outLength(6)).toBe(3);
    const t = applyKernel(glu, { data: Float64Array.from([1, 2, 0.1, 0, 0, 0]), shape: [1, 6] }, 'glu');
    expect([...t.data]).toEqual([0.5, 1, roundTo(0.1, 'float16') / 2]);
    const prelu = kernelInDtype(lookup('prelu').bind({ alpha: '0.1,0.2' }), 'float32') as ElementwiseKernel;
    expect(prelu.width).toBe(2);
  });
});
