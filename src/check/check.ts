/**
 * `activ check` without I/O: the exact values of an activation for an input tensor, rounded to
 * the dtype the other implementation worked in, compared with its results.
 */
import { ActivError } from '../errors.js';
import { kernelInDtype } from '../kernels/dtype.js';
import type { Kernel } from '../kernels/spec.js';
import type { Dtype } from '../numbers/dtype.js';
import { applyKernel, type Tensor } from '../tensor.js';
import { compare, type CheckReport } from './compare.js';

export interface CheckPlan {
  /** The bound activation (float64) and its name for messages. */
  readonly kernel: Kernel;
  readonly name: string;
  readonly input: Tensor;
  /** The other implementation's results, and the dtype its file declares, if any. */
  readonly results: Tensor & { readonly dtype?: Dtype };
  /** --dtype: overrides the results' own dtype; float64 when neither says. */
  readonly dtype?: Dtype;
  readonly tolerance: number;
  /** How many of the worst values to report. */
  readonly keep: number;
  /** How messages name the two files. */
  readonly inputName: string;
  readonly resultsName: string;
}

/** The shape without axes of length 1: a CSV column [n, 1] and a vector [n] hold the same values. */
function squeezed(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}

const shapeText = (s: readonly number[]): string => `[${s.join(', ')}]`;

export function check(plan: CheckPlan): CheckReport {
  const dtype = plan.dtype ?? plan.results.dtype ?? 'float64';
  const exact = applyKernel(kernelInDtype(plan.kernel, dtype), plan.input, plan.name);
  const a = squeezed(exact.shape);
  const b = squeezed(plan.results.shape);
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new ActivError(
      `shapes differ: ${plan.name} of ${plan.inputName} ${shapeText(plan.input.shape)} gives ${shapeText(exact.shape)}, ${plan.resultsName} holds ${shapeText(plan.results.shape)}`,
    );
  }
  const sameShape = exact.shape.length === plan.input.shape.length && exact.shape.every((d, i) => d === plan.input.shape[i]);
  return compare({
    expected: exact.data,
    got: plan.results.data,
    shape: exact.shape,
    inputs: sameShape ? plan.input.data : undefined,
    dtype,
    tolerance: plan.tolerance,
    keep: plan.keep,
  });
}
