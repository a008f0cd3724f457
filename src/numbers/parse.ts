/**
 * Number parsing with activ's strict syntax, correctly rounded (the same double as Number()).
 *
 * Accepted: [+-] digits [. digits] [(e|E) [+-] digits], with digits on at least one side of the
 * point (`1`, `-1.5`, `.5`, `5.`, `1e-3`, `1E+3`, `-0`), and the words nan, inf, infinity in any
 * case, optionally signed (a sign on nan is accepted because C's printf writes "-nan").
 * Rejected: empty text, surrounding whitespace, hex, `1,5`, `1_000`, trailing garbage, a lone
 * sign or point, an exponent without digits or without a mantissa (`e5`).
 *
 * Speed matters because parsing is half the program's cost. The byte scanner keeps up to 19
 * significant digits as two exact integers (15 digits + up to 4), then:
 *  - Clinger's fast path: a mantissa below 2^53 and |exp10| <= 22 is exact as a double, and so
 *    is 10^|exp10|, so one IEEE multiplication or division gives the correctly rounded result.
 *  - Otherwise (typically 16-17 digit shortest round-trip output of another program) the
 *    mantissa is formed exactly as a double-double, multiplied by 10^exp10 as a double-double
 *    (Dekker products, ~2^-100 relative error), and the sum is rounded once. If the error bound
 *    straddles a rounding boundary (halfway cases; probability ~2^-45 for arbitrary input) or the
 *    input has more than 19 significant digits or an extreme exponent, the text goes to Number()
 *    which is exact. Correctness never depends on the fast paths.
 */
import {
  DD_MAX,
  DD_MIN,
  EXACT_POW10,
  POW10_HI,
  POW10_HI_H,
  POW10_HI_L,
  POW10_LO,
  SPLITTER,
  ensurePow10Table,
} from './pow10.js';

const TWO53 = 9007199254740992;

/**
 * The value the last scanNumber read. A double returned from a call that is not inlined is boxed
 * (one heap allocation per number, then garbage collection); one stored in a typed array is not.
 */
export const scanned = new Float64Array(1);

/** The mantissa's first 15 digits for assemble: a double passed to a call that is not inlined is boxed too. */
const head = new Float64Array(1);

function put(v: number): true {
  scanned[0] = v;
  return true;
}

/**
 * Store (hi * 10^nlo + lo) * 10^e, sign applied, in scanned[0], where hi = head[0] < 10^15, lo < 10^nlo,
 * nlo <= 4 (the mantissa's first 15 and next nlo significant digits). false means "not decided
 * here, ask Number()".
 */
function assemble(nlo: number, lo: number, e: number, neg: boolean): boolean {
  const hi = head[0];
  let w = hi;
  if (nlo !== 0) {
    w = hi * EXACT_POW10[nlo];
    // Both tests are safe under rounding: a true value >= 2^53 never rounds below 2^53.
    if (w < TWO53) {
      w += lo;
      if (w >= TWO53) w = -1;
    } else w = -1;
  }
  if (w >= 0) {
    if (w === 0) return put(neg ? -0 : 0);
    // Clinger: w and 10^|e| exact, so one correctly rounded operation is the answer.
    if (e >= 0 && e <= 22) return put(neg ? -(w * EXACT_POW10[e]) : w * EXACT_POW10[e]);
    if (e < 0 && e >= -22) return put(neg ? -(w / EXACT_POW10[-e]) : w / EXACT_POW10[-e]);
  }
  // Result magnitude must stay well inside the normal range for Dekker's products to be exact.
  if (e < DD_MIN || e > DD_MAX - 20) return false;
  ensurePow10Table();
  // Mantissa W = wh + wl exactly (up to 19 digits < 2^64 fits in 106 bits).
  let wh: number;
  let wl: number;
  if (nlo === 0) {
    wh = hi;
    wl = 0;
  } else {
    const t = EXACT_POW10[nlo];
    const ph = hi * t;
    const c1 = SPLITTER * hi;
    const ah = c1 - (c1 - hi);
    const al = hi - ah;
    const c2 = SPLITTER * t;
    const bh = c2 - (c2 - t);
    const bl = t - bh;
    const pe = ah * bh - ph + ah * bl + al * bh + al * bl;
    // ph + lo as an exact sum (TwoSum), then fold in the product's error.
    const s = ph + lo;
    const bb = s - ph;
    const se = ph - (s - bb) + (lo - bb);
    wh = s;
    wl = se + pe;
  }
  const i = e - DD_MIN;
  const th = POW10_HI[i];
  const c = SPLITTER * wh;
  const ah = c - (c - wh);
  const al = wh - ah;
  const p = wh * th;
  const pe = ah * POW10_HI_H[i] - p + ah * POW10_HI_L[i] + al * POW10_HI_H[i] + al * POW10_HI_L[i];
  const rest = pe + wh * POW10_LO[i] + wl * th;
  // Total error is below ~2^-102 |p|; if p + rest rounds the same way at both ends of a
  // generous 2^-96 band, rounding is monotonic, so the exact value rounds that way too.
  const err = (p < 0 ? -p : p) * 1.262177448353619e-29; // 2^-96
  const r1 = p + (rest + err);
  const r2 = p + (rest - err);
  if (r1 !== r2) return false;
  return put(neg ? -r1 : r1);
}

/** Number() of a byte range known to hold valid ASCII number syntax (rare path). */
export function slowBytes(buf: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]);
  return Number(s);
}

let lastInvalid = false;

/**
 * True when the last parseNumberBytes call that returned NaN did so because the bytes are not a
 * number (as opposed to a NaN spelling such as "nan"). Only meaningful right after a NaN result:
 * valid numbers do not touch the flag, which keeps the hot path free of the store.
 */
export function parseNumberFailed(): boolean {
  return lastInvalid;
}

/** 'nan' / 'inf' / 'infinity' in any case at buf[i..end), or undefined. */
function wordBytes(buf: Uint8Array, i: number, end: number): number | undefined {
  const n = end - i;
  if (n === 3) {
    const a = buf[i] | 32;
    const b = buf[i + 1] | 32;
    const c = buf[i + 2] | 32;
    if (a === 110 && b === 97 && c === 110) return NaN; // nan
    if (a === 105 && b === 110 && c === 102) return Infinity; // inf
    return undefined;
  }
  if (n === 8) {
    // "infinity"
    if (
      (buf[i] | 32) === 105 &&
      (buf[i + 1] | 32) === 110 &&
      (buf[i + 2] | 32) === 102 &&
      (buf[i + 3] | 32) === 105 &&
      (buf[i + 4] | 32) === 110 &&
      (buf[i + 5] | 32) === 105 &&
      (buf[i + 6] | 32) === 116 &&
      (buf[i + 7] | 32) === 121
    )
      return Infinity;
  }
  return undefined;
}

function invalid(): number {
  lastInvalid = true;
  return NaN;
}

/**
 * The number that starts at buf[start] and ends at the first byte that cannot continue it (at
 * most `end`): one pass that finds a cell's end while parsing it, for the fast lane, which then
 * only checks that a separator or line end follows. Returns where it stopped, the value being in
 * scanned[0]; -1 when no number starts there (no digits, or an exponent without digits). The
 * word forms (nan, inf) are left to parseNumberBytes. Same syntax and the same double as
 * parseNumberBytes.
 */
export function scanNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  if (i >= end) return -1;
  let ch = buf[i];
  let neg = false;
  if (ch === 45 || ch === 43) {
    neg = ch === 45;
    if (++i >= end) return -1;
  }
  // Leading zeros (and the point among them) take no room in the mantissa.
  let zeros = 0;
  let point = -1; // digits before the point
  for (; i < end; i++) {
    const c = buf[i];
    if (c === 48) zeros++;
    else if (c === 46 && point < 0) point = zeros;
    else break;
  }
  // Then the significant digits: the first 15 into w (exact, < 10^15), the next 4 into lo; later
  // digits only matter if nonzero (then Number() decides). Four digits at a time where four are
  // there (one 32-bit word, checked and combined in SWAR arithmetic), one at a time otherwise.
  let w = 0;
  let ns = 0;
  let lo = 0;
  let nlo = 0;
  let dropped = 0;
  let truncated = false;
  for (;;) {
    // only after the point: an integer part is mostly a digit or two, and a word that holds the point fails
    while (point >= 0 && ns <= 11 && i + 4 <= end) {
      const v = buf[i] | (buf[i + 1] << 8) | (buf[i + 2] << 16) | (buf[i + 3] << 24);
      // all four bytes in '0'..'9': high nibble 3, and still 3 after adding 6
      if ((((v & 0xf0f0f0f0) ^ 0x30303030) | (((v + 0x06060606) & 0xf0f0f0f0) ^ 0x30303030)) !== 0) break;
      const d = v - 0x30303030;
      const pairs = (d * 10 + (d >>> 8)) & 0x00ff00ff;
      w = w * 10000 + ((pairs * 100 + (pairs >>> 16)) & 0xffff);
      ns += 4;
      i += 4;
    }
    if (i >= end) break;
    const d = buf[i] - 48;
    if (d >= 0 && d <= 9) {
      if (ns < 15) {
        w = w * 10 + d;
        ns++;
      } else if (nlo < 4) {
        lo = lo * 10 + d;
        nlo++;
      } else {
        dropped++;
        if (d !== 0) truncated = true;
      }
    } else if (d === -2 && point < 0) point = zeros + ns + nlo + dropped;
    else break;
    i++;
  }
  const kept = zeros + ns + nlo;
  const nDigits = kept + dropped;
  if (nDigits === 0) return -1;
  // value = digits kept * 10^(point - kept)
  let e = (point < 0 ? nDigits : point) - kept;
  if (i < end) {
    ch = buf[i];
    if (ch === 101 || ch === 69) {
      if (++i >= end) return -1;
      ch = buf[i];
      let eneg = false;
      if (ch === 45 || ch === 43) {
        eneg = ch === 45;
        if (++i >= end) return -1;
      }
      let x = 0;
      const expStart = i;
      for (; i < end; i++) {
        const d = buf[i] - 48;
        if (d < 0 || d > 9) break;
        if (x < 100000) x = x * 10 + d; // beyond that the value is 0 or Infinity anyway
      }
      if (i === expStart) return -1;
      e += eneg ? -x : x;
    }
  }
  head[0] = w;
  if (truncated || !assemble(nlo, lo, e, neg)) scanned[0] = slowBytes(buf, start, i);
  return i;
}

/**
 * Parse the ASCII bytes buf[start..end) as a number (strict syntax above).
 *
 * Returns the double. Text that is not a number returns NaN and sets the flag read by
 * parseNumberFailed(); so a caller tests `v !== v && parseNumberFailed()` to detect bad cells,
 * and pays nothing extra for the common, valid case. No allocation except on the rare
 * Number() fallback.
 */
export function parseNumberBytes(buf: Uint8Array, start: number, end: number): number {
  if (scanNumber(buf, start, end) === end) return scanned[0];
  // Not a number over the whole range: a word form (nan, inf, infinity, signed), or invalid.
  let i = start;
  const ch = buf[i];
  const neg = ch === 45;
  if (neg || ch === 43) i++;
  if (i < end) {
    const w = wordBytes(buf, i, end);
    if (w !== undefined) {
      lastInvalid = false;
      return neg ? -w : w;
    }
  }
  return invalid();
}

let scratch = new Uint8Array(64);

/**
 * parseNumberBytes for a JS string: the same syntax, by the same code; undefined when it is not
 * a number. The characters are copied into a scratch buffer (a non-ASCII one is never a number).
 */
export function parseNumber(s: string): number | undefined {
  const n = s.length;
  if (n > scratch.length) scratch = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127) return undefined;
    scratch[i] = c;
  }
  const v = parseNumberBytes(scratch, 0, n);
  return v !== v && parseNumberFailed() ? undefined : v;
}
