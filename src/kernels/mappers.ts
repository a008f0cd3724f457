/**
 * Element-wise kernels from scalar functions: one loop per kernel (in a process that runs one
 * activation the call stays monomorphic), and the per-column form for a parameter given once
 * per element of the last axis (prelu's alpha). The catalogue and the derivatives share them.
 */
import type { ElementwiseKernel } from './spec.js';

export function mapper(f: (x: number) => number): ElementwiseKernel {
  return {
    kind: 'elementwise',
    map(src, dst, start, end) {
      for (let i = start; i < end; i++) dst[i] = f(src[i]);
    },
  };
}

/** f(x, a[j]) with j the position along the last axis; map is then called on whole rows. */
export function perColumn(a: Float64Array, f: (x: number, a: number) => number): ElementwiseKernel {
  const w = a.length;
  return {
    kind: 'elementwise',
    width: w,
    map(src, dst, start, end) {
      for (let i = start, j = 0; i < end; i++, j = j + 1 === w ? 0 : j + 1) dst[i] = f(src[i], a[j]);
    },
  };
}
