/**
 * Derivatives of the element-wise activations as scalar functions of x (and their parameters),
 * each within 2 ulp of the correctly rounded derivative over all doubles, tails included. The
 * comments name the trap each formula avoids. At kinks and edges the value is the one
 * TensorFlow's registered gradients give for the Keras definition (gradients.ts lists them);
 * NaN gives NaN.
 */
import { exp } from './exp.js';
import { DD, ddAdd, ddDiv, ddMul, divDD, twoProd, twoSum } from './compensated.js';
import { GELU_EXACT_ROOT, GELU_TANH_ROOT, MISH_ROOT, SILU_ROOT, type RootPatch } from './derivative-roots.js';
import { cothMinusOne, geluTanhArgument, sigmoidTimes, sqrtSquarePlus } from './elementwise.js';
import { erfcDD, expDD } from './special.js';

const LN2_HI = 0.6931471803691238; // fdlibm's ln2_hi: its low 21 bits are 0, so k * LN2_HI is exact
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = 1.4426950408889634;

/**
 * (a + al) * e^(t + tl) with one rounding after exp's own error, subnormal and overflowing
 * results included: e^t = 2^k e^r with |r| <= ln2/2, the scaling by 2^k done last (exact while
 * the result is normal; below, in two steps that round once).
 */
export function scaledExp(a: number, al: number, t: number, tl: number): number {
  if (t !== t || a !== a) return NaN;
  if (t < -1600) return a < 0 ? -0 : 0; // below 2^-1075 for any a (the limit for an infinite one)
  if (t > 1600) return a * Infinity;
  const k = Math.round(t * INV_LN2);
  twoSum(t - k * LN2_HI, tl - k * LN2_LO); // t - k*LN2_HI is exact (Sterbenz)
  const rl = DD.lo;
  const e = exp(DD.hi);
  twoProd(a, e);
  const m = DD.hi + (DD.lo + DD.hi * rl + al * e);
  if (k > 1000) return m * 2 ** 1000 * 2 ** (k - 1000);
  if (k < -1000) return m * 2 ** (k + 600) * 2 ** -600;
  return m * 2 ** k;
}

/** c e^-t / (1 + e^-t)^2 for t >= 0: sigmoid' (c = 1) and tanh' (t = 2|x|, c = 4), no cancellation. */
function bell(t: number, c: number): number {
  if (t !== t) return t;
  if (t > 40) return scaledExp(c, 0, -t, 0); // (1 + e^-t)^2 rounds to 1 + 2^-57 at most
  expDD(-t, 0);
  const eh = DD.hi;
  const el = DD.lo;
  ddAdd(1, 0, eh, el);
  ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
  return divDD(c * eh, c * el, DD.hi, DD.lo);
}

/**
 * Near a zero x0 of a derivative: t (c1 + c2 t + ...) with t = x - x0 and c1 as double-doubles,
 * the rest of the series in plain double (it weighs less than c1). Undefined when x is outside.
 */
function nearRoot(p: RootPatch, x: number): number | undefined {
  twoSum(x, -p.x0h);
  if (!(Math.abs(DD.hi) <= p.radius)) return undefined;
  ddAdd(DD.hi, DD.lo, -p.x0l, 0);
  const th = DD.hi;
  const tl = DD.lo;
  const c = p.rest;
  let r = c[c.length - 1];
  for (let i = c.length - 2; i >= 0; i--) r = r * th + c[i];
  ddMul(th, tl, r, 0);
  ddAdd(p.c1h, p.c1l, DD.hi, DD.lo);
  ddMul(DD.hi, DD.lo, th, tl);
  return DD.hi + DD.lo;
}

export const linear = (x: number): number => (x === x ? 1 : x);

export function sigmoid(x: number): number {
  return bell(Math.abs(x), 1);
}

export function tanh(x: number): number {
  return bell(2 * Math.abs(x), 4);
}

/** softplus' = sigmoid, x * sigmoid(x) with its one-rounding core. */
export const softplus = (x: number): number => sigmoidTimes(1, x);
export const logSigmoid = (x: number): number => sigmoidTimes(1, -x);

/** elu'(0) = alpha: Keras 2's where(x > 0, elu, alpha * elu), EluGrad 1 at 0. */
export function elu(x: number, alpha: number): number {
  return x > 0 ? 1 : scaledExp(alpha, 0, x, 0);
}

const SELU_SCALE = 1.0507009873554805;
const SELU_SA_HI = 1.7580993408473768; // scale * alpha as a double-double
const SELU_SA_LO = 1.41535193800845e-17;

/** selu'(0) = scale: SeluGrad selects on activations < 0. */
export function selu(x: number): number {
  return x >= 0 ? SELU_SCALE : scaledExp(SELU_SA_HI, SELU_SA_LO, x, 0);
}

/** e^(x / alpha) with x / alpha kept as a double-double: exp magnifies its rounding by |x/alpha|. */
export function celu(x: number, alpha: number): number {
  if (x >= 0) return 1; // smooth at 0 (both sides 1)
  const q = x / alpha;
  if (!(q > -1600 && q < 710)) return exp(q); // 0 or Infinity; Dekker's split would overflow
  ddDiv(x, 0, alpha, 0);
  return scaledExp(1, 0, DD.hi, DD.lo);
}

/** 1 / (1 + |x|)^2 as the square of a double-double quotient, rounded once. */
export function softsign(x: number): number {
  if (x !== x) return x;
  if (Math.abs(x) > 1e200) return 0; // below 2^-1075
  twoSum(1, Math.abs(x));
  ddDiv(1, 0, DD.hi, DD.lo);
  ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
  return DD.hi + DD.lo;
}

/**
 * keras.backend.relu's operations, each with TensorFlow's registered gradient: leaky_relu when only
 * alpha is set (alpha at 0); x * cast(x > threshold); relu6 when max_value is 6 and threshold 0
 * (0 at 0 and 6); else relu (0 at 0) then clip_by_value (passes at both bounds); the leak
 * alpha * relu(threshold - x) (0 at the threshold).
 */
export function relu(x: number, alpha: number, maxValue: number | null, threshold: number): number {
  if (x !== x) return x;
  if (alpha !== 0 && maxValue === null && threshold === 0) return x > 0 ? 1 : alpha;
  let main: number;
  let clipped = maxValue !== null;
  if (threshold !== 0) main = x > threshold ? 1 : 0;
  else if (maxValue === 6) {
    main = x > 0 && x < 6 ? 1 : 0;
    clipped = false;
  } else main = x > 0 ? 1 : 0;
  if (clipped && main === 1 && !(x >= 0 && x <= (maxValue as number))) main = 0;
  return alpha !== 0 && x < threshold ? main + alpha : main;
}

/** 1 for x > 0, alpha at and below 0 (LeakyReluGrad selects on x > 0). */
export function leakyRelu(x: number, alpha: number): number {
  return x > 0 ? 1 : x === x ? alpha : x;
}

/** Keras 2's PReLU is relu(x) - alpha * relu(-x): both ReluGrads are 0 at 0. */
export function prelu(x: number, alpha: number): number {
  return x > 0 ? 1 : x < 0 ? alpha : x === x ? 0 : x;
}

/** 1 strictly above t, 0 at and below (x * cast(x > t), where(x > t, ...)); NaN stays NaN. */
export function stepAbove(x: number, t: number): number {
  return x > t ? 1 : x === x ? 0 : x;
}

/** 1 outside [-t, t], 0 on it (the shrinks: where(x > t, ...), PyTorch's shrink backward). */
export function outside(x: number, t: number): number {
  return x > t || x < -t ? 1 : x === x ? 0 : x;
}

/** relu6: Relu6Grad is 0 at 0 and at 6. */
export function relu6(x: number): number {
  return x > 0 && x < 6 ? 1 : x === x ? 0 : x;
}

/** hard_tanh = clip_by_value(x, -1, 1): its minimum/maximum gradients pass at the bounds. */
export function hardTanh(x: number): number {
  return x >= -1 && x <= 1 ? 1 : x === x ? 0 : x;
}

/** Keras 2's hard_sigmoid: 0.2 on [-2.5, 2.5] (clip_by_value passes at the corners). */
export function hardSigmoid(x: number): number {
  return x >= -2.5 && x <= 2.5 ? 0.2 : x === x ? 0 : x;
}

/** sparse_sigmoid: 1/2 inside (-1, 1); where() selects the constants at +-1. */
export function sparseSigmoid(x: number): number {
  return x > -1 && x < 1 ? 0.5 : x === x ? 0 : x;
}

/** x * relu6(x + 3) / 6: (2x + 3) / 6 rounded once; 0 at -3 and 1 at 3 (Relu6Grad 0 there). */
export function hardSilu(x: number): number {
  if (x <= -3) return 0;
  if (x >= 3) return 1;
  if (x !== x) return x;
  twoSum(2 * x, 3);
  return divDD(DD.hi, DD.lo, 6, 0);
}

/** (x + 1) / 2 inside (-1, 1): x + 1 and the halving round once together. C1 at +-1. */
export function sparsePlus(x: number): number {
  if (x <= -1) return 0;
  if (x >= 1) return 1;
  if (x !== x) return x;
  twoSum(x, 1);
  return (DD.hi + DD.lo) / 2;
}

/**
 * (1 + x / sqrt(x^2 + b)) / 2, for x < 0 as b / (2 s (s - x)) with s = sqrt(x^2 + b), which does
 * not cancel. b = 0 is relu with TensorFlow's sqrt gradient at 0: 0 * (0.5 / 0) = NaN.
 */
export function squareplus(x: number, b: number): number {
  if (x !== x) return x;
  if (b === 0) return x > 0 ? 1 : x < 0 ? 0 : NaN;
  const a = Math.abs(x);
  if (a > 1e150) {
    const q = Math.sqrt(1 + b / a / a);
    if (x > 0) return (1 + 1 / q) / 2;
    if (a > 1e300) return b / a / a / (2 * q * (q + 1)); // Dekker's split would overflow
    ddDiv(b, 0, a, 0);
    ddDiv(DD.hi, DD.lo, a, 0);
    return divDD(DD.hi, DD.lo, 2 * q * (q + 1), 0);
  }
  sqrtSquarePlus(a, b);
  const sh = DD.hi;
  const sl = DD.lo;
  if (x >= 0) {
    ddDiv(x, 0, sh, sl);
    ddAdd(DD.hi, DD.lo, 1, 0);
    return (DD.hi + DD.lo) / 2;
  }
  ddAdd(sh, sl, a, 0);
  ddMul(DD.hi, DD.lo, 2 * sh, 2 * sl);
  return divDD(b, 0, DD.hi, DD.lo);
}

/** tanh^2: below |x| = 1.6 from tanh x = x / (1 + g) on double-doubles, above as 1 - sech^2. */
export function tanhShrink(x: number): number {
  const a = Math.abs(x);
  if (!(a < 1.6)) {
    if (a !== a) return x;
    twoSum(1, -tanh(a));
    return DD.hi + DD.lo;
  }
  if (a < 1e-100) return x * x;
  cothMinusOne(a);
  ddAdd(DD.hi, DD.lo, 1, 0);
  ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
  const dh = DD.hi;
  const dl = DD.lo;
  twoProd(a, a);
  return divDD(DD.hi, DD.lo, dh, dl);
}

export const exponential = exp;

/**
 * silu' = E (1 + x + E) / (1 + E)^2 with E = e^x below 0 (1 + x + E cancels near its zero
 * x0 = -1.278..., so E is a double-double and the zero has its Taylor patch), and
 * (1 + e + x e) / (1 + e)^2 with e = e^-x above (all terms positive).
 */
export function silu(x: number): number {
  if (x !== x) return x;
  if (x >= 0) {
    if (x > 700) return 1; // (x - 1) e^-x < 2^-900
    expDD(-x, 0);
    const eh = DD.hi;
    const el = DD.lo;
    ddMul(eh, el, x, 0);
    ddAdd(DD.hi, DD.lo, eh, el);
    ddAdd(DD.hi, DD.lo, 1, 0);
    const nh = DD.hi;
    const nl = DD.lo;
    ddAdd(1, 0, eh, el);
    ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
    return divDD(nh, nl, DD.hi, DD.lo);
  }
  if (x < -40) return scaledExp(1 + x, 0, x, 0); // E(1 + x), the rest below 2^-55 relative; 1 + x is exact
  const near = nearRoot(SILU_ROOT, x);
  if (near !== undefined) return near;
  expDD(x, 0);
  const eh = DD.hi;
  const el = DD.lo;
  twoSum(1, x);
  ddAdd(DD.hi, DD.lo, eh, el);
  ddMul(DD.hi, DD.lo, eh, el);
  const nh = DD.hi;
  const nl = DD.lo;
  ddAdd(1, 0, eh, el);
  ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
  return divDD(nh, nl, DD.hi, DD.lo);
}

const INV_SQRT2_HI = 0.7071067811865476;
const INV_SQRT2_LO = -4.833646656726457e-17;
const INV_SQRT_2PI_HI = 0.3989422804014327;
const INV_SQRT_2PI_LO = -2.49232720227773e-17;

/** x phi(x) = x e^(-x^2/2) / sqrt(2 pi) as a double-double in DD (|x| <= 37, expDD's range), x^2 exact. */
function xPhi(x: number): void {
  twoProd(x, x);
  expDD(-0.5 * DD.hi, -0.5 * DD.lo);
  ddMul(DD.hi, DD.lo, INV_SQRT_2PI_HI, INV_SQRT_2PI_LO);
  ddMul(DD.hi, DD.lo, x, 0);
}

/** erfc(|x| / sqrt 2) / 2, the Gaussian tail beyond |x|, with the argument a double-double. */
function gaussTail(a: number): number {
  twoProd(a, INV_SQRT2_HI);
  return 0.5 * erfcDD(DD.hi, DD.lo + a * INV_SQRT2_LO);
}

/**
 * gelu' = Phi(x) + x phi(x). Above 0 as 1 - Q + x phi (Q the upper tail, < 1/2); below as
 * P + x phi (P the lower tail), where the two cancel near the zero x0 = -0.7518 (a wide Taylor
 * patch, since P's own rounding is magnified there); below -37 as x phi(x) (1 - r S(r)),
 * r = 1/x^2, S the asymptotic series of the Mills ratio, scaled so subnormal results round once.
 */
export function geluExact(x: number): number {
  if (x !== x) return x;
  if (x > 37) return 1; // Q and x phi(x) < 2^-980
  if (x >= 0) {
    const q = gaussTail(x);
    xPhi(x);
    const ph = DD.hi;
    const pl = DD.lo;
    twoSum(1, -q);
    ddAdd(DD.hi, DD.lo, ph, pl);
    return DD.hi + DD.lo;
  }
  if (x < -37) {
    if (x < -40) return -0; // |gelu'| < 2^-1075 from here on
    const r = 1 / (x * x);
    const s = 1 - r * (1 - r * (3 - r * (15 - r * (105 - r * (945 - r * (10395 - r * 135135))))));
    twoSum(1, -r * s);
    ddMul(DD.hi, DD.lo, x, 0);
    ddMul(DD.hi, DD.lo, INV_SQRT_2PI_HI, INV_SQRT_2PI_LO);
    const ah = DD.hi;
    const al = DD.lo;
    twoProd(x, x);
    return scaledExp(ah, al, -0.5 * DD.hi, -0.5 * DD.lo);
  }
  const near = nearRoot(GELU_EXACT_ROOT, x);
  if (near !== undefined) return near;
  const p = gaussTail(-x);
  xPhi(x);
  ddAdd(DD.hi, DD.lo, p, 0);
  return DD.hi + DD.lo;
}

const GELU_C_HI = 1.5957691216057308; // 2 sqrt(2/pi)
const GELU_C_LO = -9.96930880911092e-17;
const GELU_K_HI = 0.044715;
const GELU_K_LO = 2.1960211427085595e-18;

/**
 * The tanh form: y = x s(w), w = 2 sqrt(2/pi) (x + 0.044715 x^3), so y' = s + x s (1 - s) w'.
 * With E = e^w (w < 0): E ((1 + E) + x w') / (1 + E)^2, cancelling near its zero (patched);
 * with E = e^-w (w >= 0): ((1 + E) + x w' E) / (1 + E)^2. w and w' are double-doubles.
 */
export function geluTanh(x: number): number {
  if (x !== x) return x;
  if (x > 1e30) return 1;
  if (x < -1e30) return -0;
  twoProd(x, x);
  const x2h = DD.hi;
  const x2l = DD.lo;
  // w' = 2c (1 + 3k x^2)
  ddMul(x2h, x2l, GELU_K_HI, GELU_K_LO);
  ddMul(DD.hi, DD.lo, 3, 0); // 3k x^2, the 3 not folded into k (3 * GELU_K_HI would round)
  ddAdd(DD.hi, DD.lo, 1, 0);
  ddMul(DD.hi, DD.lo, GELU_C_HI, GELU_C_LO);
  ddMul(DD.hi, DD.lo, x, 0);
  const xdh = DD.hi; // x w'
  const xdl = DD.lo;
  geluTanhArgument(x);
  const wh = DD.hi;
  const wl = DD.lo;
  if (wh >= 0) {
    if (wh > 100) return 1; // x w' e^-w < 2^-80
    expDD(-wh, -wl);
    const eh = DD.hi;
    const el = DD.lo;
    ddMul(xdh, xdl, eh, el);
    ddAdd(DD.hi, DD.lo, eh, el);
    ddAdd(DD.hi, DD.lo, 1, 0);
    return overOnePlusSquared(DD.hi, DD.lo, eh, el);
  }
  if (wh < -40) {
    ddAdd(xdh, xdl, 1, 0);
    return scaledExp(DD.hi, DD.lo, wh, wl);
  }
  const near = nearRoot(GELU_TANH_ROOT, x);
  if (near !== undefined) return near;
  expDD(wh, wl);
  const eh = DD.hi;
  const el = DD.lo;
  ddAdd(xdh, xdl, eh, el);
  ddAdd(DD.hi, DD.lo, 1, 0);
  ddMul(DD.hi, DD.lo, eh, el);
  return overOnePlusSquared(DD.hi, DD.lo, eh, el);
}

/** (nh + nl) / (1 + e)^2 for e = eh + el, rounded once. */
function overOnePlusSquared(nh: number, nl: number, eh: number, el: number): number {
  ddAdd(1, 0, eh, el);
  ddMul(DD.hi, DD.lo, DD.hi, DD.lo);
  return divDD(nh, nl, DD.hi, DD.lo);
}

/**
 * mish' = tanh(sp) + x sech^2(sp) sigmoid(x), sp = softplus(x). With e = e^x and D = 2 + 2e + e^2:
 * mish' = e ((2 + e) D + 4x (1 + e)) / D^2, on double-doubles; the bracket cancels near the zero
 * x0 = -1.1924 (patched). Below -40: e (1 + x); above 40: 1 to within 2^-100.
 */
export function mish(x: number): number {
  if (x !== x) return x;
  if (x > 40) return 1;
  if (x < -40) return scaledExp(1 + x, 0, x, 0);
  const near = nearRoot(MISH_ROOT, x);
  if (near !== undefined) return near;
  expDD(x, 0);
  const eh = DD.hi;
  const el = DD.lo;
  ddMul(eh, el, eh, el); // e^2
  ddAdd(DD.hi, DD.lo, 2 * eh, 2 * el);
  ddAdd(DD.hi, DD.lo, 2, 0);
  const dh = DD.hi; // D
  const dl = DD.lo;
  ddAdd(eh, el, 2, 0);
  ddMul(DD.hi, DD.lo, dh, dl);
  const ph = DD.hi; // (2 + e) D
  const pl = DD.lo;
  ddAdd(eh, el, 1, 0);
  ddMul(DD.hi, DD.lo, 4 * x, 0);
  ddAdd(DD.hi, DD.lo, ph, pl);
  ddMul(DD.hi, DD.lo, eh, el);
  const nh = DD.hi;
  const nl = DD.lo;
  ddMul(dh, dl, dh, dl);
  return divDD(nh, nl, DD.hi, DD.lo);
}
