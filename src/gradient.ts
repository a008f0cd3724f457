/**
 * Derivatives over whole tensors: dy/dx element by element, or the vector-Jacobian product of an
 * axis-wise activation with a cotangent of the output's shape. The library (evaluate with
 * { grad: true }) and the command line (--grad, --cotangent) both come through here.
 */
import { ActivError } from './errors.js';
import type { ElementwiseKernel, VjpKernel } from './kernels/spec.js';
import type { VjpRow } from './kernels/vjp.js';
import { applyKernel, resolveAxis, sizeOf, type Tensor } from './tensor.js';

export interface GradRequest {
  readonly name: string;
  /** From spec.bindGrad(params): parameters are checked before any data is looked at. */
  readonly kernel: ElementwiseKernel | VjpKernel;
  /** Axis-wise activations only: v, in the output's shape. */
  readonly cotangent?: Tensor;
}

/** The words for an axis-wise --grad without a cotangent (the CLI and the library say the same). */
export function needsCotangent(name: string): string {
  return `${name} is axis-wise: its derivative is a Jacobian, so --grad needs --cotangent FILE (the output's gradient, in the output's shape) and gives the vector-Jacobian product`;
}

/** dy/dx, or v^T J for an axis-wise activation; a cotangent given to an element-wise one is refused. */
export function applyGrad(req: GradRequest, input: Tensor): Tensor {
  const { name, kernel, cotangent } = req;
  if (kernel.kind === 'elementwise') {
    if (cotangent) throw new ActivError(`${name} is element-wise: --grad gives dy/dx itself and takes no cotangent`);
    return applyKernel(kernel, input, name);
  }
  if (!cotangent) throw new ActivError(needsCotangent(name));
  return applyVjp(kernel, input, cotangent, name);
}

function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** g = v^T J(x) along the kernel's axis for every vector of x; g has x's shape. */
export function applyVjp(kernel: VjpKernel, x: Tensor, v: Tensor, name: string): Tensor {
  const rank = x.shape.length;
  const axis = resolveAxis(kernel.axis, rank, name);
  const n = x.shape[axis];
  const m = kernel.outLength(n);
  const want = x.shape.slice();
  want[axis] = m;
  if (v.shape.length !== rank || v.shape.some((d, i) => d !== want[i])) {
    throw new ActivError(`${name} --grad: the cotangent has shape ${shapeText(v.shape)} but the output has ${shapeText(want)} (the input is ${shapeText(x.shape)})`);
  }
  const inner = sizeOf(x.shape.slice(axis + 1));
  const outer = sizeOf(x.shape.slice(0, axis));
  const out = new Float64Array(x.data.length);
  const row: VjpRow = {
    x: { data: x.data, offset: 0, stride: inner },
    v: { data: v.data, offset: 0, stride: inner },
    out: { data: out, offset: 0, stride: inner },
    n,
  };
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      row.x.offset = o * n * inner + j;
      row.out.offset = row.x.offset;
      row.v.offset = o * m * inner + j;
      kernel.vjp(row);
    }
  }
  return { data: out, shape: x.shape.slice() };
}
