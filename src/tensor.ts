/**
 * A tensor is a shape and its values in row-major order. Axis arithmetic lives here so the kernels
 * see only vectors (offset, stride, length) and the I/O sees only rows.
 */
import { ActivError } from './errors.js';
import type { Kernel } from './kernels/spec.js';

export interface Tensor {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A negative axis counts from the end; out of range is a usage error naming the valid range. */
export function resolveAxis(axis: number, rank: number, what: string): number {
  if (!Number.isInteger(axis)) throw new ActivError(`${what}: axis must be an integer, got ${axis}`);
  const a = axis < 0 ? axis + rank : axis;
  if (rank === 0 || a < 0 || a >= rank) {
    const range = rank === 0 ? 'none: the input is a single number' : `-${rank}..${rank - 1}`;
    throw new ActivError(`${what}: axis ${axis} is out of range for a ${rank}-D input (valid: ${range})`, 'data');
  }
  return a;
}

/**
 * Apply a bound kernel to a whole tensor. `name` is used in messages. Returns a new tensor
 * (its shape differs from the input's for glu).
 */
export function applyKernel(kernel: Kernel, input: Tensor, name: string): Tensor {
  const { data, shape } = input;
  if (kernel.kind === 'elementwise') {
    const out = new Float64Array(data.length);
    const w = kernel.width;
    if (w !== undefined) {
      const last = shape.length === 0 ? 1 : shape[shape.length - 1];
      if (last !== w) {
        throw new ActivError(`${name}: ${w} alpha values given but the last axis has ${last} elements`, 'data');
      }
    }
    kernel.map(data, out, 0, data.length);
    return { data: out, shape: shape.slice() };
  }
  if (name === 'softmax' && shape.length === 1) {
    // Keras 2 refuses this; keep its words so people can search them, and say the fix.
    throw new ActivError(
      'softmax: Cannot apply softmax to a tensor that is 1D. Wrap the values in a row ([[...]]) or give them as one CSV/text row',
      'data',
    );
  }
  const axis = resolveAxis(kernel.axis, shape.length, name);
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  const m = kernel.outLength(n);
  const outShape = shape.slice();
  outShape[axis] = m;
  const out = new Float64Array(outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      kernel.vector(data, o * n * inner + j, inner, out, o * m * inner + j, inner, n);
    }
  }
  return { data: out, shape: outShape };
}
