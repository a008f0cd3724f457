/**
 * Axes for both renderers: the y extent of the sampled values, round tick steps (1, 2 or 5
 * times a power of ten), the ticks inside a range, their labels, and the linear map from data to
 * a pixel or dot coordinate.
 */
import type { Curve } from './sample.js';

export interface Range {
  readonly lo: number;
  readonly hi: number;
}

/** A step of 1, 2 or 5 times a power of ten giving about `target` intervals over `span`. */
export function niceStep(span: number, target: number): number {
  const raw = span / Math.max(1, target);
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

/** The multiples of `step` inside [lo, hi] (a hair of slack for rounding). */
export function ticksIn(range: Range, step: number): number[] {
  const slack = step * 1e-9;
  const first = Math.ceil((range.lo - slack) / step);
  const last = Math.floor(Math.min(Number.MAX_VALUE, range.hi + slack) / step); // hi + slack may overflow
  const out: number[] = [];
  for (let i = first; i <= last; i++) out.push(i * step === 0 ? 0 : i * step);
  return out;
}

/** The finite values' least and greatest; [-1, 1] when there are none. */
export function extentOf(curves: readonly Curve[]): Range {
  let lo = Infinity;
  let hi = -Infinity;
  for (const c of curves) {
    for (const y of c.y) {
      if (!Number.isFinite(y)) continue;
      if (y < lo) lo = y;
      if (y > hi) hi = y;
    }
  }
  return lo <= hi ? { lo, hi } : { lo: -1, hi: 1 };
}

/** The range with a little room above and below (4% of its span), so no curve runs along the frame; a flat range gets more. */
export function paddedRange(range: Range): Range {
  const span = range.hi - range.lo;
  const pad = span > 1e-12 * Math.max(1, Math.abs(range.lo)) ? 0.04 * span : Math.max(1, Math.abs(range.lo) / 2);
  const lo = range.lo - pad;
  const hi = range.hi + pad;
  // values near the largest double: no room to pad without overflowing to infinity
  return Number.isFinite(hi - lo) ? { lo, hi } : range;
}

/** A short label: 12 significant digits at most, so 3 * 0.1 reads 0.3. */
export function tickLabel(v: number): string {
  const s = String(Number(v.toPrecision(12)));
  return s === '-0' ? '0' : s;
}

/** from -> to, linearly: lo to a, hi to b. */
export function scaler(range: Range, a: number, b: number): (v: number) => number {
  const k = (b - a) / (range.hi - range.lo);
  return (v) => a + (v - range.lo) * k;
}
