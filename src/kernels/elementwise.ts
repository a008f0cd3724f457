/**
 * Element-wise activations as scalar functions of x (and their parameters). Each is accurate to
 * about one ulp over all doubles: the comments name the trap each formula avoids. NaN propagates
 * everywhere, including through the piecewise ones where a comparison alone would swallow it.
 */
import { exp } from './exp.js';
import { DD, ddAdd, ddDivInt, ddMul, divDD, mulExp, twoProd, twoSum } from './compensated.js';
import { erfcDD } from './special.js';

export const linear = (x: number): number => x;
export const exponential = exp;
export const tanh = Math.tanh;

/** Keras's relu, in the order Keras executes it: threshold, then clip to max_value, then the leak. */
export function relu(x: number, alpha: number, maxValue: number | null, threshold: number): number {
  if (x !== x) return x;
  let y = x > threshold ? x : 0;
  if (maxValue !== null) y = y > maxValue ? maxValue : y > 0 ? y : 0; // the clip also turns -0 into 0
  // with threshold 0 the leak starts at -0, so relu(-0, alpha) = -0 as alpha*x gives
  if (alpha !== 0 && (x < threshold || (threshold === 0 && x === 0))) {
    // threshold 0 leaks exactly alpha*x (keeping the sign of an underflow); otherwise
    // alpha*(threshold - x), as Keras computes it.
    const leak = threshold === 0 ? alpha * x : -(alpha * (threshold - x));
    y = y === 0 ? leak : y + leak;
  }
  return y;
}

export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x; // NaN falls through both tests
}

/** Exactly 0 for x < 0, so -0 maps to +0 as it does for relu. */
export const relu6 = (x: number): number => (x > 0 ? (x > 6 ? 6 : x) : x === x ? 0 : x);
export const hardTanh = (x: number): number => clip(x, -1, 1);

/** x if x > 0 else alpha*x; prelu is the same with alpha per channel. -0 stays -0 (the limit from the left). */
export function leakyRelu(x: number, alpha: number): number {
  if (x > 0) return x;
  if (x === -Infinity && alpha === 0) return 0; // the limit; 0 * -Infinity would be NaN
  return alpha * x;
}

export function thresholdedRelu(x: number, theta: number): number {
  return x > theta ? x : x === x ? 0 : x;
}

export function threshold(x: number, t: number, value: number): number {
  return x > t ? x : x === x ? value : x;
}

// expm1 keeps the digits of exp(x) - 1 near 0, where exp(x) - 1 would cancel to nothing.
export function elu(x: number, alpha: number): number {
  return x > 0 ? x : alpha * Math.expm1(x);
}

const SELU_SCALE = 1.0507009873554805;
const SELU_SCALE_ALPHA = 1.7580993408473768; // scale*alpha rounded once, not the product of two rounded constants

export function selu(x: number): number {
  return x > 0 ? SELU_SCALE * x : SELU_SCALE_ALPHA * Math.expm1(x);
}

export function celu(x: number, alpha: number): number {
  if (x > 0) return x;
  // below |x/alpha| = 2^-54, alpha*expm1(x/alpha) rounds to x, and x/alpha may already have underflowed
  if (Math.abs(x) < 5.551115123125783e-17 * Math.abs(alpha)) return x;
  return alpha * Math.expm1(x / alpha);
}

/**
 * 1 / (1 + e^-x). One formula for both signs: a branch on the sign costs more than the math on
 * random data (mispredictions). Below -36, 1 + e^-x would round away the 1 and e^-x overflow
 * past 709, so the tail is e^x itself, correctly rounded into the subnormals.
 */
export function sigmoid(x: number): number {
  return x < -36 ? exp(x) : 1 / (1 + exp(-x));
}

/** log(1 + e^x): both tails handled, no overflow for large x. */
export function softplus(x: number): number {
  if (x > 0) return x + Math.log1p(exp(-x));
  return Math.log1p(exp(x));
}

export const logSigmoid = (x: number): number => -softplus(-x);

export function softsign(x: number): number {
  if (x === Infinity) return 1;
  if (x === -Infinity) return -1;
  return x / (1 + Math.abs(x));
}

/**
 * a * sigmoid(b), the shared core of silu and glu. Below b = -40, 1 + e^b rounds to 1 and e^b may
 * be subnormal: a * e^b is then scaled so it rounds once.
 */
export function sigmoidTimes(a: number, b: number): number {
  if (b >= 0) {
    twoSum(1, exp(-b));
    return divDD(a, 0, DD.hi, DD.lo);
  }
  if (b < -40) return mulExp(a, b);
  const e = exp(b);
  twoSum(1, e);
  const dh = DD.hi;
  const dl = DD.lo;
  twoProd(a, e);
  return divDD(DD.hi, DD.lo, dh, dl);
}

export function silu(x: number): number {
  return x === -Infinity ? -0 : sigmoidTimes(x, x);
}

/** (x + 2.5) / 5 is 0.2x + 0.5 with one rounding less, and exact near the corners. */
export function hardSigmoid(x: number): number {
  if (x <= -2.5) return 0;
  if (x >= 2.5) return 1;
  return (x + 2.5) / 5;
}

/** x (x + 3) / 6 with the product kept exact, so the division rounds once. */
export function hardSilu(x: number): number {
  if (x <= -3) return x === x ? 0 : x;
  if (x >= 3 || x === 0) return x; // x = -0 keeps its sign
  twoProd(x, x + 3);
  return divDD(DD.hi, DD.lo, 6, 0);
}

const INV_SQRT2_HI = 0.7071067811865476;
const INV_SQRT2_LO = -4.833646656726457e-17;
const INV_SQRT_2PI = 0.3989422804014327;

/**
 * Exact gelu, x * Phi(x) with Phi(x) = erfc(-x/sqrt 2) / 2. The argument is kept as a
 * double-double: erfc's tail magnifies an argument's rounding by about 2u^2.
 */
export function geluExact(x: number): number {
  if (x !== x || x > 40) return x; // Phi(x) rounds to 1 above 40 (and x/sqrt 2 would overflow near MAX)
  if (x < -37) return geluFarTail(x);
  twoProd(-x, INV_SQRT2_HI);
  return 0.5 * x * erfcDD(DD.hi, DD.lo + -x * INV_SQRT2_LO);
}

/**
 * Below -37 the result is subnormal or nearly so: x*Phi(x) = -phi(x) * S(x) with the asymptotic
 * series S = 1 - 1/x^2 + 3/x^4 - ..., phi scaled up by e^700 and back down in one last rounding.
 */
function geluFarTail(x: number): number {
  if (x < -40) return -0; // |x*Phi(x)| < 2^-1075 from here on
  const r = 1 / (x * x);
  const s = 1 - r * (1 - r * (3 - r * (15 - r * (105 - r * (945 - r * (10395 - r * 135135))))));
  twoProd(x, x);
  // -x^2/2 as -hi/2 - lo/2; the series and 1/sqrt(2 pi) scale a normal number before the final rounding.
  return mulExp(-INV_SQRT_2PI * s, -0.5 * DD.hi, -0.5 * DD.lo);
}

const GELU_C_HI = 1.5957691216057308; // 2*sqrt(2/pi)
const GELU_C_LO = -9.96930880911092e-17;
const GELU_K_HI = 0.044715;
const GELU_K_LO = 2.1960211427085595e-18;

/** w = 2 sqrt(2/pi) (x + 0.044715 x^3) as a double-double in DD (|x| <= 1e30). */
export function geluTanhArgument(x: number): void {
  twoProd(x, x);
  ddMul(DD.hi, DD.lo, x, 0);
  ddMul(DD.hi, DD.lo, GELU_K_HI, GELU_K_LO);
  ddAdd(DD.hi, DD.lo, x, 0);
  ddMul(DD.hi, DD.lo, GELU_C_HI, GELU_C_LO);
}

/**
 * The tanh form: 0.5x(1 + tanh(z)) = x * sigmoid(2z), z = sqrt(2/pi)(x + 0.044715x^3). 2z is
 * built as a double-double because exp magnifies its rounding by |2z| on the negative side.
 */
export function geluTanh(x: number): number {
  if (x !== x) return x;
  if (x > 1e30) return x;
  if (x < -1e30) return -0;
  geluTanhArgument(x);
  const wh = DD.hi;
  const wl = DD.lo;
  if (wh >= 0) {
    const e = exp(-wh);
    twoSum(1, e - e * wl);
    return divDD(x, 0, DD.hi, DD.lo);
  }
  if (wh < -40) return mulExp(x, wh, wl);
  const e = exp(wh);
  const ee = e + e * wl;
  twoSum(1, ee);
  const dh = DD.hi;
  const dl = DD.lo;
  twoProd(x, ee);
  return divDD(DD.hi, DD.lo, dh, dl);
}

/**
 * x * tanh(softplus(x)) = x * n / (n + 2) with n = 2e^x + e^2x: no tanh of a rounded softplus,
 * no overflow (n is only formed where it is finite). The ratio is taken on double-doubles, so
 * exp's error and one final rounding are all that remain.
 */
export function mish(x: number): number {
  if (x !== x) return x;
  if (x > 40 || x === 0) return x; // 2/n < 2^-110; x = -0 keeps its sign
  if (x === -Infinity) return -0;
  if (x < -40) return mulExp(x, x); // n + 2 rounds to 2 and 2e^x + e^2x to 2e^x
  const e = exp(x);
  twoProd(e, e);
  ddAdd(e, 0, 0.5 * DD.hi, 0.5 * DD.lo); // n/2 = e^x + e^2x/2, so n/(n + 2) = g/(1 + g)
  return timesRatio(x, DD.hi, DD.lo);
}

/** x g / (1 + g) for g = gh + gl, on double-doubles: one rounding at the end. */
function timesRatio(x: number, gh: number, gl: number): number {
  ddAdd(gh, gl, 1, 0);
  const dh = DD.hi;
  const dl = DD.lo;
  ddMul(gh, gl, x, 0);
  return divDD(DD.hi, DD.lo, dh, dl);
}

export function softShrink(x: number, t: number): number {
  return x > t ? x - t : x < -t ? x + t : x === x ? 0 : x;
}

export function hardShrink(x: number, t: number): number {
  return x > t || x < -t ? x : x === x ? 0 : x;
}

// x coth x - 1 = sum c_n x^(2n), radius pi; 30 terms reach 2^-60 for |x| < 1.6.
const COTH_SERIES = [
  0.3333333333333333, -0.022222222222222223, 0.0021164021164021165, -0.00021164021164021165,
  2.1377799155576935e-5, -2.1644042808063972e-6, 2.1925947851873778e-7, -2.2214608789979678e-8,
  2.2507846516808994e-9, -2.2805151204592183e-10, 2.3106432599002624e-11, -2.3411706819824882e-12,
  2.3721017400233653e-13, -2.4034415333307705e-14, 2.4351954029183367e-15, -2.4673688045172075e-16,
  2.499967277122081e-17, -2.532996435740635e-18, 2.566461970282629e-19, -2.6003696460137274e-20,
  2.63472530441538e-21, -2.669534864157395e-22, 2.704804322109031e-23, -2.7405397543699514e-24,
  2.7767473173164437e-25, -2.813433248661879e-26, 2.8506038685312917e-27, -2.8882655805501746e-28,
  2.926424872947676e-29, -2.9650883196743643e-30,
];

/**
 * x - tanh(x) without Math.tanh (V8's is off by up to 2 ulp, and x - tanh x cancels near 0).
 * |x| < 1.6: with g = x coth x - 1 from its series, tanh x = x / (1 + g), so x - tanh x =
 * x g / (1 + g), evaluated on double-doubles. Beyond: (x - 1) + 2 / (e^2x + 1), two positive terms.
 */
export function tanhShrink(x: number): number {
  const a = Math.abs(x);
  if (!(a < 1.6)) {
    if (a !== a) return x;
    const r = a - 1 + 2 / (exp(2 * a) + 1);
    return x < 0 ? -r : r;
  }
  if (a < 1e-100) return x === 0 ? x : (x * x * x) / 3; // x^3/3 underflows gracefully; keeps -0
  cothMinusOne(x);
  return timesRatio(x, DD.hi, DD.lo);
}

/**
 * g = x coth x - 1 for 1e-100 <= |x| < 1.6 as a double-double in DD, from its series (so that
 * tanh x = x / (1 + g) keeps its digits; tanh_shrink' = tanh^2 needs it too).
 */
export function cothMinusOne(x: number): void {
  twoProd(x, x);
  const yh = DD.hi;
  const yl = DD.lo;
  let q = 0;
  for (let i = COTH_SERIES.length - 1; i >= 1; i--) q = q * yh + COTH_SERIES[i];
  // g = y/3 + y^2 Q(y): the leading third exactly (1/3 is not a double), the rest weighs < 0.2
  ddDivInt(yh, yl, 3);
  ddAdd(DD.hi, DD.lo, yh * yh * q, 0);
}

/**
 * (x + sqrt(x^2 + b)) / 2; for x < 0 as b / (2 (sqrt(x^2 + b) - x)), which does not cancel.
 * x^2 + b and its square root are double-doubles, so each form rounds about once.
 */
export function squareplus(x: number, b: number): number {
  if (x !== x) return x;
  if (b === 0) return x > 0 ? x : 0;
  if (Math.abs(x) > 1e150) {
    // x^2 would overflow: sqrt(x^2 + b) = |x| sqrt(1 + r) with r = b / x^2 (b may be huge too)
    const q = Math.sqrt(1 + b / x / x);
    return x > 0 ? x * ((1 + q) / 2) : b / -x / (2 * (q + 1));
  }
  sqrtSquarePlus(x, b);
  const sh = DD.hi;
  const sl = DD.lo;
  if (x >= 0) {
    ddAdd(sh, sl, x, 0);
    return (DD.hi + DD.lo) / 2;
  }
  ddAdd(sh, sl, -x, 0);
  return divDD(b, 0, 2 * DD.hi, 2 * DD.lo);
}

/** sqrt(x^2 + b) as a double-double in DD (x^2 + b a double-double, one Newton step on its root). */
export function sqrtSquarePlus(x: number, b: number): void {
  twoProd(x, x);
  ddAdd(DD.hi, DD.lo, b, 0);
  const h = DD.hi;
  const l = DD.lo;
  const sh = Math.sqrt(h);
  twoProd(sh, sh);
  DD.lo = (h - DD.hi - DD.lo + l) / (2 * sh);
  DD.hi = sh;
}

/** (x + 1)^2 / 4 with x + 1 and its square kept exact until one rounding. */
export function sparsePlus(x: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return x;
  twoSum(x, 1);
  const th = DD.hi;
  const tl = DD.lo;
  ddMul(th, tl, th, tl);
  return (DD.hi + DD.lo) / 4;
}

export function sparseSigmoid(x: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  return 0.5 * (x + 1);
}
