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
import { ActivError } from '../errors.js';
import { DD, ddAdd, twoProd, twoSum } from './compensated.js';
import { sigmoidTimes } from './elementwise.js';

/** exp(v - m) with the rounding of v - m corrected to first order; 0 for v = -Infinity. */
export function expShift(v: number, m: number): number {
  if (v === -Infinity) return 0;
  twoSum(v, -m);
  const e = Math.exp(DD.hi);
  return e + e * DD.lo;
}

/** (v - m) - L with v - m kept exact until the last rounding. */
export function logShift(v: number, m: number, L: number): number {
  if (v === -Infinity) return -Infinity;
  twoSum(v, -m);
  return DD.hi - L + DD.lo;
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

let sumS = 0;
let sumC = 0;
/** Neumaier summation, inlined state so the hot loop allocates nothing. */
function addTerm(x: number): void {
  const t = sumS + x;
  if (Math.abs(sumS) >= Math.abs(x)) sumC += sumS - t + x;
  else sumC += x - t + sumS;
  sumS = t;
}

export function softmaxVector(sign: number, src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(sign, src, so, ss, n);
  if (degenerate(st, false, sign, src, so, ss, dst, dso, ds, n)) return;
  const m = st.max;
  sumS = 0;
  sumC = 0;
  for (let k = 0, i = so, o = dso; k < n; k++, i += ss, o += ds) {
    const e = expShift(sign * src[i], m);
    dst[o] = e; // dst may be src: each input is read once, before its slot is written
    addTerm(e);
  }
  const s = sumS + sumC;
  for (let k = 0, o = dso; k < n; k++, o += ds) dst[o] /= s;
}

export function logSoftmaxVector(sign: number, src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(sign, src, so, ss, n);
  if (degenerate(st, true, sign, src, so, ss, dst, dso, ds, n)) return;
  const m = st.max;
  sumS = 0;
  sumC = 0;
  let skipped = false;
  for (let k = 0, i = so; k < n; k++, i += ss) {
    const v = sign * src[i];
    if (!skipped && v === m) skipped = true; // one copy of the maximum contributes the 1 in 1 + T
    else addTerm(expShift(v, m));
  }
  const L = Math.log1p(sumS + sumC);
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
 * Sums and tau are double-doubles, so z - tau rounds once even when it cancels.
 */
export function sparsemaxVector(src: Float64Array, so: number, ss: number, dst: Float64Array, dso: number, ds: number, n: number): void {
  const st = scan(1, src, so, ss, n);
  if (degenerate(st, false, 1, src, so, ss, dst, dso, ds, n)) return;
  if (scratch.length < n) scratch = new Float64Array(Math.max(n, 2 * scratch.length));
  const z = scratch.subarray(0, n);
  for (let k = 0, i = so; k < n; k++, i += ss) z[k] = src[i];
  z.sort(); // ascending: z[n-1] is the largest
  let sh = 0;
  let sl = 0;
  let k = 0;
  for (; k < n; k++) {
    const zk = z[n - 1 - k];
    ddAdd(sh, sl, zk, 0);
    const th = DD.hi;
    const tl = DD.lo;
    // 1 + (k+1) z_k > sum, decided on double-doubles
    twoProd(k + 1, zk);
    ddAdd(DD.hi, DD.lo, 1, 0);
    ddAdd(DD.hi, DD.lo, -th, -tl);
    if (!(DD.hi > 0 || (DD.hi === 0 && DD.lo > 0))) break;
    sh = th;
    sl = tl;
  }
  // tau = (sum - 1) / k as a double-double
  ddAdd(sh, sl, -1, 0);
  const ah = DD.hi;
  const al = DD.lo;
  const tauH = ah / k;
  twoProd(tauH, k);
  const tauL = (ah - DD.hi - DD.lo + al) / k;
  for (let j = 0, i = so, o = dso; j < n; j++, i += ss, o += ds) {
    const p = src[i] - tauH - tauL;
    dst[o] = p > 0 ? p : 0;
  }
}
