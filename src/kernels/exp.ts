/**
 * e^x for the kernels, by the table method of ARM's optimized-routines exp (Szabolcs Nagy, 2018;
 * glibc's and musl's exp since then): x = k ln2/128 + r with |r| <= ln2/256, so
 * e^x = 2^(k/128) e^r = 2^floor(k/128) H[k&127] (1 + T[k&127]) e^r, and e^r - 1 by a degree-5
 * polynomial. Its error bound is 0.511 ulp without a fused multiply-add (JavaScript has none)
 * against under 1 ulp for V8's Math.exp (fdlibm), and it runs inline in the caller's compiled code,
 * where V8 calls Math.exp out of line (a C call: ~17 ns against ~8 ns here, per sigmoid).
 * |x| >= 708 (overflow, results that are not normal doubles) and NaN are Math.exp's: there the
 * power of two scaling H[k] would leave the normal range.
 * The constants and the coefficients are ARM's (optimized-routines, math/exp_data.c, Copyright (c)
 * 2018 Arm Limited, MIT license); the code is written anew for JavaScript's doubles.
 */
import { EXP_H, EXP_T } from './exp-table.js';

const INV_LN2_N = 184.6649652337873; // 128 / ln 2 (0x1.71547652b82fep0 * 128)
const NEG_LN2_HI_N = -0.005415212348111709; // -ln2/128, its high part (trailing zeros: k times it is exact)
const NEG_LN2_LO_N = -1.2864023111638346e-14; // -ln2/128 - NEG_LN2_HI_N
const SHIFT = 6755399441055744; // 1.5 * 2^52: adding and taking it away rounds to an integer
// e^r - 1 - r ~ r^2 (C2 + r C3) + r^4 (C4 + r C5) on |r| <= ln2/256 (ARM's coefficients)
const C2 = 0.49999999999996786;
const C3 = 0.16666666666665886;
const C4 = 0.0416666808410674;
const C5 = 0.008333335853059549;

/**
 * 2^e = POW2_HI[(e >> 6) + 16] * POW2_LO[e & 63]: 96 entries filled at start-up (a table of all
 * 2046 powers took 0.3 ms to fill, a tenth of activ's start-up budget). H 2^(e & 63) is exact, and
 * so is scaling it by 2^(64 (e >> 6)), even the subnormal 2^-1024, since the product is normal.
 */
const POW2_HI = new Float64Array(32);
const POW2_LO = new Float64Array(64);
for (let i = 0, p = 1; i < 64; i++, p *= 2) POW2_LO[i] = p;
for (let i = 0, p = 2 ** -1024; i < 32; i++, p *= 2 ** 64) POW2_HI[i] = p;

export function exp(x: number): number {
  if (!(Math.abs(x) < 708)) return Math.exp(x);
  const kd = INV_LN2_N * x + SHIFT - SHIFT;
  const k = kd | 0;
  const r = x + kd * NEG_LN2_HI_N + kd * NEG_LN2_LO_N;
  const j = k & 127;
  const e = k >> 7; // -1022..1022
  const scale = EXP_H[j] * POW2_LO[e & 63] * POW2_HI[(e >> 6) + 16];
  const r2 = r * r;
  const tmp = EXP_T[j] + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5);
  return scale + scale * tmp;
}
