/**
 * Powers of ten shared by the parser and the formatter.
 *
 * Both sides scale a number by 10^k and need that product to be either exact or known to about
 * 2^-104 relative, so that they can tell whether double rounding could have changed the answer.
 * JS has no 64/128-bit integers outside BigInt (which allocates, far too slow per value), so
 * instead of Eisel–Lemire / Ryu tables of 128-bit integers we keep each power of ten as a
 * "double-double" hi + lo: an unevaluated sum of two doubles carrying ~106 significant bits, and
 * multiply with Dekker's exact product (error-free transformation, no FMA needed).
 *
 * 10^0 .. 10^22 are exact doubles: that is what makes the Clinger fast path exact.
 */

/** Veltkamp splitter 2^27 + 1: splits a double into two 26-bit halves whose products are exact. */
export const SPLITTER = 134217729;

/** 10^0 .. 10^22, each exact, with their Veltkamp halves (so a Dekker product splits only x). */
export const EXACT_POW10 = new Float64Array(23);
export const EXACT_POW10_H = new Float64Array(23);
export const EXACT_POW10_L = new Float64Array(23);
for (let i = 0, v = 1; i < 23; i++, v *= 10) {
  EXACT_POW10[i] = v;
  const c = SPLITTER * v;
  EXACT_POW10_H[i] = c - (c - v);
  EXACT_POW10_L[i] = v - EXACT_POW10_H[i];
}

/** Range of the double-double table. Kept well inside the normal range so that Dekker's
 *  products neither overflow (hi * SPLITTER < 2^1024) nor lose their low parts to underflow
 *  (lo of 10^-290 is ~1e-306, still a normal double with all 53 bits). */
export const DD_MIN = -290;
export const DD_MAX = 300;

/** hi, the split halves of hi, and lo for 10^k at index k - DD_MIN. Filled on first use: the
 *  BigInt work costs a few milliseconds, which `activ sigmoid 0` should not pay. */
export const POW10_HI = new Float64Array(DD_MAX - DD_MIN + 1);
export const POW10_HI_H = new Float64Array(DD_MAX - DD_MIN + 1);
export const POW10_HI_L = new Float64Array(DD_MAX - DD_MIN + 1);
export const POW10_LO = new Float64Array(DD_MAX - DD_MIN + 1);
let ddReady = false;

/** Scale a double by 2^-s exactly, in steps so that no intermediate power of two underflows. */
function scaleDown(v: number, s: number): number {
  while (s > 600) {
    v *= 2 ** -600;
    s -= 600;
  }
  return v * 2 ** -s;
}

/** Fill the double-double table (idempotent). Call before touching POW10_HI/LO. */
export function ensurePow10Table(): void {
  if (ddReady) return;
  for (let k = DD_MIN; k <= DD_MAX; k++) {
    let hi: number;
    let lo: number;
    if (k >= 0) {
      const v = 10n ** BigInt(k);
      hi = Number(v);
      lo = Number(v - BigInt(hi));
    } else {
      // 10^k = 2^-s * (2^s / 10^-k); with s chosen so the quotient has >= 120 bits, truncating it
      // costs < 2^-120 relative, far below what the double-double keeps.
      const d = 10n ** BigInt(-k);
      const s = Math.ceil(-k * 3.3219280948873626) + 124;
      const q = (1n << BigInt(s)) / d;
      const hq = Number(q);
      hi = scaleDown(hq, s);
      lo = scaleDown(Number(q - BigInt(hq)), s);
    }
    const i = k - DD_MIN;
    POW10_HI[i] = hi;
    POW10_LO[i] = lo;
    const c = SPLITTER * hi;
    const h = c - (c - hi);
    POW10_HI_H[i] = h;
    POW10_HI_L[i] = hi - h;
  }
  ddReady = true;
}

/** Correctly rounded 10^k for k in [-330, 310] (index k + 330), for magnitude comparisons. */
export const POW10_ROUNDED = new Float64Array(641);
for (let k = -330; k <= 310; k++) POW10_ROUNDED[k + 330] = Number(`1e${k}`);
