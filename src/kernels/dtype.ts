/**
 * A bound kernel as a model in a narrower dtype would run it: its inputs rounded to the dtype
 * (as the model holds them), the activation computed in float64 by the wrapped kernel, and each
 * result rounded once to the dtype. Every path (element-wise blocks, vectors along an axis,
 * column passes) calls the kernel, so wrapping it is the whole of --dtype's arithmetic.
 * Parameters (alpha, max_value, ...) are used as given, exactly, not rounded.
 */
import { roundArray, roundTo, type Dtype } from '../numbers/dtype.js';
import type { AxisKernel, ColumnRun, ElementwiseKernel, Kernel } from './spec.js';

/** The kernel in the dtype; float64 gives the kernel itself. */
export function kernelInDtype(kernel: Kernel, dtype: Dtype): Kernel {
  if (dtype === 'float64') return kernel;
  return kernel.kind === 'elementwise' ? elementwiseIn(kernel, dtype) : axisIn(kernel, dtype);
}

function elementwiseIn(k: ElementwiseKernel, dtype: Dtype): ElementwiseKernel {
  return {
    kind: 'elementwise',
    width: k.width,
    map(src, dst, start, end) {
      // Round into dst first: the wrapped kernel may work in place, and src is left as given.
      roundArray(src, dst, start, end, dtype);
      k.map(dst, dst, start, end);
      roundArray(dst, dst, start, end, dtype);
    },
  };
}

/** A scratch vector that grows to the longest one seen. */
class Scratch {
  private buf = new Float64Array(64);
  get(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(Math.max(n, this.buf.length * 2));
    return this.buf;
  }
}

function axisIn(k: AxisKernel, dtype: Dtype): AxisKernel {
  const scratch = new Scratch();
  const wrapped: AxisKernel = {
    kind: 'axiswise',
    axis: k.axis,
    outLength: (n) => k.outLength(n),
    vector(src, so, ss, dst, dso, ds, n) {
      const x = scratch.get(n);
      for (let i = 0; i < n; i++) x[i] = src[so + i * ss];
      roundArray(x, x, 0, n, dtype);
      k.vector(x, 0, 1, dst, dso, ds, n);
      const m = k.outLength(n);
      for (let i = 0; i < m; i++) dst[dso + i * ds] = roundTo(dst[dso + i * ds], dtype);
    },
  };
  if (k.columns) {
    const columns = k.columns.bind(k);
    return { ...wrapped, columns: (width) => columnsIn(columns(width), width, dtype) };
  }
  return wrapped;
}

/** Column passes over rounded rows, with rounded outputs (the same width out as in). */
function columnsIn(run: ColumnRun | undefined, width: number, dtype: Dtype): ColumnRun | undefined {
  if (!run) return undefined;
  const row = new Float64Array(width);
  const rounded = (src: Float64Array, start: number): Float64Array => {
    roundArray(src.subarray(start, start + width), row, 0, width, dtype);
    return row;
  };
  return {
    wantsPass: () => run.wantsPass(),
    observe: (src, start) => run.observe(rounded(src, start), 0),
    endPass: () => run.endPass(),
    emit(src, start, out, outStart) {
      run.emit(rounded(src, start), 0, out, outStart);
      roundArray(out, out, outStart, outStart + width, dtype);
    },
  };
}
