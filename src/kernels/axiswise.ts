/**
 * Axis-wise activations: each output depends on a whole vector along one axis. The vector
 * functions take (offset, stride, length) so one loop serves rows, columns and any tensor axis.
 *
 * Accuracy: exp(x - max) magnifies the rounding of x - max by |x - max|, so the shift is kept as
 * a double-double (TwoSum) and its low part fed back as a first-order correction; sums of
 * exponentials are compensated. log_softmax never takes log(softmax): it is (x - max) - log1p(T)
 * where T sums every term but one copy of the maximum, which keeps tiny results such as
 * log_softmax([-745, -744, -700])[2] = -1.06e-19.
 *
 * Rows with NaN give NaN; +Infinity entries share the mass equally (the limit); a row of only
 * -Infinity has no limit and gives NaN.
 */
import { exp } from './exp.js';
import { ActivError } from '../errors.js';
import { CompensatedSum, DD, ddAdd, ddDivInt, ddMul, twoSum } from './compensated.js';
import { sigmoidTimes } from './elementwise.js';

/** exp(v - m) with the rounding of v - m corrected to first order; 0 for v = -Infinity. */
export function expShift(v: number, m: number): number {
  if (v === -Infinity) return 0;
  twoSum(v, -m);
  const e = exp(DD.hi);
  return e === 0 ? 0 : e + e * DD.lo; // v - m may overflow to -Infinity, leaving lo NaN
}

/**
 * (v - m) - L with v - m kept exact until the last rounding, written -(L - (v - m)) so that at the
 * maximum with L = +0 (other terms too small to register) the result is the -0 it rounds to.
 */
export function logShift(v: number, m: number, L: number): number {
  if (v === -Infinity) return -Infinity;
  twoSum(v, -m);
  if (DD.hi === -Infinity) return -Infinity;
  return -(L - DD.hi - DD.lo);
}

/**
 * log1p of the sum of the other terms; -0 when there are none, so that a row whose maximum is its
 * only finite entry gives exactly +0 there.
 */
export function logNormaliser(sumOthers: number, hasOthers: boolean): number {
  return hasOthers ? Math.log1p(sumOthers) : -0;
}


/** Row statistics shared by the softmax family. `sign` -1 turns softmax into softmin. */
interface Stats {
  max: number;
  nan: boolean;
  posInf: number;
}
const stats: Stats = { max: -Infinity, nan: false, posInf: 0 };

function scan(sign: number, src: Float64Array, so: number, ss: number, n: number): Stats {
  let m = -Infinity;
  let nan = false;
  let posInf = 0;
  for (let k = 0, i = so; k < n; k++, i += ss) {
    const v = sign * src[i];
    if (v > m) m = v;
    else if (v !== v) nan = true;
    if (v === Infinity) posInf++;
  }
  stats.max = m;
  stats.nan = nan;
  stats.posInf = posInf;
  return stats;
}

function fill(dst: Float64Array, dso: number, ds: number, n: number, value: number): void {
  for (let k = 0, i = dso; k < n; k++, i += ds) dst[i] = value;
}

/**
 * Outputs that need no arithmetic: NaN rows, all -Infinity rows, rows with +Infinity.
 * Returns true when it has written the row.
 */
function degenerate(st: Stats, log: boolean, sign: number, src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): boolean {
  if (st.nan || st.max === -Infinity) {
    fill(dst, dso, ds, n, NaN);
    return true;
  }
  if (st.posInf > 0) {
    const share = log ? -Math.log(st.posInf) : 1 / st.posInf;
    const rest = log ? -Infinity : 0;
    for (let k = 0, i = so, o = dso; k < n; k++, i += ss, o += ds) dst[o] = sign * src[i] === Infinity ? share : rest;
    return true;
  }
  return false;
}

/** The compensated sum of log_softmax's terms; one per module, reset for each vector. */
const terms = new CompensatedSum();

export function softmaxVector(sign: number, src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(sign, src, so, ss, n);
  if (degenerate(st, false, sign, src, so, ss, dst, dso, ds, n)) return;
  const m = st.max;
  let s = 0;
  let c = 0;
  // expShift and Neumaier's sum, inlined: this loop is the whole cost of softmax along rows
  for (let k = 0, i = so, o = dso; k < n; k++, i += ss, o += ds) {
    const v = sign * src[i];
    let e = 0;
    if (v !== -Infinity) {
      const d = v - m;
      const b = d - v;
      const e0 = exp(d);
      if (e0 !== 0) e = e0 + e0 * (v - (d - b) + (-m - b));
    }
    dst[o] = e; // dst may be src: each input is read once, before its slot is written
    const t = s + e;
    c += s >= e ? s - t + e : e - t + s; // both are >= 0
    s = t;
  }
  s += c;
  for (let k = 0, o = dso; k < n; k++, o += ds) dst[o] /= s;
}

export function logSoftmaxVector(sign: number, src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(sign, src, so, ss, n);
  if (degenerate(st, true, sign, src, so, ss, dst, dso, ds, n)) return;
  const m = st.max;
  terms.reset();
  let skipped = false;
  let others = false;
  for (let k = 0, i = so; k < n; k++, i += ss) {
    const v = sign * src[i];
    if (!skipped && v === m) skipped = true; // one copy of the maximum contributes the 1 in 1 + T
    else {
      if (v !== -Infinity) others = true;
      terms.add(expShift(v, m));
    }
  }
  const L = logNormaliser(terms.value, others);
  for (let k = 0, i = so, o = dso; k < n; k++, i += ss, o += ds) dst[o] = logShift(sign * src[i], m, L);
}

export function gluOutLength(n: number): number {
  if (n % 2 !== 0) {
    throw new ActivError(`glu: the axis has ${n} elements, an odd number; glu splits it into two equal halves`, 'data');
  }
  return n / 2;
}

/** a * sigmoid(b) for the two halves a, b of the vector. */
export function gluVector(src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const h = gluOutLength(n);
  for (let k = 0, i = so, j = so + h * ss, o = dso; k < h; k++, i += ss, j += ss, o += ds) {
    dst[o] = sigmoidTimes(src[i], src[j]);
  }
}

let scratch = new Float64Array(64);

/**
 * Sparsemax (Martins & Astudillo 2016): sort descending, support size
 * k = max{k : 1 + k z_k > z_1 + ... + z_k}, tau = (z_1 + ... + z_k - 1) / k, p = max(z - tau, 0).
 * The support test uses the equivalent sum of gaps D_k = sum_{j<k} (z_j - z_k) < 1, whose terms
 * are all >= 0 (no cancellation, no overflow of k z_k). Values are shifted by the maximum m as
 * double-doubles (sparsemax is shift-invariant; the shifted support lies in (-1, 0], so sums
 * cannot overflow), tau is a double-double, and p = (z - m) - tau rounds about once.
 */
export function sparsemaxVector(src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(1, src, so, ss, n);
  if (degenerate(st, false, 1, src, so, ss, dst, dso, ds, n)) return;
  const m = st.max;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const z = scratch.subarray(0, n);
  for (let k = 0, i = so; k < n; k++, i += ss) z[k] = src[i];
  z.sort(); // ascending: z[n-1] is the largest
  let sh = 0; // sum of (z_j - m) over the support, z_1 - m being 0
  let sl = 0;
  // The support test sum_j j*(z_j - z_j+1) < 1 in double-double: in doubles 1 - 1e-323 rounds to 1
  // and drops an element whose own result is then positive (the column passes, which iterate to
  // tau exactly, keep it).
  let gh = 0;
  let gl = 0;
  let k = 1;
  for (; k < n; k++) {
    const zk = z[n - 1 - k];
    twoSum(z[n - k], -zk);
    ddMul(DD.hi, DD.lo, k, 0);
    ddAdd(gh, gl, DD.hi, DD.lo);
    gh = DD.hi;
    gl = DD.lo;
    if (!(gh < 1 || (gh === 1 && gl < 0))) break;
    twoSum(zk, -m);
    ddAdd(sh, sl, DD.hi, DD.lo);
    sh = DD.hi;
    sl = DD.lo;
  }
  ddAdd(sh, sl, -1, 0);
  ddDivInt(DD.hi, DD.lo, k);
  sparsemaxEmit(src, so, ss, dst, dso, ds, n, m, DD.hi, DD.lo);
}

/** p = max((v - m) - tau, 0) over a vector, tau = tauH + tauL relative to the maximum m. */
function sparsemaxEmit(src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number, m: number, tauH: number, tauL: number): void {
  for (let j = 0, i = so, o = dso; j < n; j++, i += ss, o += ds) dst[o] = sparsemaxAt(src[i], m, tauH, tauL);
}

export function sparsemaxAt(v: number, m: number, tauH: number, tauL: number): number {
  twoSum(v, -m);
  const p = DD.hi - tauH + (DD.lo - tauL); // v - m overflowing to -Infinity leaves lo NaN: p is not > 0
  return p > 0 ? p : 0;
}
