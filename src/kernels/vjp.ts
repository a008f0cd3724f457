/**
 * Vector-Jacobian products of the axis-wise activations: g = v^T J(x) along one vector, what
 * backpropagation computes. Each is a short formula over the activation's own output, with the
 * sums compensated (exact products, double-double accumulation) so every element is within a few
 * ulp of the largest term it is made of:
 *
 *   softmax      g_i = y_i (v_i - s),       s = sum_j y_j v_j
 *   softmin      g_i = -y_i (v_i - s),      y = softmax(-x)
 *   log_softmax  g_i = v_i - p_i sum_j v_j,  p = softmax(x)
 *   glu          g_a = v sigmoid(b),  g_b = v a sigmoid'(b)     (v has half the axis)
 *   sparsemax    g_i = v_i - mean of v over the support, 0 off it
 *
 * Rows the activation gives NaN for give NaN; infinite entries use the activation's limits
 * (softmax's y = 1/k at +Infinity, 0 at -Infinity) in the same formulas.
 */
import { DD, ddAdd, ddDiv, twoProd, twoSum } from './compensated.js';
import { sigmoid as sigmoidPrime } from './derivatives.js';
import { sigmoidTimes } from './elementwise.js';
import { softmaxVector, sparsemaxVector } from './axiswise.js';

/** A strided vector: values at data[offset + k * stride]. */
export interface Lane {
  data: Float64Array;
  offset: number;
  stride: number;
}

/** One product: the input x (n values), the cotangent v (the output's length) and where g goes (n values). */
export interface VjpRow {
  x: Lane;
  v: Lane;
  out: Lane;
  n: number;
}

let scratch = new Float64Array(64);

/** The activation's output for the row, contiguous, in a reused buffer. */
function output(row: VjpRow, activation: (s: Float64Array, so: number, ss: number, d: Float64Array, dso: number, ds: number, n: number) => void): Float64Array {
  if (scratch.length < row.n) scratch = new Float64Array(Math.max(row.n, 2 * scratch.length));
  activation(row.x.data, row.x.offset, row.x.stride, scratch, 0, 1, row.n);
  return scratch;
}

/** sum_k w[k] * v_k over the row, each product exact, accumulated as a double-double in DD. */
function weightedSum(w: Float64Array | undefined, v: Lane, n: number): void {
  let sh = 0;
  let sl = 0;
  for (let k = 0, i = v.offset; k < n; k++, i += v.stride) {
    if (w) twoProd(w[k], v.data[i]);
    else {
      DD.hi = v.data[i];
      DD.lo = 0;
    }
    const ph = DD.hi;
    const pl = DD.lo;
    ddAdd(sh, sl, ph, pl);
    sh = DD.hi;
    sl = DD.lo;
  }
  DD.hi = sh;
  DD.lo = sl;
}

/**
 * DD / sum_k y[k], both double-doubles: the rounded softmax sums to 1 only within its rounding,
 * and dividing by its own sum makes a constant cotangent give exactly 0 (as it does exactly).
 */
function normalised(y: Float64Array, n: number): void {
  const ah = DD.hi;
  const al = DD.lo;
  let sh = 0;
  let sl = 0;
  for (let k = 0; k < n; k++) {
    ddAdd(sh, sl, y[k], 0);
    sh = DD.hi;
    sl = DD.lo;
  }
  ddDiv(ah, al, sh, sl);
}

/** softmax (sign 1) and softmin (sign -1). */
export function softmaxVjp(sign: number, row: VjpRow): void {
  const { v, out, n } = row;
  const y = output(row, (s, so, ss, d, dso, ds, m) => softmaxVector(sign, s, so, ss, d, dso, ds, m));
  weightedSum(y, v, n);
  normalised(y, n);
  const sh = DD.hi;
  const sl = DD.lo;
  for (let k = 0, i = v.offset, o = out.offset; k < n; k++, i += v.stride, o += out.stride) {
    twoSum(v.data[i], -sh);
    const d = DD.hi + (DD.lo - sl);
    out.data[o] = sign * y[k] * d;
  }
}

export function logSoftmaxVjp(row: VjpRow): void {
  const { v, out, n } = row;
  const p = output(row, (s, so, ss, d, dso, ds, m) => softmaxVector(1, s, so, ss, d, dso, ds, m));
  weightedSum(undefined, v, n);
  normalised(p, n);
  const th = DD.hi;
  const tl = DD.lo;
  for (let k = 0, i = v.offset, o = out.offset; k < n; k++, i += v.stride, o += out.stride) {
    twoProd(p[k], th);
    const ph = DD.hi;
    const pl = DD.lo + p[k] * tl;
    twoSum(v.data[i], -ph);
    out.data[o] = DD.hi + (DD.lo - pl);
    if (p[k] !== p[k]) out.data[o] = NaN;
  }
}

export function gluVjp(row: VjpRow): void {
  const { x, v, out, n } = row;
  const h = n / 2;
  for (let k = 0, a = x.offset, b = x.offset + h * x.stride, i = v.offset, o = out.offset, ob = out.offset + h * out.stride; k < h; k++) {
    const vk = v.data[i];
    const ak = x.data[a];
    const bk = x.data[b];
    out.data[o] = sigmoidTimes(vk, bk);
    const s = sigmoidPrime(bk); // before twoProd: it works in DD too
    twoProd(vk, ak);
    out.data[ob] = DD.hi * s + DD.lo * s;
    a += x.stride;
    b += x.stride;
    i += v.stride;
    o += out.stride;
    ob += out.stride;
  }
}

export function sparsemaxVjp(row: VjpRow): void {
  const { v, out, n } = row;
  const p = output(row, sparsemaxVector);
  let sh = 0;
  let sl = 0;
  let size = 0;
  let nan = false;
  for (let k = 0, i = v.offset; k < n; k++, i += v.stride) {
    if (p[k] > 0) {
      ddAdd(sh, sl, v.data[i], 0);
      sh = DD.hi;
      sl = DD.lo;
      size++;
    } else if (p[k] !== p[k]) nan = true;
  }
  const mh = sh / size;
  twoProd(mh, size);
  const ml = (sh - DD.hi - DD.lo + sl) / size; // the mean as a double-double
  for (let k = 0, i = v.offset, o = out.offset; k < n; k++, i += v.stride, o += out.stride) {
    if (nan) out.data[o] = NaN;
    else if (p[k] > 0) {
      twoSum(v.data[i], -mh);
      out.data[o] = DD.hi + (DD.lo - ml);
    } else out.data[o] = 0;
  }
}
