/**
 * Floating-point dtypes narrower than the double: rounding to them, their bit patterns, the
 * distance between two values in their units in the last place, and the shortest decimal that
 * reads back to a value in them (NumPy's repr digits, activ's layout).
 *
 * Every dtype value is also a double, so values stay in Float64Arrays; only rounding, bits and
 * formatting know the dtype. Rounding is done once, straight from the double, to nearest with
 * ties to even, with IEEE overflow to Infinity and gradual underflow (subnormals).
 */
import { formatNumber, type Digits } from './format.js'; // Digits: seam (shell, #14)

export type Dtype = 'float64' | 'float32' | 'float16' | 'bfloat16';

export const DTYPES: readonly Dtype[] = ['float64', 'float32', 'float16', 'bfloat16'];

/** A binary format: p significand bits (the implicit one included), smallest normal exponent. */
interface Binary {
  readonly p: number;
  readonly emin: number;
  /** Values at least this large in magnitude round to Infinity (the midpoint above the largest finite, which ties up). */
  readonly overflow: number;
  /** Significand digits that always suffice to read a value back (the dtype's max_digits10). */
  readonly maxDigits: number;
}

const BINARY: Record<Exclude<Dtype, 'float64'>, Binary> = {
  float32: { p: 24, emin: -126, overflow: (2 - 2 ** -24) * 2 ** 127, maxDigits: 9 },
  float16: { p: 11, emin: -14, overflow: 65520, maxDigits: 5 },
  bfloat16: { p: 8, emin: -126, overflow: (2 - 2 ** -8) * 2 ** 127, maxDigits: 4 },
};

export function isDtype(s: string): s is Dtype {
  return (DTYPES as readonly string[]).includes(s);
}

// A scratch double viewed as two 32-bit words (exponent bits, and float64 ulp distances).
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** 2^k for an integer -1022 <= k <= 1023, exactly, from its bits. */
function pow2(k: number): number {
  u32[HI] = (k + 1023) << 20;
  u32[LO] = 0;
  return f64[0];
}

/** Adding and subtracting 2^52 rounds a double below 2^51 to an integer, ties to even. */
const ROUNDER = 2 ** 52;

/** x rounded to the binary format b: once, to nearest, ties to even. */
function roundBinary(x: number, b: Binary): number {
  const a = Math.abs(x);
  if (a !== a || a === Infinity || a === 0) return x;
  if (a >= b.overflow) return x < 0 ? -Infinity : Infinity;
  f64[0] = a;
  // Subnormal doubles are far below every dtype's smallest subnormal: the max() sends them to 0.
  const e = Math.max(((u32[HI] >>> 20) & 0x7ff) - 1023, b.emin);
  // q = 2^(e - p + 1) is the spacing of the dtype at a; a / q < 2^p, an exact double.
  // (The shift stays within -121..133 for these dtypes, so 2^shift is a normal double.)
  const shift = b.p - 1 - e;
  const n = a * pow2(shift) + ROUNDER - ROUNDER;
  const r = n * pow2(-shift);
  return x < 0 ? -r : r;
}

/** x as a value of the dtype holds it (the identity for float64). */
export function roundTo(x: number, dtype: Dtype): number {
  if (dtype === 'float64') return x;
  if (dtype === 'float32') return Math.fround(x);
  return roundBinary(x, BINARY[dtype]);
}

/** Round every value of src[start, end) into dst (which may be src). */
export function roundArray(src: Float64Array, dst: Float64Array, start: number, end: number, dtype: Dtype): void {
  if (dtype === 'float64') {
    if (dst !== src) dst.set(src.subarray(start, end), start);
    return;
  }
  if (dtype === 'float32') {
    for (let i = start; i < end; i++) dst[i] = Math.fround(src[i]);
    return;
  }
  const b = BINARY[dtype];
  for (let i = start; i < end; i++) dst[i] = roundBinary(src[i], b);
}

// ---------------------------------------------------------------------------------------------
// Bits of the 16-bit dtypes (for .npy and other binary files)

/** float16 bits (an integer 0..0xffff) of x rounded to float16. NaN is 0x7e00 (NumPy's, sign kept). */
export function toFloat16Bits(x: number): number {
  if (x !== x) return 0x7e00;
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(roundBinary(x, BINARY.float16));
  if (a === Infinity) return sign | 0x7c00;
  if (a < 2 ** -14) return sign | (a * 2 ** 24); // subnormal (or zero): the count of 2^-24
  f64[0] = a;
  const e = ((u32[HI] >>> 20) & 0x7ff) - 1023;
  const frac = (a / pow2(e) - 1) * 1024;
  return sign | ((e + 15) << 10) | frac;
}

/** The value of float16 bits (0..0xffff). */
export function fromFloat16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const e = (bits >>> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (e === 0x1f) return frac ? NaN : sign * Infinity;
  if (e === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * pow2(e - 15);
}

const f32 = new Float32Array(1);
const f32u = new Uint32Array(f32.buffer);

/** bfloat16 bits (0..0xffff) of x rounded to bfloat16: the upper half of the float32 bits. */
export function toBfloat16Bits(x: number): number {
  if (x !== x) return 0x7fc0;
  f32[0] = roundBinary(x, BINARY.bfloat16); // exact: every bfloat16 is a float32
  return f32u[0] >>> 16;
}

/** The value of bfloat16 bits (0..0xffff). */
export function fromBfloat16Bits(bits: number): number {
  f32u[0] = (bits & 0xffff) << 16;
  return f32[0];
}

// ---------------------------------------------------------------------------------------------
// Distance in units in the last place

/**
 * The position of a dtype value x on the line of all values of the dtype: 0 for +-0, n for the
 * n-th value above zero, -n below; Infinity is one past the largest finite value. For float64
 * the position is only approximate above 2^53 (distances that large are reported as they come).
 */
function position(x: number, dtype: Dtype): number {
  const a = Math.abs(x);
  let n: number;
  if (dtype === 'float64') {
    f64[0] = a;
    n = u32[HI] * 4294967296 + u32[LO];
  } else if (dtype === 'float32') {
    f32[0] = a;
    n = f32u[0];
  } else if (dtype === 'float16') n = toFloat16Bits(a);
  else n = toBfloat16Bits(a);
  return x < 0 ? -n : n;
}

/**
 * How many values of the dtype lie between a and b (0 when equal, 1 for neighbours), counting
 * through zero (+0 and -0 are the same place). Both are rounded to the dtype first. NaN when the
 * two cannot be compared that way: exactly one is NaN, or they have opposite signs and neither is
 * zero (a sign mismatch). Two NaNs are 0 apart.
 */
export function ulpDistance(a: number, b: number, dtype: Dtype): number {
  if (a !== a || b !== b) return a !== a && b !== b ? 0 : NaN;
  const x = roundTo(a, dtype);
  const y = roundTo(b, dtype);
  if ((x < 0 && y > 0) || (x > 0 && y < 0)) return NaN;
  if (dtype !== 'float64') return Math.abs(position(x, dtype) - position(y, dtype));
  // float64: subtract word by word so distances below 2^53 are exact.
  f64[0] = Math.abs(x);
  const xh = u32[HI];
  const xl = u32[LO];
  f64[0] = Math.abs(y);
  // Same side of zero here (or one is zero): the difference of the magnitudes' bit patterns.
  return Math.abs((xh - u32[HI]) * 4294967296 + (xl - u32[LO]));
}

// ---------------------------------------------------------------------------------------------
// Shortest decimal per dtype

/** Does the decimal text read back (parse to the double, round to the dtype) to x? */
function readsBack(text: string, x: number, b: Binary): boolean {
  return roundBinary(Number(text), b) === x;
}

/** The k-digit decimal one unit in the last place above the k-digit decimal d (d > 0). */
function nextDecimalUp(d: string, k: number): string {
  const v = Number(d);
  const exp = Number(v.toExponential(k - 1).split('e')[1]);
  // 10^(exp-k+1) may be inexact; toPrecision(k) snaps the sum back onto k digits.
  return (v + 10 ** (exp - k + 1)).toPrecision(k);
}

/** The k-digit decimal one unit in the last place below the k-digit decimal d (d > 0). */
function nextDecimalDown(d: string, k: number): string {
  const v = Number(d);
  const exp = Number(v.toExponential(k - 1).split('e')[1]);
  return (v - 10 ** (exp - k + 1)).toPrecision(k);
}

/** Is a exactly halfway between two k-digit decimals (its exact expansion is k+1 digits ending in 5)? */
function isDecimalTie(a: number, k: number): boolean {
  // Cheap test first: the (k+1)-digit rounding must end in 5 and read back as a itself.
  const t = a.toPrecision(k + 1);
  if (t.split('e')[0].slice(-1) !== '5' || Number(t) !== a) return false;
  // Values of these dtypes have at most ~110 significant digits and are never within 1e-99
  // (relative) of a short decimal without being equal to it, so 100 digits decide exactly.
  const digits = a.toExponential(99).split('e')[0].replace('.', '');
  return /^0*$/.test(digits.slice(k + 1));
}

/** Last significant digit of a toPrecision text is even. */
const evenLast = (d: string): boolean => Number(d.split('e')[0].slice(-1)) % 2 === 0;

/**
 * The k-digit decimal that stands for a > 0 in b, or undefined when no k-digit decimal reads
 * back: the nearest one, an exact tie to the even last digit (as NumPy's Dragon4 does).
 */
function candidate(a: number, k: number, b: Binary): string | undefined {
  const d = a.toPrecision(k);
  if (readsBack(d, a, b)) {
    // toPrecision breaks a tie upwards; NumPy takes the even one of the two.
    if (evenLast(d) || !isDecimalTie(a, k)) return d;
    const down = nextDecimalDown(d, k);
    return readsBack(down, a, b) ? down : d;
  }
  // At a power of two the interval below is half as wide as the one above: the nearest
  // k-digit decimal can fall outside below while the next one up still reads back.
  if (Number(d) < a) {
    const up = nextDecimalUp(d, k);
    if (readsBack(up, a, b)) return up;
  }
  return undefined;
}

/**
 * Shortest digits of a > 0, a value of b, as a toPrecision text: the fewest digits that read
 * back. Some k-digit decimal reads back iff candidate() finds one, and every k-digit decimal is
 * also a (k+1)-digit one, so "k digits suffice" is monotone in k: binary search over 1..maxDigits.
 */
function shortestText(a: number, b: Binary): string {
  let lo = 1;
  let hi = b.maxDigits;
  let best: string | undefined;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const c = candidate(a, mid, b);
    if (c === undefined) lo = mid + 1;
    else {
      hi = mid;
      best = c;
    }
  }
  // Never tested when every shorter length failed: max_digits10 digits always read back.
  return best ?? candidate(a, hi, b) ?? a.toPrecision(hi);
}

/**
 * The shortest decimal (fewest significant digits; the nearest to x among those) that reads back
 * to x in the dtype, written as activ writes numbers (String(x)'s layout, -0 as "-0"). A value
 * that is not one of the dtype's (not rounded first) is written as a double.
 */
export function formatShortest(x: number, dtype: Dtype): string {
  if (dtype === 'float64' || x === 0 || x !== x || x === Infinity || x === -Infinity) return formatNumber(x);
  const b = BINARY[dtype];
  if (roundTo(x, dtype) !== x) return formatNumber(x);
  const d = Number(shortestText(Math.abs(x), b));
  // d has at most 9 digits, so String() of its double gives back the same digits.
  return formatNumber(x < 0 ? -d : d);
}

/**
 * A number as the writers print it: --precision digits or --decimals when given (the value is
 * already in the dtype), else the shortest decimal for the dtype.
 */
export function formatNumberAs(x: number, opt: { readonly precision?: Digits; readonly dtype?: Dtype }): string {
  if (opt.precision !== undefined || opt.dtype === undefined || opt.dtype === 'float64') return formatNumber(x, opt.precision);
  return formatShortest(x, opt.dtype);
}
