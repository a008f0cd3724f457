/**
 * A tensor is a shape and its values in row-major order. Axis arithmetic lives here so the kernels
 * see only vectors (offset, stride, length) and the I/O sees only rows.
 */
import { ActivError, type ErrorKind } from './errors.js';
import type { ColumnRun, ElementwiseKernel, Kernel, VjpKernel } from './kernels/spec.js';
import type { VjpRow } from './kernels/vjp.js';

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
  if (kernel.kind === 'axiswise' && name === 'softmax' && shape.length === 1) {
    // Keras 2 refuses this; keep its words so people can search them, and say the fix.
    throw new ActivError(
      'softmax: Cannot apply softmax to a tensor that is 1D. Wrap the values in a row ([[...]]) or give them as one CSV/text row',
      'data',
    );
  }
  const rank = shape.length;
  const axis = kernel.kind === 'elementwise' ? rank - 1 : resolveAxis(kernel.axis, rank, name);
  const n = rank === 0 ? 1 : shape[Math.max(0, axis)];
  const inner = sizeOf(shape.slice(axis + 1));
  // The kernel's own error for a length it refuses (glu on an odd count), before any work.
  const m = kernel.kind === 'elementwise' ? n : kernel.outLength(n);
  if (axis === rank - 1 || kernel.kind === 'elementwise') {
    // Along the last axis: the tensor is rows of n values, as a table is.
    const rows = n === 0 ? 0 : data.length / n;
    const start = new Int32Array(rows + 1);
    for (let r = 0; r <= rows; r++) start[r] = r * n;
    const values = data.slice();
    let result: RowResult | undefined;
    try {
      result = alongRows(kernel, name).apply({ values, start, rows });
    } catch (e) {
      if (!(e instanceof RowMisfit)) throw e;
      if (kernel.kind === 'elementwise') {
        throw new ActivError(`${name}: ${kernel.width} alpha values given but the last axis has ${n} elements`, 'data');
      }
      throw new ActivError(e.message, 'data');
    }
    const outShape = shape.slice();
    if (rank > 0) outShape[rank - 1] = m;
    return { data: result!.out.length === sizeOf(outShape) ? result!.out : result!.out.slice(0, sizeOf(outShape)), shape: outShape };
  }
  const outer = sizeOf(shape.slice(0, axis));
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

// ---------------------------------------------------------------------------------------------
// The one row step. Every lane (the general reader, the byte lane and its workers), JSON documents
// and the quick path apply a kernel to rows of values through these, so "element-wise or
// axis-wise?" is asked here only.

/** How worker threads rebuild a step: the activation's name and its parameters as given. */
export interface KernelRecipe {
  readonly activation: string;
  readonly params: Readonly<Record<string, unknown>>;
  /** The activation's derivative (--grad) instead of the activation. */
  readonly grad?: boolean;
}

/** Rows of values back to back: row r owns values[start[r] .. start[r + 1]). */
export interface RowBlock {
  readonly values: Float64Array;
  readonly start: Int32Array;
  readonly rows: number;
  /** Rows that hold no data (blank, skipped): no length check applies to them. */
  readonly skip?: Uint8Array;
}

/** Where a step's results are: row r owns out[outStart[r] .. outStart[r + 1]). */
export interface RowResult {
  readonly out: Float64Array;
  readonly outStart: Int32Array;
  /** Rows not to be written at all (glu down the columns halves the rows). */
  readonly dropped?: Uint8Array;
}

/** A row the step cannot take (a prelu row of another width, glu on an odd count); the general lane words it with the row's place. */
export class RowMisfit extends Error {
  constructor(
    readonly row: number,
    message: string,
    readonly kind: ErrorKind = 'data',
  ) {
    super(message);
  }
}

export interface RowStep {
  /** Transform a block; undefined for a step that only observes (a column pass). Throws RowMisfit. */
  apply(b: RowBlock): RowResult | undefined;
  /** Each row keeps its number of values (the byte lane writes in place). */
  readonly keepsLength: boolean;
  /** Whether the results are written (false: an observation pass). */
  readonly writes: boolean;
  /** Set when worker threads can rebuild this step; without it the byte lane stays on one thread. */
  readonly recipe?: KernelRecipe;
  /** The number of selected values its rows hold when a table header loses some (glu). */
  outLength(n: number): number;
}

/** What a table does with a kernel: along each row (element-wise, or the last axis), or down the columns (axis 0). */
export function tableDirection(kernel: Kernel, name: string): 'rows' | 'columns' {
  if (kernel.kind === 'elementwise') return 'rows';
  try {
    return resolveAxis(kernel.axis, 2, name) === 0 ? 'columns' : 'rows';
  } catch (e) {
    // A table has two axes whatever its data: another axis is a usage error.
    if (e instanceof ActivError) throw new ActivError(e.message.replace('a 2-D input', 'a table (2-D)'), 'usage');
    throw e;
  }
}

/** Apply a kernel along each row of a block; `name` words a misfit row's message. */
export function alongRows(kernel: Kernel, name: string, recipe?: KernelRecipe): RowStep {
  if (kernel.kind === 'elementwise') {
    const w = kernel.width;
    return {
      keepsLength: true,
      writes: true,
      recipe,
      outLength: (n) => n,
      apply(b) {
        const { values, start, rows, skip } = b;
        if (w !== undefined) {
          for (let r = 0; r < rows; r++) {
            const n = start[r + 1] - start[r];
            if (n !== w && !skip?.[r]) {
              throw new RowMisfit(r, `${name} has ${w} alpha values (one per column) but this row has ${n} selected values`);
            }
          }
        }
        kernel.map(values, values, start[0], start[rows]);
        return { out: values, outStart: start };
      },
    };
  }
  const keepsLength = kernel.outLength(2) === 2;
  return {
    keepsLength,
    writes: true,
    recipe,
    outLength: (n) => kernel.outLength(n),
    apply(b) {
      const { values, start, rows } = b;
      if (keepsLength) {
        for (let r = 0; r < rows; r++) {
          const s = start[r];
          const n = start[r + 1] - s;
          if (n > 0) kernel.vector(values, s, 1, values, s, 1, n);
        }
        return { out: values, outStart: start };
      }
      const out = new Float64Array(Math.max(1, start[rows] - start[0]));
      const outStart = new Int32Array(rows + 1);
      let o = 0;
      for (let r = 0; r < rows; r++) {
        const s = start[r];
        const n = start[r + 1] - s;
        if (n > 0) {
          let m: number;
          try {
            m = kernel.outLength(n);
          } catch (e) {
            if (e instanceof ActivError) throw new RowMisfit(r, e.message, e.kind);
            throw e;
          }
          kernel.vector(values, s, 1, out, o, 1, n);
          o += m;
        }
        outStart[r + 1] = o;
      }
      return { out, outStart };
    },
  };
}

/** Rows must hold `width` values for a column pass; the message names the first data row's line. */
function checkWidth(b: RowBlock, width: number, firstLine: number): void {
  for (let r = 0; r < b.rows; r++) {
    const n = b.start[r + 1] - b.start[r];
    if (n !== width && !b.skip?.[r]) {
      throw new RowMisfit(r, `${n} values in a row where line ${firstLine} has ${width}; --axis 0 works down columns and needs rows of equal length`);
    }
  }
}

/** A column pass that only looks: every row's values go to the run (axis 0, before the last pass). */
export function observeColumns(run: ColumnRun, width: number, firstLine: number): RowStep {
  return {
    keepsLength: true,
    writes: false,
    outLength: (n) => n,
    apply(b) {
      checkWidth(b, width, firstLine);
      for (let r = 0; r < b.rows; r++) if (!b.skip?.[r]) run.observe(b.values, b.start[r]);
      return undefined;
    },
  };
}

/** The last column pass: every row's values are replaced by the run's results. */
export function emitColumns(run: ColumnRun, width: number, firstLine: number): RowStep {
  return {
    keepsLength: true,
    writes: true,
    outLength: (n) => n,
    apply(b) {
      checkWidth(b, width, firstLine);
      for (let r = 0; r < b.rows; r++) if (!b.skip?.[r]) run.emit(b.values, b.start[r], b.values, b.start[r]);
      return { out: b.values, outStart: b.start };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The value step: how a lane that streams a tensor's values (JSON documents, NDJSON lines, long
// lines, .npy arrays) applies a kernel without asking the kernel what it is. A lane asks the step
// where it may cut the stream (anywhere, or only between whole vectors) and hands it runs.

export interface ValueStep {
  /** Any run of values may go through on its own (element-wise, no per-column parameter): cut anywhere. */
  readonly anyRun: boolean;
  /** Whole vectors only: an invalid value cannot be kept in place, and a run is one vector. */
  readonly wholeVectors: boolean;
  /** The axis vectors lie along, as given (negative counts from the end); -1 when element-wise. */
  readonly axis: number;
  /** Element-wise with one parameter per column (prelu): runs are whole rows of this many values. */
  readonly width?: number;
  /** Each vector keeps its length (all but glu). */
  readonly keepsLength: boolean;
  /** Along the last axis of a table (rows), keeping lengths, no per-column parameter: what row lanes take. */
  readonly alongRowsInPlace: boolean;
  /** Output length of a vector of n values; throws ActivError when n is not allowed (glu on an odd count). */
  outLength(n: number): number;
  /** values[from, to) through the kernel in place: any run when anyRun, rows of `width`, or one length-keeping vector. */
  run(values: Float64Array, from: number, to: number): void;
  /** One contiguous vector src[from, from+n) to dst from `at` (glu writes outLength(n) values). */
  vectorInto(src: { values: Float64Array; from: number; n: number }, dst: Float64Array, at: number): void;
  /** One strided vector (an axis other than the last): n values from `offset` every `stride`, in place or into `dst` at the same places. */
  strided(v: { values: Float64Array; offset: number; stride: number; n: number }, dst?: Float64Array): void;
  /** The kernel's column passes for `width` columns (axis 0 in constant memory); undefined where none (glu, element-wise). */
  columns(width: number): ColumnRun | undefined;
}

/** The value step of a kernel: the one place, with alongRows and applyKernel, that asks what kind it is. */
export function valueStep(kernel: Kernel): ValueStep {
  if (kernel.kind === 'elementwise') {
    const run = (values: Float64Array, from: number, to: number): void => kernel.map(values, values, from, to);
    return {
      anyRun: kernel.width === undefined,
      wholeVectors: false,
      axis: -1,
      width: kernel.width,
      keepsLength: true,
      alongRowsInPlace: kernel.width === undefined,
      outLength: (n) => n,
      run,
      vectorInto: (src, dst, at) => kernel.map(src.values.subarray(src.from, src.from + src.n), dst.subarray(at, at + src.n), 0, src.n),
      strided(v, dst) {
        // element-wise has no axis; a strided run is still value by value
        const tmp = new Float64Array(v.n);
        for (let i = 0; i < v.n; i++) tmp[i] = v.values[v.offset + i * v.stride];
        kernel.map(tmp, tmp, 0, v.n);
        const out = dst ?? v.values;
        for (let i = 0; i < v.n; i++) out[v.offset + i * v.stride] = tmp[i];
      },
      columns: () => undefined,
    };
  }
  const keepsLength = kernel.outLength(2) === 2;
  return {
    anyRun: false,
    wholeVectors: true,
    axis: kernel.axis,
    keepsLength,
    alongRowsInPlace: (kernel.axis === -1 || kernel.axis === 1) && keepsLength,
    outLength: (n) => kernel.outLength(n),
    run: (values, from, to) => {
      if (to > from) kernel.vector(values, from, 1, values, from, 1, to - from);
    },
    vectorInto: (src, dst, at) => kernel.vector(src.values, src.from, 1, dst, at, 1, src.n),
    strided: (v, dst) => kernel.vector(v.values, v.offset, v.stride, dst ?? v.values, v.offset, v.stride, v.n),
    columns: (width) => kernel.columns?.(width),
  };
}

// ---------------------------------------------------------------------------------------------
// Derivatives over whole tensors: dy/dx element by element, or the vector-Jacobian product of an
// axis-wise activation with a cotangent of the output's shape. The library (evaluate with
// { grad: true }) and the command line (--grad, --cotangent) both come through here.

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

// ---------------------------------------------------------------------------------------------
// json2 (#10): a 1-D tensor that stands for a row (a document of jq's stream, as an NDJSON line is)

/** Whether a 1-D tensor taken as a row [1, n] differs from the tensor itself: a whole-vector step along the last axis (-1, or 1 of the row). */
export function vectorsAreRows(step: Pick<ValueStep, 'wholeVectors' | 'axis'>): boolean {
  return step.wholeVectors && (step.axis === -1 || step.axis === 1);
}
