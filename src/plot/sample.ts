/**
 * The points a plot draws: an even grid over the range with every curve's kinks (and the doubles
 * either side of each) added, and each curve's values from its own kernel over that grid. One
 * grid serves all curves, so the points also form one table (--to csv).
 */
import type { ElementwiseKernel } from '../kernels/spec.js';

export interface GridPlan {
  readonly lo: number;
  readonly hi: number;
  /** Points of the even grid, at least 2; kinks come on top. */
  readonly count: number;
  readonly kinks: readonly number[];
}

export interface CurveSource {
  readonly label: string;
  readonly kernel: ElementwiseKernel;
  readonly kinks: readonly number[];
}

export interface Curve {
  readonly label: string;
  readonly y: Float64Array;
}

export interface Samples {
  readonly x: Float64Array;
  readonly curves: readonly Curve[];
}

const BITS = new DataView(new ArrayBuffer(8));

/** The next double above x (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  BITS.setFloat64(0, x);
  const bits = BITS.getBigInt64(0);
  BITS.setBigInt64(0, x > 0 ? bits + 1n : bits - 1n);
  return BITS.getFloat64(0);
}

export const nextDown = (x: number): number => -nextUp(-x);

/**
 * lo, hi, count-2 evenly spaced points between, and each kink inside [lo, hi] with its two
 * neighbouring doubles: a jump (thresholded_relu at theta) then shows as the vertical step it is,
 * and a corner sits on a sample. Sorted, no repeats, -0 read as 0.
 */
export function sampleGrid(plan: GridPlan): Float64Array {
  const { lo, hi } = plan;
  const n = Math.max(2, plan.count);
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(i === n - 1 ? hi : lo + (hi - lo) * (i / (n - 1)));
  for (const k of plan.kinks) {
    for (const x of [nextDown(k), k, nextUp(k)]) if (x >= lo && x <= hi) xs.push(x);
  }
  xs.sort((a, b) => a - b);
  const out: number[] = [];
  for (const x of xs) if (out.length === 0 || x !== out[out.length - 1]) out.push(x === 0 ? 0 : x);
  return Float64Array.from(out);
}

/** Every curve on one grid made from the plan and all the curves' kinks. */
export function sampleCurves(sources: readonly CurveSource[], plan: Omit<GridPlan, 'kinks'>): Samples {
  const x = sampleGrid({ ...plan, kinks: sources.flatMap((s) => s.kinks) });
  const curves = sources.map((s) => {
    const y = new Float64Array(x.length);
    s.kernel.map(x, y, 0, x.length);
    return { label: s.label, y };
  });
  return { x, curves };
}
