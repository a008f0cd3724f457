/**
 * One .npy array through a kernel, in constant memory, from an NpySource to an ArrayOut.
 *
 * A Fortran-order array of shape S is the C-order array of shape reverse(S) with its axes
 * reversed, so everything below works on a C-order view: outer x n x inner around the axis.
 * - element-wise: chunks of 128 Ki elements, in storage order;
 * - along the last axis (inner = 1): blocks of whole rows, read in order;
 * - other axes: one slab (n x inner) at a time, in memory when it is at most 2 Mi elements (LIMITS);
 *   a bigger slab goes through the kernel's column passes (ColumnRun: per-column state only),
 *   reading the slab again for each pass at its position in the file.
 */
import { ActivError } from '../errors.js';
import { ElementDecoder } from '../io/npy-dtype.js';
import type { ArrayOut } from '../io/npy-out.js';
import type { NpySource } from '../io/npy-source.js';
import type { AxisKernel, ElementwiseKernel, Kernel } from '../kernels/spec.js';
import { resolveAxis } from '../tensor.js';
import { parallelWorthIt, runParallel, type NpyWorkerData } from './npy-parallel.js';

/** How much a run holds: elements per chunk, and per slab held whole. */
export interface Limits {
  readonly chunk: number;
  readonly slab: number;
}
/** 1 MiB of float64 per chunk; slabs of up to 16 MiB of float64 in memory. */
export const LIMITS: Limits = { chunk: 1 << 17, slab: 1 << 21 };

/** The geometry of an axis-wise run over the C-order view. */
export interface AxisGeometry {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
  /** Output length along the axis. */
  readonly m: number;
  /** The output's shape (as stored in the header: logical order). */
  readonly outShape: number[];
  /** Whole rows read in order (the last axis of a C-order array, rows that fit a chunk). */
  readonly rows: boolean;
  /** Needs positioned reads (a slab too big for memory, with column passes). */
  readonly random: boolean;
}

export interface AxisPlan {
  readonly kernel: AxisKernel;
  readonly shape: readonly number[];
  readonly fortran: boolean;
  readonly name: string;
  readonly limits?: Limits;
}

/** The geometry of an axis-wise kernel on an array, or a data error for an axis out of range. */
export function axisGeometry(plan: AxisPlan): AxisGeometry {
  const { kernel, shape, fortran, name } = plan;
  const limits = plan.limits ?? LIMITS;
  if (name === 'softmax' && shape.length === 1) {
    // Keras refuses this, as the JSON path does; same words, same fix.
    throw new ActivError('softmax: Cannot apply softmax to a tensor that is 1D. Give a 2-D array (x[None, :]) or the values as one CSV/text row', 'data');
  }
  const axis = resolveAxis(kernel.axis, shape.length, name);
  const m = kernel.outLength(shape[axis]);
  const outShape = shape.slice();
  outShape[axis] = m;
  const c = fortran ? shape.slice().reverse() : shape;
  const ca = fortran ? shape.length - 1 - axis : axis;
  const prod = (a: readonly number[]): number => a.reduce((x, y) => x * y, 1);
  const outer = prod(c.slice(0, ca));
  const n = c[ca];
  const inner = prod(c.slice(ca + 1));
  const rows = inner === 1 && n <= limits.chunk;
  const random = !rows && n * inner > limits.slab && kernel.columns?.(1) !== undefined;
  return { outer, n, inner, m, outShape, rows, random };
}

/** Decoded blocks of an array's elements, in order or at an element offset. */
class BlockReader {
  private readonly decoder: ElementDecoder;
  constructor(private readonly source: NpySource) {
    this.decoder = new ElementDecoder(source.header.dtype);
  }
  /** The next dst.length elements. */
  async next(dst: Float64Array): Promise<void> {
    this.decoder.decode(await this.source.next(dst.length * this.decoder.dtype.size), dst);
  }
  /** dst.length elements from element `element` on. */
  async at(element: number, dst: Float64Array): Promise<void> {
    const size = this.decoder.dtype.size;
    this.decoder.decode(await this.source.at!(element * size, dst.length * size), dst);
  }
}

export interface ArrayRun {
  readonly source: NpySource;
  readonly kernel: Kernel;
  readonly out: ArrayOut;
  readonly name: string;
  readonly limits?: Limits;
  /** Element-wise over a file: what worker threads need to bind the kernel and read the file. */
  readonly parallel?: Omit<NpyWorkerData, 'dataOffset' | 'element'>;
}

export async function runArray(run: ArrayRun, geometry?: AxisGeometry): Promise<void> {
  if (run.kernel.kind === 'elementwise') await elementwise(run, run.kernel);
  else if (geometry!.rows) await alongRows(run, run.kernel, geometry!);
  else await bySlab(run, run.kernel, geometry!);
  await run.out.end();
}

async function elementwise(run: ArrayRun, kernel: ElementwiseKernel): Promise<void> {
  const { header } = run.source;
  const w = kernel.width;
  if (w !== undefined) {
    const last = header.shape.length === 0 ? 1 : header.shape[header.shape.length - 1];
    if (last !== w) throw new ActivError(`${run.name}: ${w} alpha values given but the last axis has ${last} elements`, 'data');
    if (header.fortran && header.shape.length > 1) {
      throw new ActivError(`${run.source.where}: ${run.name} with one alpha per element of the last axis needs a C-order array; this one is Fortran-order (np.ascontiguousarray)`, 'data');
    }
  }
  // Whole rows per chunk when a parameter varies along the last axis.
  const chunk = (run.limits ?? LIMITS).chunk;
  const step = w ? Math.max(w, Math.floor(chunk / w) * w) : chunk;
  const reader = new BlockReader(run.source);
  if (run.parallel && run.source.at && parallelWorthIt(header.dataBytes)) {
    const job = { ...run.parallel, dataOffset: header.dataOffset, element: header.dtype };
    const local = async (from: number, dst: Float64Array): Promise<void> => {
      await reader.at(from, dst);
      kernel.map(dst, dst, 0, dst.length);
    };
    return runParallel({ job, count: header.count, step, out: run.out, where: run.source.where, local });
  }
  const buf = new Float64Array(Math.min(step, Math.max(1, header.count)));
  for (let done = 0; done < header.count; ) {
    const k = Math.min(buf.length, header.count - done);
    await reader.next(buf.subarray(0, k));
    kernel.map(buf, buf, 0, k);
    await run.out.write(buf, k);
    done += k;
  }
}

async function alongRows(run: ArrayRun, kernel: AxisKernel, g: AxisGeometry): Promise<void> {
  const rows = Math.max(1, Math.floor((run.limits ?? LIMITS).chunk / Math.max(1, g.n)));
  const buf = new Float64Array(Math.max(1, rows * g.n));
  const out = g.m === g.n ? buf : new Float64Array(Math.max(1, rows * g.m));
  const reader = new BlockReader(run.source);
  for (let r = 0; r < g.outer; ) {
    const k = Math.min(rows, g.outer - r);
    await reader.next(buf.subarray(0, k * g.n));
    for (let i = 0; i < k; i++) kernel.vector(buf, i * g.n, 1, out, i * g.m, 1, g.n);
    await run.out.write(out, k * g.m);
    r += k;
  }
}

async function bySlab(run: ArrayRun, kernel: AxisKernel, g: AxisGeometry): Promise<void> {
  const size = g.n * g.inner;
  if (!g.random) {
    const buf = new Float64Array(Math.max(1, size));
    const out = new Float64Array(Math.max(1, g.m * g.inner));
    const reader = new BlockReader(run.source);
    for (let o = 0; o < g.outer; o++) {
      await reader.next(buf.subarray(0, size));
      for (let j = 0; j < g.inner; j++) kernel.vector(buf, j, g.inner, out, j, g.inner, g.n);
      await run.out.write(out, g.m * g.inner);
    }
    return;
  }
  for (let o = 0; o < g.outer; o++) await columnPasses({ ...run, kernel }, g, o * size);
}

/** One slab too big for memory: the kernel's column passes over its rows, read at their place. */
async function columnPasses(run: ArrayRun & { kernel: AxisKernel }, g: AxisGeometry, base: number): Promise<void> {
  const col = run.kernel.columns!(g.inner)!;
  const rows = Math.max(1, Math.floor((run.limits ?? LIMITS).chunk / g.inner));
  const buf = new Float64Array(rows * g.inner);
  const out = new Float64Array(rows * g.inner);
  const reader = new BlockReader(run.source);
  const eachBlock = async (f: (k: number) => Promise<void> | void): Promise<void> => {
    for (let r = 0; r < g.n; ) {
      const k = Math.min(rows, g.n - r);
      await reader.at(base + r * g.inner, buf.subarray(0, k * g.inner));
      await f(k);
      r += k;
    }
  };
  while (col.wantsPass()) {
    await eachBlock((k) => {
      for (let i = 0; i < k; i++) col.observe(buf, i * g.inner);
    });
    col.endPass();
  }
  await eachBlock(async (k) => {
    for (let i = 0; i < k; i++) col.emit(buf, i * g.inner, out, i * g.inner);
    await run.out.write(out, k * g.inner);
  });
}
