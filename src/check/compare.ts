/**
 * The comparison behind `activ check`: another implementation's results against the exact values
 * rounded to a dtype, in units in the last place of that dtype. Pure: arrays in, a report out.
 */
import { ulpDistance, type Dtype } from '../numbers/dtype.js';

/** Histogram bins by ulp distance, then the values that cannot be measured in ulps. */
export const BINS = ['0', '1', '2', '3-4', '5-16', '17-256', 'more', 'NaN or sign'] as const;
export type Bin = (typeof BINS)[number];

export interface Discrepancy {
  /** Flat position in the result, and the same as an index per axis. */
  readonly flat: number;
  readonly index: readonly number[];
  /** The input value at that position (element-wise), or undefined when the shapes differ (glu). */
  readonly input?: number;
  readonly expected: number;
  readonly got: number;
  /** Ulps apart; undefined for a NaN or sign mismatch. */
  readonly ulp?: number;
}

export interface CheckReport {
  readonly dtype: Dtype;
  readonly tolerance: number;
  readonly compared: number;
  /** Largest and mean distance over the values measurable in ulps (NaN and sign mismatches aside). */
  readonly maxUlp: number;
  readonly meanUlp: number;
  readonly histogram: Readonly<Record<Bin, number>>;
  /** Values beyond the tolerance, mismatches included. */
  readonly beyond: number;
  readonly pass: boolean;
  /** The worst positions, worst first (mismatches before any distance, then by distance, then position). */
  readonly worst: readonly Discrepancy[];
}

export interface ComparePlan {
  readonly expected: Float64Array;
  readonly got: Float64Array;
  /** The result's shape (for indices). */
  readonly shape: readonly number[];
  /** The inputs, when each result has the input at the same position; else undefined. */
  readonly inputs?: Float64Array;
  readonly dtype: Dtype;
  /** Largest distance in ulps that passes. */
  readonly tolerance: number;
  /** How many of the worst positions to keep. */
  readonly keep: number;
}

export function binOf(ulp: number | undefined): Bin {
  if (ulp === undefined) return 'NaN or sign';
  if (ulp <= 2) return ulp === 0 ? '0' : ulp === 1 ? '1' : '2';
  if (ulp <= 4) return '3-4';
  if (ulp <= 16) return '5-16';
  if (ulp <= 256) return '17-256';
  return 'more';
}

/** Index per axis of a flat (row-major) position. */
export function unflatten(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    index[a] = flat % shape[a];
    flat = Math.floor(flat / shape[a]);
  }
  return index;
}

/** Worse first: mismatches, then larger distances, then the earlier position. */
function worse(a: { ulp?: number; flat: number }, b: { ulp?: number; flat: number }): number {
  const da = a.ulp ?? Infinity;
  const db = b.ulp ?? Infinity;
  return da !== db ? db - da : a.flat - b.flat;
}

export function compare(plan: ComparePlan): CheckReport {
  const { expected, got, dtype, tolerance, keep } = plan;
  if (expected.length !== got.length) throw new Error('compare: expected and got differ in length');
  const histogram = Object.fromEntries(BINS.map((b) => [b, 0])) as Record<Bin, number>;
  let max = 0;
  let sum = 0;
  let measured = 0;
  let beyond = 0;
  // The kept worst ones, sorted worst first; `floor` is the least bad of them once full.
  let top: { flat: number; ulp?: number }[] = [];
  for (let i = 0; i < expected.length; i++) {
    const d = ulpDistance(expected[i], got[i], dtype);
    const ulp = d === d ? d : undefined;
    histogram[binOf(ulp)]++;
    if (ulp !== undefined) {
      measured++;
      sum += ulp;
      if (ulp > max) max = ulp;
    }
    if (ulp === undefined || ulp > tolerance) beyond++;
    if (ulp === 0 || keep === 0) continue;
    const cand = { flat: i, ulp };
    if (top.length < keep || worse(cand, top[top.length - 1]) < 0) {
      top.push(cand);
      top.sort(worse);
      if (top.length > keep) top = top.slice(0, keep);
    }
  }
  const worst = top.map(({ flat, ulp }) => ({
    flat,
    index: unflatten(flat, plan.shape),
    input: plan.inputs?.[flat],
    expected: expected[flat],
    got: got[flat],
    ulp,
  }));
  return {
    dtype,
    tolerance,
    compared: expected.length,
    maxUlp: max,
    meanUlp: measured ? sum / measured : 0,
    histogram,
    beyond,
    pass: beyond === 0,
    worst,
  };
}
