/**
 * Special functions in float64: erf(x) and erfc(x), accurate to < 1 ulp.
 *
 * The rational approximations and their constants are those of FreeBSD
 * msun's s_erf.c (fdlibm, "Copyright (C) 1993 by Sun Microsystems, Inc.
 * Permission to use, copy, modify, and distribute this software is freely
 * granted, provided that this notice is preserved."), kept exactly:
 *
 *   |x| < 0.84375        erf(x)  = x + x*R(x^2),          R = P/Q
 *   0.84375 <= |x| < 1.25 erf(|x|) = erx + P1(s)/Q1(s),   s = |x| - 1
 *   1.25 <= |x| < 28     erfc(|x|) = exp(-x^2 - 0.5625 + R/S (1/x^2)) / |x|
 *
 * fdlibm evaluates these in plain double and combines two libm exp() calls,
 * which costs a few ulp (erfc is ~2-5 ulp off in glibc, the same code).  Here
 * every step after the approximations is carried out in double-double
 * (error-free transformations, Dekker products, no FMA needed), including
 * exp(-x^2 ...) (Tang's table method, 32 entries), and the result is rounded
 * once, so the only errors left are fdlibm's approximation errors
 * (<= 2^-55.3 relative) plus the final rounding: < 0.51 ulp, subnormal
 * results included (they are rounded once, on the subnormal grid).
 *
 * `erfDD(hi, lo)` / `erfcDD(hi, lo)` evaluate at the double-double argument
 * hi + lo (|lo| <= ulp(hi)/2). gelu needs this: erfc(-x/sqrt 2) is very
 * sensitive to the rounding of x/sqrt 2 (relative condition number 2 x^2).
 *
 * All functions are pure and allocate nothing (module scratch variables).
 */

// ---------------------------------------------------------------- constants
// Constants from FreeBSD lib/msun/src/s_erf.c (fdlibm).
const erx = 8.45062911510467529297e-1; // 0x3FEB0AC1, 0x60000000
// Coefficients for approximation to erf on [0, 0.84375]
const pp = new Float64Array([
  1.28379167095512558561e-1, // pp0 0x3FC06EBA, 0x8214DB68
  -3.25042107247001499370e-1, // pp1 0xBFD4CD7D, 0x691CB913
  -2.84817495755985104766e-2, // pp2 0xBF9D2A51, 0xDBD7194F
  -5.77027029648944159157e-3, // pp3 0xBF77A291, 0x236668E4
  -2.37630166566501626084e-5, // pp4 0xBEF8EAD6, 0x120016AC
]);
const qq = new Float64Array([
  1, //
  3.97917223959155352819e-1, // qq1 0x3FD97779, 0xCDDADC09
  6.50222499887672944485e-2, // qq2 0x3FB0A54C, 0x5536CEBA
  5.08130628187576562776e-3, // qq3 0x3F74D022, 0xC4D36B0F
  1.32494738004321644526e-4, // qq4 0x3F215DC9, 0x221C1A10
  -3.96022827877536812320e-6, // qq5 0xBED09C43, 0x42A26120
]);
// Coefficients for approximation to erf in [0.84375, 1.25]
const pa = new Float64Array([
  -2.36211856075265944077e-3, // pa0 0xBF6359B8, 0xBEF77538
  4.14856118683748331666e-1, // pa1 0x3FDA8D00, 0xAD92B34D
  -3.72207876035701323847e-1, // pa2 0xBFD7D240, 0xFBB8C3F1
  3.18346619901161753674e-1, // pa3 0x3FD45FCA, 0x805120E4
  -1.10894694282396677476e-1, // pa4 0xBFBC6398, 0x3D3E28EC
  3.54783043256182359371e-2, // pa5 0x3FA22A36, 0x599795EB
  -2.16637559486879084300e-3, // pa6 0xBF61BF38, 0x0A96073F
]);
const qa = new Float64Array([
  1, //
  1.06420880400844228286e-1, // qa1 0x3FBB3E66, 0x18EEE323
  5.40397917702171048937e-1, // qa2 0x3FE14AF0, 0x92EB6F33
  7.18286544141962662868e-2, // qa3 0x3FB2635C, 0xD99FE9A7
  1.26171219808761642112e-1, // qa4 0x3FC02660, 0xE763351F
  1.36370839120290507362e-2, // qa5 0x3F8BEDC2, 0x6B51DD1C
  1.19844998467991074170e-2, // qa6 0x3F888B54, 0x5735151D
]);
// Coefficients for approximation to erfc in [1.25, 1/0.35]
const ra = new Float64Array([
  -9.86494403484714822705e-3, // ra0 0xBF843412, 0x600D6435
  -6.93858572707181764372e-1, // ra1 0xBFE63416, 0xE4BA7360
  -1.05586262253232909814e1, // ra2 0xC0251E04, 0x41B0E726
  -6.23753324503260060396e1, // ra3 0xC04F300A, 0xE4CBA38D
  -1.62396669462573470355e2, // ra4 0xC0644CB1, 0x84282266
  -1.84605092906711035994e2, // ra5 0xC067135C, 0xEBCCABB2
  -8.12874355063065934246e1, // ra6 0xC0545265, 0x57E4D2F2
  -9.81432934416914548592e0, // ra7 0xC023A0EF, 0xC69AC25C
]);
const sa = new Float64Array([
  1, //
  1.96512716674392571292e1, // sa1 0x4033A6B9, 0xBD707687
  1.37657754143519042600e2, // sa2 0x4061350C, 0x526AE721
  4.34565877475229228821e2, // sa3 0x407B290D, 0xD58A1A71
  6.45387271733267880336e2, // sa4 0x40842B19, 0x21EC2868
  4.29008140027567833386e2, // sa5 0x407AD021, 0x57700314
  1.08635005541779435134e2, // sa6 0x405B28A3, 0xEE48AE2C
  6.57024977031928170135e0, // sa7 0x401A47EF, 0x8E484A93
  -6.04244152148580987438e-2, // sa8 0xBFAEEFF2, 0xEE749A62
]);
// Coefficients for approximation to erfc in [1/0.35, 28]
const rb = new Float64Array([
  -9.86494292470009928597e-3, // rb0 0xBF843412, 0x39E86F4A
  -7.99283237680523006574e-1, // rb1 0xBFE993BA, 0x70C285DE
  -1.77579549177547519889e1, // rb2 0xC031C209, 0x555F995A
  -1.60636384855821916062e2, // rb3 0xC064145D, 0x43C5ED98
  -6.37566443368389627722e2, // rb4 0xC083EC88, 0x1375F228
  -1.02509513161107724954e3, // rb5 0xC0900461, 0x6A2E5992
  -4.83519191608651397019e2, // rb6 0xC07E384E, 0x9BDC383F
]);
const sb = new Float64Array([
  1, //
  3.03380607434824582924e1, // sb1 0x403E568B, 0x261D5190
  3.25792512996573918826e2, // sb2 0x40745CAE, 0x221B9F0A
  1.53672958608443695994e3, // sb3 0x409802EB, 0x189D5118
  3.19985821950859553908e3, // sb4 0x40A8FFB7, 0x688C246A
  2.55305040643316442583e3, // sb5 0x40A3F219, 0xCEDF3BE6
  4.74528541206955367215e2, // sb6 0x407DA874, 0xE79FE763
  -2.24409524465858183362e1, // sb7 0xC03670E2, 0x42712D62
]);

// 2^(j/32), j = 0..31, as double-double (hi, lo), from mpmath at 300 bits.
const EXP2_TABLE = new Float64Array([
  1.0, 0.0,
  1.0218971486541166, 5.109225028973444e-17,
  1.0442737824274138, 8.551889705537965e-17,
  1.0671404006768237, -7.899853966841582e-17,
  1.0905077326652577, -3.046782079812471e-17,
  1.1143867425958924, 1.0410278456845571e-16,
  1.1387886347566916, 8.912812676025408e-17,
  1.1637248587775775, 3.8292048369240935e-17,
  1.189207115002721, 3.982015231465646e-17,
  1.215247359980469, -7.712630692681488e-17,
  1.241857812073484, 4.658027591836937e-17,
  1.2690509571917332, 2.667932131342186e-18,
  1.2968395546510096, 2.5382502794888315e-17,
  1.3252366431597413, -2.8587312100388614e-17,
  1.3542555469368927, 7.70094837980299e-17,
  1.383909881963832, -6.770511658794786e-17,
  1.4142135623730951, -9.667293313452913e-17,
  1.4451808069770467, -3.0237581349939873e-17,
  1.4768261459394993, -3.483994556892796e-17,
  1.5091644275934228, -1.016455327754295e-16,
  1.5422108254079407, 7.949834809697621e-17,
  1.5759808451078865, -1.0136916471278304e-17,
  1.6104903319492543, 2.4707192569797888e-17,
  1.645755478153965, -1.0125679913674773e-16,
  1.681792830507429, 8.199010020581497e-17,
  1.718619298122478, -1.851380418263111e-17,
  1.7562521603732995, 2.960140695448873e-17,
  1.7947090750031072, 1.8227458427912087e-17,
  1.8340080864093424, 3.283107224245627e-17,
  1.8741676341103, -6.122763413004143e-17,
  1.9152065613971474, -1.0619946056195963e-16,
  1.9571441241754002, 8.960767791036668e-17,
]);
// ln2/32 = L1 + L2, L1 with its low 22 bits zero so that N*L1 is exact.
const LN2_32_HI = 0.02166084937925916;
const LN2_32_LO = 1.3239129268154012e-11;
const INV_LN2_32 = 46.16624130844683;
const SPLITTER = 134217729; // 2^27 + 1 (Veltkamp split)
const TWO_M1074 = 5e-324;
// 2/sqrt(pi) = C_HI + C_LO, and C_HI/3 (for |x| < 2^-28).
const C_HI = 1.1283791670955126;
const C_LO = 1.533545961316588e-17;
const C_THIRD = 0.37612638903183754;

// -------------------------------------------------------- double-double ops
// Results are returned through these module scratch variables (no allocation).
let rh = 0;
let rl = 0;

/** rh + rl = a * b exactly (Dekker). Assumes no overflow. */
function twoProd(a: number, b: number): void {
  const p = a * b;
  let t = SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  rh = p;
  rl = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** rh + rl = (ah + al) * (bh + bl), relative error ~2^-104. */
function mulDD(ah: number, al: number, bh: number, bl: number): void {
  twoProd(ah, bh);
  const lo = rl + (ah * bl + al * bh);
  const s = rh + lo;
  rl = lo - (s - rh);
  rh = s;
}

/** rh + rl = (ah + al) + (bh + bl). */
function addDD(ah: number, al: number, bh: number, bl: number): void {
  const s = ah + bh;
  const bb = s - ah;
  const e = ah - (s - bb) + (bh - bb);
  const lo = e + al + bl;
  const h = s + lo;
  rl = lo - (h - s);
  rh = h;
}

/** rh + rl = (ah + al) / (bh + bl). */
function divDD(ah: number, al: number, bh: number, bl: number): void {
  const q = ah / bh;
  twoProd(q, bh);
  const rem = ah - rh - rl + al - q * bl;
  const q2 = rem / bh;
  const s = q + q2;
  rl = q2 - (s - q);
  rh = s;
}

/** Horner in double-double: rh + rl = sum c[i] * z^i, z = zh + zl. */
function hornerDD(c: Float64Array, zh: number, zl: number): void {
  let i = c.length - 1;
  let h = c[i]!;
  let l = 0;
  while (--i >= 0) {
    mulDD(h, l, zh, zl);
    addDD(c[i]!, 0, rh, rl);
    h = rh;
    l = rl;
  }
  rh = h;
  rl = l;
}

// 2^k for integer k in [-1022, 1023] without Math.pow.
const POW2_F64 = new Float64Array(1);
const POW2_U32 = new Uint32Array(POW2_F64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
function pow2(k: number): number {
  POW2_U32[HI] = (k + 1023) << 20;
  POW2_U32[1 - HI] = 0;
  return POW2_F64[0]!;
}

// exp(eh + el) = (rh + rl) * 2^expScale, relative error ~2^-70.
let expScale = 0;
function expDDScaled(eh: number, el: number): void {
  const n = Math.round(eh * INV_LN2_32);
  const j = n & 31;
  expScale = (n - j) / 32;
  // r = eh + el - n*ln2/32, |r| <= ~0.0109; eh - n*L1 is exact.
  const t = eh - n * LN2_32_HI;
  const u = el - n * LN2_32_LO;
  const r = t + u;
  const r2 = u - (r - t); // r + r2 = t + u (t dominates or is 0)
  const q = r * r * (0.5 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r * (1 / 5040))))));
  // exp(r + r2) - 1 = r + (r2 + q) (+ r*r2, negligible)
  const em1lo = r2 + q;
  const th = EXP2_TABLE[2 * j]!;
  const tl = EXP2_TABLE[2 * j + 1]!;
  // th*(1 + r + em1lo) + tl*(1 + em1)
  twoProd(th, r);
  const ph = rh;
  const pl = rl;
  const s = th + ph;
  const sl = th - s + ph; // exact: |ph| < th
  const lo = sl + pl + th * em1lo + tl * (1 + r + em1lo);
  const h = s + lo;
  rl = lo - (h - s);
  rh = h;
}

// ---------------------------------------------------------------- erf core
// erf(|x|) or erfc(|x|) for x = xh + xl >= 0, as double-double (rh, rl)
// times 2^coreScale. `wantErfc` selects the function.
let coreScale = 0;
function erfCore(xh: number, xl: number, wantErfc: boolean): void {
  coreScale = 0;
  if (xh < 0.84375) {
    // erf = x + x * P(z)/Q(z), z = x^2
    mulDD(xh, xl, xh, xl);
    const zh = rh;
    const zl = rl;
    hornerDD(pp, zh, zl);
    const ph = rh;
    const pl = rl;
    hornerDD(qq, zh, zl);
    divDD(ph, pl, rh, rl);
    mulDD(xh, xl, rh, rl);
    addDD(xh, xl, rh, rl);
    if (wantErfc) addDD(1, 0, -rh, -rl);
    return;
  }
  if (xh < 1.25) {
    // erf = erx + P1(s)/Q1(s), s = x - 1 (exact in double for xh)
    const sh = xh - 1;
    hornerDD(pa, sh, xl);
    const ph = rh;
    const pl = rl;
    hornerDD(qa, sh, xl);
    divDD(ph, pl, rh, rl);
    if (wantErfc) addDD(1 - erx, 0, -rh, -rl); // 1 - erx is exact
    else addDD(erx, 0, rh, rl);
    return;
  }
  // erfc = exp(-x^2 - 0.5625 + R(s)/S(s)) / x, s = 1/x^2
  mulDD(xh, xl, xh, xl);
  const x2h = rh;
  const x2l = rl;
  divDD(1, 0, x2h, x2l);
  const sh = rh;
  const sl = rl;
  let nh: number;
  let nl: number;
  if (xh < 1 / 0.35) {
    hornerDD(ra, sh, sl);
    nh = rh;
    nl = rl;
    hornerDD(sa, sh, sl);
  } else {
    hornerDD(rb, sh, sl);
    nh = rh;
    nl = rl;
    hornerDD(sb, sh, sl);
  }
  divDD(nh, nl, rh, rl);
  const fh = rh;
  const fl = rl;
  addDD(-x2h, -x2l, -0.5625, 0);
  addDD(rh, rl, fh, fl);
  expDDScaled(rh, rl);
  const sc = expScale;
  divDD(rh, rl, xh, xl);
  if (wantErfc) {
    coreScale = sc;
    return;
  }
  // erf = 1 - erfc; here erfc >= 2^-60, no subnormal scaling issue.
  const p = pow2(sc);
  addDD(1, 0, -rh * p, -rl * p);
}

/**
 * Round (h + l) * 2^k to the nearest double with a single rounding, subnormal
 * results included. Needs |l| <= ulp(h)/2 and -1600 < k < 1000.
 */
function scaleRound(h: number, l: number, k: number): number {
  // Scaling a normal double by a power of two is exact while the result stays
  // normal, so the rounding of h + l is then the only one.
  const r = (h + l) * pow2(k + 600) * pow2(-600);
  if (r >= 2.2250738585072014e-308 || r <= -2.2250738585072014e-308) return r;
  // Subnormal (or zero) result: round h on the 2^-1074 grid (one rounding),
  // then correct it with the exact residual (h - t*2^-k) + l.
  const t = h * pow2(k + 600) * pow2(-600);
  const back = t * pow2(600) * pow2(-k - 600); // exact
  const d = h - back + l;
  const half = pow2(-475) * pow2(-k - 600); // 2^-1075 in h's units
  if (d > half) return t + TWO_M1074;
  if (d < -half) return t - TWO_M1074;
  return t;
}

// ---------------------------------------------------------------- public API

/** erfc(hi + lo) for a double-double argument (|lo| <= ulp(hi)/2). */
export function erfcDD(hi: number, lo: number): number {
  if (hi !== hi) return NaN;
  if (hi === Infinity) return 0;
  if (hi === -Infinity) return 2;
  if (hi >= 0) {
    if (hi < 1.3877787807814457e-17) return 1 - hi; // |x| < 2^-56
    if (hi >= 28) return 0; // erfc(27.3) < 2^-1075 already
    erfCore(hi, lo, true);
    return scaleRound(rh, rl, coreScale);
  }
  if (hi > -1.3877787807814457e-17) return 1 - hi;
  if (hi <= -6) return 2; // 2 - erfc(6) rounds to 2
  erfCore(-hi, -lo, hi > -0.84375 ? false : true);
  if (hi > -0.84375) {
    // erfc(x) = 1 + erf(|x|)
    addDD(1, 0, rh, rl);
    return rh + rl;
  }
  const p = pow2(coreScale);
  addDD(2, 0, -rh * p, -rl * p);
  return rh + rl;
}

/** erf(hi + lo) for a double-double argument (|lo| <= ulp(hi)/2). */
export function erfDD(hi: number, lo: number): number {
  if (hi !== hi) return NaN;
  if (hi === Infinity) return 1;
  if (hi === -Infinity) return -1;
  const ax = hi < 0 ? -hi : hi;
  if (ax < 3.725290298461914e-9) {
    // |x| < 2^-28: erf(x) = c*x - c*x^3/3 (next term < 2^-110 relative),
    // c = 2/sqrt(pi) = C_HI + C_LO, with one final rounding.
    if (hi === 0) return hi; // keeps the sign of zero
    if (ax < 1e-270) {
      // Scale up by 2^200 so the Dekker product stays exact, then round once
      // on the final (possibly subnormal) grid.
      const y = hi * 1.6069380442589903e60;
      twoProd(y, C_HI);
      return scaleRound(rh, rl + (y * C_LO + lo * 1.6069380442589903e60 * C_HI), -200);
    }
    twoProd(hi, C_HI);
    return rh + (rl + (hi * C_LO + lo * C_HI - hi * hi * hi * C_THIRD));
  }
  if (ax >= 6) return hi > 0 ? 1 : -1; // 1 - erfc(6) rounds to 1
  if (hi > 0) erfCore(hi, lo, false);
  else erfCore(-hi, -lo, false);
  const r = rh + rl;
  return hi > 0 ? r : -r;
}

/** The error function, erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt. */
export function erf(x: number): number {
  return erfDD(x, 0);
}

/** The complementary error function, erfc(x) = 1 - erf(x), without cancellation. */
export function erfc(x: number): number {
  return erfcDD(x, 0);
}
