/**
 * Error-free transformations and double-double helpers. Activations call these where one rounding
 * would be magnified afterwards (x - max before exp, x/sqrt(2) before erfc, sums of exponentials).
 * Results come back through DD.hi / DD.lo to avoid allocating a pair per element.
 */
import { exp } from './exp.js';

/** The last result: value = hi + lo exactly (or to about 106 bits for the dd ops). */
export const DD = { hi: 0, lo: 0 };

/** hi + lo = a + b exactly (Knuth's TwoSum). */
export function twoSum(a: number, b: number): void {
  const s = a + b;
  const bb = s - a;
  DD.hi = s;
  DD.lo = a - (s - bb) + (b - bb);
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's constant for doubles

/** hi + lo = a * b exactly (Dekker's TwoProduct; JavaScript has no fma). Assumes no overflow. */
export function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  DD.hi = p;
  DD.lo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (hi, lo) * (bh, bl) to about 106 bits. */
export function ddMul(hi: number, lo: number, bh: number, bl: number): void {
  twoProd(hi, bh);
  const p = DD.hi;
  const e = DD.lo + (hi * bl + lo * bh);
  const s = p + e;
  DD.lo = e - (s - p);
  DD.hi = s;
}

/** (hi, lo) + (bh, bl) to about 106 bits. */
export function ddAdd(hi: number, lo: number, bh: number, bl: number): void {
  twoSum(hi, bh);
  const s = DD.hi;
  const e = DD.lo + lo + bl;
  const r = s + e;
  DD.lo = e - (r - s);
  DD.hi = r;
}

/** (ah + al) / (bh + bl) as a double-double in DD. */
export function ddDiv(ah: number, al: number, bh: number, bl: number): void {
  const q = ah / bh;
  twoProd(q, bh);
  const q2 = (ah - DD.hi - DD.lo + al - q * bl) / bh;
  const s = q + q2;
  DD.lo = q2 - (s - q);
  DD.hi = s;
}

/**
 * (ah + al) / (bh + bl) rounded about once: the quotient of two double-doubles, so that a ratio
 * of error-free intermediates (x e^x over 1 + e^x) does not stack three roundings.
 */
export function divDD(ah: number, al: number, bh: number, bl: number): number {
  const q = ah / bh;
  if (q === 0) return q; // keeps the sign of a zero numerator
  if (!(Math.abs(q) < 1e300)) {
    // Dekker's split of q would overflow: divide a scaled copy (exact: a power of two)
    return q !== q || q === Infinity || q === -Infinity ? q : divDD(ah * 2 ** -64, al * 2 ** -64, bh, bl) * 2 ** 64;
  }
  twoProd(q, bh);
  return q + (ah - DD.hi - DD.lo + al - q * bl) / bh;
}

/**
 * (ah + al) / k for a positive integer k, as a double-double in DD. Huge numerators are scaled
 * by a power of two first so Dekker's split cannot overflow.
 */
export function ddDivInt(ah: number, al: number, k: number): void {
  const h = ah / k;
  if (Math.abs(ah) > 1e300) {
    const s = 2 ** -100;
    twoProd(h * s, k);
    DD.lo = ((ah * s - DD.hi - DD.lo) / s + al) / k;
  } else {
    twoProd(h, k);
    DD.lo = (ah - DD.hi - DD.lo + al) / k;
  }
  DD.hi = h;
}

/**
 * Neumaier-compensated running sum: the error of every addition is kept in `c`,
 * so a sum of n positive terms is off by about one rounding instead of n.
 */
export class CompensatedSum {
  s = 0;
  c = 0;
  add(x: number): void {
    const t = this.s + x;
    if (Math.abs(this.s) >= Math.abs(x)) this.c += this.s - t + x;
    else this.c += x - t + this.s;
    this.s = t;
  }
  get value(): number {
    return this.s + this.c;
  }
  reset(): void {
    this.s = 0;
    this.c = 0;
  }
}

// e^-700 as a double; scaling by it last keeps a subnormal result to one rounding.
const EXP_M700 = 9.85967654375977e-305;

/**
 * a * e^(t + tl) with t + tl a double-double exponent, rounded about once even when the result is
 * subnormal: below t = -700 the exponential is taken at t + 700 (exact by Sterbenz for t in
 * [-1400, -350], and representable beyond) and scaled back at the end.
 */
export function mulExp(a: number, t: number, tl = 0): number {
  if (t < -700) {
    const e = exp(t + 700);
    return a * (e + e * tl) * EXP_M700;
  }
  const e = exp(t);
  return a * (e + e * tl);
}
