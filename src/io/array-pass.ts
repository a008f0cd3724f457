/**
 * One array through a kernel's value step in constant memory, from ArrayValues to an ArrayOut.
 * The step says where the array may be cut; nothing here asks what kind of kernel it is.
 *
 * A Fortran-order array of shape S is the C-order array of shape reverse(S) with its axes
 * reversed, so everything below works on a C-order view: outer x n x inner around the axis.
 * - runs that may be cut anywhere (element-wise): chunks of 128 Ki elements in storage order,
 *   whole rows of `width` when a parameter varies along the last axis; on worker threads when
 *   the values offer it;
 * - whole vectors along the last axis (inner = 1): blocks of whole rows, read in order;
 * - other axes: one slab (n x inner) at a time, in memory when it is at most 2 Mi elements (LIMITS);
 *   a bigger slab goes through the step's column passes (per-column state only), reading the slab
 *   again for each pass at its place (each pass's values held to the first's by a checksum).
 */
import { ActivError } from '../errors.js';
import { resolveAxis, type ValueStep } from '../tensor.js';
import { Checksum } from './checksum.js';
import { fileChanged } from './passes.js';
import type { ArrayOut, ArrayShape, ArrayValues } from './arrays.js';

/** How much a run holds: elements per chunk, and per slab held whole. */
export interface Limits {
  readonly chunk: number;
  readonly slab: number;
}
/** 1 MiB of float64 per chunk; slabs of up to 16 MiB of float64 in memory. */
export const LIMITS: Limits = { chunk: 1 << 17, slab: 1 << 21 };

/** Whole vectors around an axis, over the C-order view. */
export interface AxisGeometry {
  readonly outer: number;
  readonly n: number;
  readonly inner: number;
  /** Output length along the axis. */
  readonly m: number;
  /** Whole rows read in order (the last axis of a C-order array, rows that fit a chunk). */
  readonly rows: boolean;
}

/** How an array goes through a step. */
export interface ArrayWalk {
  /** The output's shape (as stored in the header: logical order). */
  readonly outShape: readonly number[];
  /** Needs reads at an element's place (a slab too big for memory, with column passes). */
  readonly random: boolean;
  /** Set when the step takes whole vectors; runs cut anywhere else. */
  readonly axis?: AxisGeometry;
}

export interface PassPlan {
  readonly step: ValueStep;
  /** The activation's name, for messages. */
  readonly name: string;
  readonly limits?: Limits;
}

/** How an array goes through the step, or a data error for an axis out of range. */
export function planWalk(plan: PassPlan, array: ArrayShape): ArrayWalk {
  const { step, name } = plan;
  const { shape, fortran } = array;
  if (!step.wholeVectors) return { outShape: shape, random: false };
  const limits = plan.limits ?? LIMITS;
  if (name === 'softmax' && shape.length === 1) {
    // Keras refuses this, as the JSON path does; same words, same fix.
    throw new ActivError('softmax: Cannot apply softmax to a tensor that is 1D. Give a 2-D array (x[None, :]) or the values as one CSV/text row', 'data');
  }
  const axis = resolveAxis(step.axis, shape.length, name);
  const m = step.outLength(shape[axis]);
  const outShape = shape.slice();
  outShape[axis] = m;
  const c = fortran ? shape.slice().reverse() : shape;
  const ca = fortran ? shape.length - 1 - axis : axis;
  const prod = (a: readonly number[]): number => a.reduce((x, y) => x * y, 1);
  const outer = prod(c.slice(0, ca));
  const n = c[ca];
  const inner = prod(c.slice(ca + 1));
  const rows = inner === 1 && n <= limits.chunk;
  const random = !rows && n * inner > limits.slab && step.columns(1) !== undefined;
  return { outShape, random, axis: { outer, n, inner, m, rows } };
}

/** The values read and the results written. */
export interface PassEnds {
  readonly values: ArrayValues;
  readonly out: ArrayOut;
}

/** The array through the step as `walk` says, then the output ended. */
export async function passArray(plan: PassPlan, walk: ArrayWalk, ends: PassEnds): Promise<void> {
  const g = walk.axis;
  if (!g) await inRuns(plan, ends);
  else if (g.rows) await alongRows(plan, g, ends);
  else if (!walk.random) await bySlab(plan, g, ends);
  else for (let o = 0; o < g.outer; o++) await columnPasses({ plan, g, base: o * g.n * g.inner }, ends);
  await ends.out.end();
}

async function inRuns(plan: PassPlan, ends: PassEnds): Promise<void> {
  const { step, name } = plan;
  const { values, out } = ends;
  const w = step.width;
  if (w !== undefined) {
    const last = values.shape.length === 0 ? 1 : values.shape[values.shape.length - 1];
    if (last !== w) throw new ActivError(`${name}: ${w} alpha values given but the last axis has ${last} elements`, 'data');
    if (values.fortran && values.shape.length > 1) {
      throw new ActivError(`${values.where}: ${name} with one alpha per element of the last axis needs a C-order array; this one is Fortran-order (np.ascontiguousarray)`, 'data');
    }
  }
  // Whole rows per chunk when a parameter varies along the last axis.
  const chunk = (plan.limits ?? LIMITS).chunk;
  const length = w ? Math.max(w, Math.floor(chunk / w) * w) : chunk;
  if (values.inRanges && values.at) {
    const at = values.at;
    const local = async (from: number, dst: Float64Array): Promise<void> => {
      await at(from, dst);
      step.run(dst, 0, dst.length);
    };
    return values.inRanges({ length, out, local });
  }
  const buf = new Float64Array(Math.min(length, Math.max(1, values.count)));
  for (let done = 0; done < values.count; ) {
    const k = Math.min(buf.length, values.count - done);
    await values.next(buf.subarray(0, k));
    step.run(buf, 0, k);
    await out.write(buf, k);
    done += k;
  }
}

async function alongRows(plan: PassPlan, g: AxisGeometry, ends: PassEnds): Promise<void> {
  const rows = Math.max(1, Math.floor((plan.limits ?? LIMITS).chunk / Math.max(1, g.n)));
  const buf = new Float64Array(Math.max(1, rows * g.n));
  const res = g.m === g.n ? buf : new Float64Array(Math.max(1, rows * g.m));
  const row = { values: buf, from: 0, n: g.n }; // one object moved along, not one per row
  for (let r = 0; r < g.outer; ) {
    const k = Math.min(rows, g.outer - r);
    await ends.values.next(buf.subarray(0, k * g.n));
    for (let i = 0; i < k; i++) {
      row.from = i * g.n;
      plan.step.vectorInto(row, res, i * g.m);
    }
    await ends.out.write(res, k * g.m);
    r += k;
  }
}

async function bySlab(plan: PassPlan, g: AxisGeometry, ends: PassEnds): Promise<void> {
  const size = g.n * g.inner;
  const buf = new Float64Array(Math.max(1, size));
  const res = new Float64Array(Math.max(1, g.m * g.inner));
  const column = { values: buf, offset: 0, stride: g.inner, n: g.n };
  for (let o = 0; o < g.outer; o++) {
    await ends.values.next(buf.subarray(0, size));
    for (let j = 0; j < g.inner; j++) {
      column.offset = j;
      plan.step.strided(column, res);
    }
    await ends.out.write(res, g.m * g.inner);
  }
}

/** One slab too big for memory: the step's column passes over its rows, read at their place. */
async function columnPasses(slab: { plan: PassPlan; g: AxisGeometry; base: number }, ends: PassEnds): Promise<void> {
  const { plan, g, base } = slab;
  const col = plan.step.columns(g.inner)!;
  const rows = Math.max(1, Math.floor((plan.limits ?? LIMITS).chunk / g.inner));
  const buf = new Float64Array(rows * g.inner);
  const res = new Float64Array(rows * g.inner);
  const at = ends.values.at!;
  // Every pass must read the same values: a file changed in place between passes would mix two
  // files' statistics into silently wrong output, so each pass's checksum is held to the first's.
  let first: string | undefined;
  const eachBlock = async (f: (k: number) => Promise<void> | void): Promise<void> => {
    const sum = new Checksum();
    for (let r = 0; r < g.n; ) {
      const k = Math.min(rows, g.n - r);
      await at(base + r * g.inner, buf.subarray(0, k * g.inner));
      sum.update(new Uint8Array(buf.buffer, 0, k * g.inner * 8));
      await f(k);
      r += k;
    }
    const d = sum.digest();
    if ((first ??= d) !== d) throw fileChanged(ends.values.where);
  };
  while (col.wantsPass()) {
    await eachBlock((k) => {
      for (let i = 0; i < k; i++) col.observe(buf, i * g.inner);
    });
    col.endPass();
  }
  await eachBlock(async (k) => {
    for (let i = 0; i < k; i++) col.emit(buf, i * g.inner, res, i * g.inner);
    await ends.out.write(res, k * g.inner);
  });
}
