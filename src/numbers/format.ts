/**
 * Number formatting: the same text as String(x) (shortest digits that read back to the same
 * double, ties to the closer one, JS layout), except that -0 prints as "-0" so it reads back.
 *
 * formatNumberInto is the writer's hot path. String(x) costs ~300 ns per non-integer double in
 * V8 (string allocation, number-string cache, then encoding), so we compute the digits ourselves
 * and write ASCII straight into the output buffer.
 *
 * How the shortest digits are found without 64-bit integers: scale x to S = x * 10^p in
 * [1e16, 1e17) as an exact (or, outside 10^0..10^22, nearly exact) double-double P + E. The
 * 15-, 16- and 17-digit candidates are S rounded to multiples of 100, 10 and 1. A candidate
 * reads back to x iff its distance to S is below half an ulp of x scaled the same way (h), with
 * ties going to the even significand, as the parser does. Shortest = first level that works:
 *  - 15 digits: 15-digit decimals are >= 4.5 ulps apart, so at most one can read back to x, and
 *    it is the nearest one; any shorter answer is that one with zeros stripped.
 *  - 16, 17 digits: the nearest candidate reads back iff any does (the rounding interval is
 *    symmetric), and the nearest is what V8 prints. Powers of two have a lower half-interval
 *    half as wide, so both neighbours are always tested and the nearer one that reads back wins.
 * Exact ties and anything within the error margin of a decision go to String(x): they are
 * astronomically rare for real data, and that keeps every output byte-identical to String(x).
 */
import { formatFixed } from './fixed.js';
import {
  DD_MAX,
  DD_MIN,
  EXACT_POW10,
  EXACT_POW10_H,
  EXACT_POW10_L,
  POW10_HI,
  POW10_HI_H,
  POW10_HI_L,
  POW10_LO,
  POW10_ROUNDED,
  SPLITTER,
  ensurePow10Table,
} from './pow10.js';

/** Significant digits (--precision N), or digits after the point ({ decimals: N }, --decimals N). */
export type Digits = number | { readonly decimals: number };

/**
 * The text of x as activ writes it: String(x) except -0 -> "-0". With `precision` (significant
 * digits, 1..17 is the useful range; toPrecision's RangeError beyond 1..100) the value is first
 * rounded to that many digits (ties away from zero, as toPrecision does) and then written the
 * shortest way: String(Number(x.toPrecision(precision))). With { decimals }: formatFixed.
 */
export function formatNumber(x: number, precision?: Digits): string {
  if (typeof precision === 'object') return formatFixed(x, precision.decimals);
  if (x === 0) return 1 / x < 0 ? '-0' : '0';
  if (precision === undefined || x !== x || x === Infinity || x === -Infinity) return String(x);
  return String(Number(x.toPrecision(precision)));
}

// A scratch double viewed as two 32-bit words, to read exponent and significand bits.
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** Error margin (in units of the 17th digit) when 10^p is only known as a double-double:
 *  the real error is below 2^-46, so 2^-40 is safe and still makes fallbacks vanishingly rare. */
const INEXACT_MARGIN = 2 ** -40;

/**
 * Write formatNumber(x) as ASCII into out at pos; returns the position after it.
 * The caller guarantees at least 32 free bytes (the longest output, e.g.
 * "-2.2250738585072014e-308" or "-0.0000012345678901234567", is 25); bytes between the
 * returned position and pos + 32 may be overwritten (digits are written before trailing zeros
 * are trimmed).
 */
export function formatNumberInto(x: number, out: Uint8Array, pos: number): number {
  formatArg[0] = x;
  return formatArgInto(out, pos);
}

/**
 * The number formatArgInto writes. A double passed to a call that is not inlined is boxed (one
 * heap allocation per number): a hot loop stores it here instead and calls formatArgInto.
 */
export const formatArg = new Float64Array(1);

/** formatNumberInto(formatArg[0], out, pos). */
export function formatArgInto(out: Uint8Array, pos: number): number {
  let x = formatArg[0];
  if ((x | 0) === x) {
    // Small integers (also +0): most common cell in real data after plain doubles.
    if (x === 0) {
      if (1 / x < 0) out[pos++] = 45;
      out[pos] = 48;
      return pos + 1;
    }
    if (x < 0) {
      out[pos++] = 45;
      x = -x;
    }
    return writeUint(x, out, pos);
  }
  if (x !== x) {
    out[pos] = 78;
    out[pos + 1] = 97;
    out[pos + 2] = 78;
    return pos + 3;
  }
  if (x < 0) {
    out[pos++] = 45;
    x = -x;
  }
  if (x === Infinity) {
    // "Infinity"
    out[pos] = 73;
    out[pos + 1] = 110;
    out[pos + 2] = 102;
    out[pos + 3] = 105;
    out[pos + 4] = 110;
    out[pos + 5] = 105;
    out[pos + 6] = 116;
    out[pos + 7] = 121;
    return pos + 8;
  }
  // Integers below 2^53 are printed exactly; their digits are also the shortest ones.
  if (x < 9007199254740992 && Math.floor(x) === x) return writeUint(x, out, pos);
  arg[0] = x;
  return writeShortest(out, pos);
}

/** writeShortest's x: a double passed to a call that is not inlined is boxed (a heap allocation per number). */
const arg = new Float64Array(1);

/** Decimal digits of an integer 0 <= v < 2^53. */
function writeUint(v: number, out: Uint8Array, pos: number): number {
  if (v < 100000000) return writeSmall(v, out, pos);
  let hi = Math.floor(v / 100000000);
  let lo = v - hi * 100000000;
  if (lo < 0) {
    hi -= 1;
    lo += 100000000;
  }
  pos = writeSmall(hi, out, pos);
  write8(lo, out, pos);
  return pos + 8;
}

/** Decimal digits of an integer 0 <= v < 1e8 (int arithmetic only). */
function writeSmall(v: number, out: Uint8Array, pos: number): number {
  const n =
    v < 10000
      ? v < 100
        ? v < 10
          ? 1
          : 2
        : v < 1000
          ? 3
          : 4
      : v < 1000000
        ? v < 100000
          ? 5
          : 6
        : v < 10000000
          ? 7
          : 8;
  let i = pos + n;
  while (i > pos) {
    const q = (v / 10) | 0;
    out[--i] = 48 + v - q * 10;
    v = q;
  }
  return pos + n;
}

/** Exactly 8 digits (leading zeros kept) of 0 <= v < 1e8. */
function write8(v: number, out: Uint8Array, pos: number): void {
  for (let i = pos + 7; i >= pos; i--) {
    const q = (v / 10) | 0;
    out[i] = 48 + v - q * 10;
    v = q;
  }
}

/** String(x) byte by byte: for the rare cases the digit search leaves to V8. */
function writeFallback(x: number, out: Uint8Array, pos: number): number {
  const s = String(x);
  for (let i = 0; i < s.length; i++) out[pos + i] = s.charCodeAt(i);
  return pos + s.length;
}

/**
 * Shortest digits of a finite x > 0 that is not an integer below 2^53, then JS layout.
 * Cases it cannot settle exactly (extreme exponents, exact ties) are written via String(x).
 */
function writeShortest(out: Uint8Array, pos: number): number {
  const x = arg[0];
  f64[0] = x;
  const hw = u32[HI];
  const lw = u32[LO];
  const be = hw >>> 20; // x > 0, so no sign bit
  // Below ~1e-290 (and all subnormals) Dekker's products would underflow, above ~1e297 the
  // Veltkamp split of x would overflow: rare, leave those to V8.
  if (be < 60 || be > 2010) return writeFallback(x, out, pos);
  const e2 = be - 1023;
  // floor(log10(2^e2)), then one comparison to land on floor(log10(x)) (up to a rare fix below).
  let e10 = (e2 * 78913) >> 18;
  if (x >= POW10_ROUNDED[e10 + 331]) e10++;
  let p = 16 - e10;

  // S = x * 10^p = P + E, P an integer double in [1e16, 1e17], E the (nearly) exact rest.
  let P = 0;
  let E = 0;
  let margin = 0;
  let h = 0;
  // Half an ulp of x (x is normal here): a table, because building it from bits (a 32-bit store
  // read back as 64 bits) stalls store forwarding, ~10% of this function's time.
  let halfUlp = HALF_ULP[be];
  if (halfUlp === 0) halfUlp = HALF_ULP[be] = 2 ** (be - 1076); // filled as exponents are met (be >= 60 here)
  const cx = SPLITTER * x;
  const xh = cx - (cx - x);
  const xl = x - xh;
  for (let tries = 0; ; tries++) {
    if (tries === 2) return writeFallback(x, out, pos);
    if (p >= 0 && p <= 22) {
      const t = EXACT_POW10[p];
      const th = EXACT_POW10_H[p];
      const tl = EXACT_POW10_L[p];
      P = x * t;
      E = xh * th - P + xh * tl + xl * th + xl * tl;
      h = halfUlp * t;
      margin = 0;
    } else {
      if (p < DD_MIN || p > DD_MAX) return writeFallback(x, out, pos);
      ensurePow10Table();
      const i = p - DD_MIN;
      const t = POW10_HI[i];
      const th = POW10_HI_H[i];
      const tl = POW10_HI_L[i];
      P = x * t;
      E = xh * th - P + xh * tl + xl * th + xl * tl + x * POW10_LO[i];
      h = halfUlp * t;
      margin = INEXACT_MARGIN;
    }
    if (P < 1e16 || (P === 1e16 && E < 0)) p++;
    else if (P > 1e17 || (P === 1e17 && E >= 0)) p--;
    else break;
  }
  e10 = 16 - p;

  // P = Q*1000 + R exactly. Q*1000 itself may not be a double (needs 54+ bits), hence the
  // detour through Q*1024 (a shift) and Q*24 (small): each step's exact result is representable.
  let Q = Math.floor(P / 1000);
  let R = P - Q * 1024 + Q * 24;
  if (R < 0) {
    Q -= 1;
    R += 1000;
  } else if (R >= 1000) {
    Q += 1;
    R -= 1000;
  }
  const Ei = Math.floor(E);
  const Ef = E - Ei; // in [0, 1)
  if (margin !== 0 && (Ef < margin || Ef > 1 - margin)) return writeFallback(x, out, pos);
  // S = Q*1000 + Z + Ef with Z an integer in about [-16, 1016).
  const Z = (R + Ei) | 0;

  const even = (lw & 1) === 0;
  const pow2 = lw === 0 && (hw & 0xfffff) === 0;
  // Level by level (15, 16, 17 digits: S rounded to a multiple m of 100, 10, 1), test the
  // neighbours of S below (distance zl + Ef) and above (distance m - zl - Ef) against the
  // half-interval, split into integer and fraction parts so every comparison is exact.
  // Both inside: take the nearer. One inside: it is the nearer (or, for a power of two, the
  // only one that reads back). Exact equalities (boundary or midpoint) are left to V8.
  const hl = pow2 ? h * 0.5 : h;
  const Li = Math.floor(h);
  const Lf = h - Li;
  const Lt = 1 - Lf; // exact: Lf is a multiple of 2^-52, or h < 1 and Sterbenz applies
  const Lli = Math.floor(hl);
  const Llf = hl - Lli;
  const z100 = (Z + 1000) % 100; // Z >= -40, so the int32 remainder is >= 0
  let c = NONE;
  for (let m = 100; m > 0; m = m === 100 ? 10 : m === 10 ? 1 : 0) {
    const zl = m === 100 ? z100 : m === 10 ? z100 % 10 : 0;
    const zu = m - zl;
    // below: inside iff zl + Ef < hl
    const down =
      zl < Lli ? 1 : zl > Lli ? 0 : Ef < Llf - margin ? 1 : Ef > Llf + margin ? 0 : -1;
    // above: inside iff zu - Ef < h
    const up =
      zu <= Li
        ? zu < Li || Ef > margin || Lf > 0
          ? 1
          : -1
        : zu > Li + 1
          ? 0
          : Ef > Lt + margin
            ? 1
            : Ef < Lt - margin
              ? 0
              : -1;
    if (down < 0 || up < 0) {
      c = UNDECIDED;
      break;
    }
    if (down + up === 0) continue;
    if (down + up === 1) {
      c = down ? Z - zl : Z + zu;
      break;
    }
    // Both read back: the nearer one, i.e. compare Ef with the midpoint (m - 2 zl) / 2.
    const mid = (m - 2 * zl) * 0.5;
    if (Ef < mid - margin) c = Z - zl;
    else if (Ef > mid + margin) c = Z + zu;
    else c = UNDECIDED;
    break;
  }
  if (c <= NONE) return writeFallback(x, out, pos);

  // Digits of N = Q*1000 + c, N in [1e16, 1e17].
  if (c < 0) {
    Q -= 1;
    c += 1000;
  } else if (c >= 1000) {
    Q += 1;
    c -= 1000;
  }
  if (Q >= 100000000000000) {
    // Rounded up to 10^17: the digit 1, one decade up.
    Q = 10000000000000;
    e10 += 1;
  }
  let a = Math.floor(Q / 100000000);
  let b = Q - a * 100000000;
  if (b < 0) {
    a -= 1;
    b += 100000000;
  }
  // 17 digits: a has 6 (Q in [1e13, 1e14)), b 8, c 3. They are written straight into `out` at
  // the place the layout needs most of them, then the few leading ones are moved.
  const n = e10 + 1; // value = 0.d1d2...d17 * 10^n
  if (n > 0 && n <= 21) {
    write17(a, b, c, out, pos + 1);
    let end = pos + 18;
    while (out[end - 1] === 48) end--;
    const k = end - pos - 1;
    if (k <= n) {
      // An integer (>= 2^53 here): digits, then zeros up to n.
      for (let i = pos; i < end - 1; i++) out[i] = out[i + 1];
      end -= 1;
      for (let i = k; i < n; i++) out[end++] = 48;
      return end;
    }
    for (let i = pos; i < pos + n; i++) out[i] = out[i + 1];
    out[pos + n] = 46;
    return end;
  }
  if (n <= 0 && n > -6) {
    // 0.000ddd
    const base = pos + 2 - n;
    write17(a, b, c, out, base);
    out[pos] = 48;
    out[pos + 1] = 46;
    for (let i = pos + 2; i < base; i++) out[i] = 48;
    let end = base + 17;
    while (out[end - 1] === 48) end--;
    return end;
  }
  // d.ddde+XX
  write17(a, b, c, out, pos + 1);
  let end = pos + 18;
  while (out[end - 1] === 48) end--;
  out[pos] = out[pos + 1];
  if (end === pos + 2) end = pos + 1;
  else out[pos + 1] = 46;
  out[end++] = 101;
  let ex = n - 1;
  if (ex < 0) {
    out[end++] = 45;
    ex = -ex;
  } else out[end++] = 43;
  return writeSmall(ex, out, end);
}

/**
 * 2^(be - 1076): half an ulp of a normal double whose biased exponent is be, each entry computed
 * the first time it is needed: filling all 2046 at load took every run about 0.2 ms, 2046 calls
 * of ** twice that (issue 11: start-up).
 */
const HALF_ULP = new Float64Array(2048);

/** Pick results: no candidate at this level (NONE), or a case left to V8 (UNDECIDED). */
const NONE = -100000;
const UNDECIDED = -200000;

/** "00".."99" as ASCII pairs: half as many divisions, and short independent dependency chains. */
const PAIRS = new Uint8Array(200);
for (let i = 0; i < 100; i++) {
  PAIRS[2 * i] = 48 + ((i / 10) | 0);
  PAIRS[2 * i + 1] = 48 + (i % 10);
}

/** Exactly 4 digits of 0 <= v < 10000 at out[at..at+4). */
function write4(v: number, out: Uint8Array, at: number): void {
  const hi = (v / 100) | 0;
  const lo = v - hi * 100;
  out[at] = PAIRS[2 * hi];
  out[at + 1] = PAIRS[2 * hi + 1];
  out[at + 2] = PAIRS[2 * lo];
  out[at + 3] = PAIRS[2 * lo + 1];
}

/** Exactly 17 digits of a (6 digits), b (8), c (3) at out[at..at+17). */
function write17(a: number, b: number, c: number, out: Uint8Array, at: number): void {
  a |= 0;
  b |= 0;
  c |= 0;
  const a1 = (a / 10000) | 0;
  out[at] = PAIRS[2 * a1];
  out[at + 1] = PAIRS[2 * a1 + 1];
  write4(a - a1 * 10000, out, at + 2);
  const b1 = (b / 10000) | 0;
  write4(b1, out, at + 6);
  write4(b - b1 * 10000, out, at + 10);
  const c1 = (c / 100) | 0;
  const c0 = c - c1 * 100;
  out[at + 14] = 48 + c1;
  out[at + 15] = PAIRS[2 * c0];
  out[at + 16] = PAIRS[2 * c0 + 1];
}

/**
 * Does the candidate `zl + Ef` below S (distance in 17th-digit units) read back to x, given the
 * half-interval L? 1 yes, 0 no, -1 undecidable within the margin (exact ties get `even`).
 */
function insideDown(zl: number, Ef: number, L: number, margin: number, even: boolean): number {
  const Li = Math.floor(L);
  const D = zl - Li;
  if (D < 0) return 1;
  if (D > 0) return 0;
  const Lf = L - Li;
  if (Ef < Lf - margin) return 1;
  if (Ef > Lf + margin) return 0;
  return margin === 0 ? (even ? 1 : 0) : -1;
}

/** Same for the candidate above S, at distance zu - Ef. */
function insideUp(zu: number, Ef: number, L: number, margin: number, even: boolean): number {
  const Li = Math.floor(L);
  const D = zu - Li;
  const Lf = L - Li;
  if (D <= 0) {
    if (D < 0 || Ef > 0 || Lf > 0) return 1;
    return even ? 1 : 0;
  }
  if (D >= 2) return 0;
  const t = 1 - Lf; // exact: Lf's last bit is no finer than 2^-52
  if (Ef > t + margin) return 1;
  if (Ef < t - margin) return 0;
  return margin === 0 ? (even ? 1 : 0) : -1;
}
