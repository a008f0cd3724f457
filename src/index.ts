/**
 * activ as a library: look activations up by name, list the catalogue, and evaluate one on a
 * number, an array, nested arrays of any rank, or a Float64Array with a shape. Everything goes
 * through the same kernels as the command line.
 */
import { ActivError } from './errors.js';
import { catalogue, lookup } from './kernels/registry.js';
import { applyGrad, applyKernel, sizeOf, type Tensor } from './tensor.js';

export { ActivError, exitCodeFor, type ErrorKind } from './errors.js';
export { catalogue, lookup } from './kernels/registry.js';
export { applyKernel, resolveAxis, type Tensor } from './tensor.js';
export type {
  ActivationSpec,
  AxisKernel,
  ElementwiseKernel,
  Kernel,
  ParamSpec,
  ParamValue,
  VjpKernel,
  DerivativeDoc,
} from './kernels/spec.js';

export type Nested = number | Nested[];
export type Params = Readonly<Record<string, unknown>>;

/** Nested rectangular arrays to a tensor; ragged or non-numeric input is a data error. */
export function toTensor(value: Nested): Tensor {
  const shape: number[] = [];
  for (let v: Nested = value; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const data = new Float64Array(sizeOf(shape));
  let k = 0;
  const walk = (v: Nested, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') throw new ActivError(`input${path}: expected a number, got ${JSON.stringify(v)}`, 'data');
      data[k++] = v;
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      throw new ActivError(`input${path}: ragged array: expected ${shape[depth]} elements at depth ${depth}`, 'data');
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, `${path}[${i}]`);
  };
  walk(value, 0, '');
  return { data, shape };
}

/** A tensor back to nested arrays of its shape (a plain number for rank 0). */
export function fromTensor(t: Tensor): Nested {
  let k = 0;
  const build = (depth: number): Nested => {
    if (depth === t.shape.length) return t.data[k++];
    const n = t.shape[depth];
    const a: Nested[] = new Array(n);
    for (let i = 0; i < n; i++) a[i] = build(depth + 1);
    return a;
  };
  return build(0);
}

/**
 * Evaluate an activation by name. `input` may be a number, nested arrays (returned in the same
 * shape) or a tensor `{ data, shape }` (returned as a tensor).
 *
 *   evaluate('relu', [-1, 2, 7], { max_value: 6 })   // [0, 2, 6]
 *   evaluate('softmax', [[1, 2, 3]])                 // [[0.0900..., 0.2447..., 0.6652...]]
 */
export function evaluate(name: string, input: Tensor, params?: Params, options?: EvaluateOptions): Tensor;
export function evaluate(name: string, input: Nested, params?: Params, options?: EvaluateOptions): Nested;
export function evaluate(name: string, input: Nested | Tensor, params?: Params, options?: EvaluateOptions): Nested | Tensor {
  const spec = lookup(name);
  // parameters are checked before the data is looked at
  const grad = options?.grad ? spec.bindGrad(params) : undefined;
  const kernel = grad ? undefined : spec.bind(params);
  const isTensor = input instanceof Object && !Array.isArray(input) && 'data' in input;
  const x = isTensor ? checkedTensor(input as Tensor) : toTensor(input as Nested);
  const y = grad ? applyGrad({ name: spec.name, kernel: grad, cotangent: tensorOrUndefined(options?.cotangent) }, x) : applyKernel(kernel!, x, spec.name);
  return isTensor ? y : fromTensor(y);
}

/**
 * grad: dy/dx instead of y (element-wise), or with a cotangent v in the output's shape the
 * vector-Jacobian product v^T J (axis-wise; required there).
 *
 *   evaluate('gelu', [-10, 0, 1], {}, { grad: true })                        // [-7.69e-22, 0.5, 1.0833...]
 *   evaluate('softmax', [[1, 2, 3]], {}, { grad: true, cotangent: [[1, 0, 0]] })
 */
export interface EvaluateOptions {
  readonly grad?: boolean;
  readonly cotangent?: Nested | Tensor;
}

function tensorOrUndefined(v: Nested | Tensor | undefined): Tensor | undefined {
  if (v === undefined) return undefined;
  return v instanceof Object && !Array.isArray(v) && 'data' in v ? checkedTensor(v as Tensor) : toTensor(v as Nested);
}

function checkedTensor(t: Tensor): Tensor {
  if (!(t.data instanceof Float64Array) || sizeOf(t.shape) !== t.data.length) {
    throw new ActivError('tensor: data must be a Float64Array with as many values as the shape holds', 'data');
  }
  return t;
}
