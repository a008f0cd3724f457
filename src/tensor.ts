/**
 * A tensor is a shape and its values in row-major order. Axis arithmetic lives here so the kernels
 * see only vectors (offset, stride, length) and the I/O sees only rows.
 */
import { ActivError, type ErrorKind } from './errors.js';
import type { ColumnRun, Kernel } from './kernels/spec.js';

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

/** Whether every value of a vector is needed (axis-wise): an invalid value cannot be kept in place. */
export function needsWholeVectors(kernel: Kernel): boolean {
  return kernel.kind === 'axiswise';
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
