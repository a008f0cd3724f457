/**
 * src/kernels/exp.ts against the truth: its table checked exactly (BigInt), its results against
 * mpmath's e^x at 8,500 points (fixtures/reference/exp.json, double-double references) within
 * ARM's bound of 0.511 ulp, and against Math.exp (both under 1 ulp: at most 1 apart) on a million
 * random arguments, the special values included.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { exp } from '../../src/kernels/exp.js';
import { EXP_H, EXP_T } from '../../src/kernels/exp-table.js';
import { rng } from '../numbers/helpers.js';
import { ulpDistance } from './ulp.js';

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);

/** x = m 2^e exactly (x finite). */
function dyadic(x: number): { m: bigint; e: number } {
  F64[0] = x;
  const b = U64[0];
  const be = Number((b >> 52n) & 0x7ffn);
  let m = b & 0xfffffffffffffn;
  if (be !== 0) m |= 1n << 52n;
  return { m: b >> 63n ? -m : m, e: (be === 0 ? 1 : be) - 1075 };
}

/** The spacing of doubles at |x| (x finite, not 0). */
function ulpAt(x: number): number {
  F64[0] = Math.abs(x);
  const be = Number(U64[0] >> 52n);
  return 2 ** ((be === 0 ? 1 : be) - 1075);
}

describe('the table: 2^(k/128) = H[k] (1 + T[k])', () => {
  test('within 2^-104 relative for every k: (H (1 + T))^128 within 2^-97 of 2^k (exact BigInt arithmetic)', () => {
    const S = 300; // every H + H T is an integer over 2^S
    const bad: number[] = [];
    for (let k = 0; k < 128; k++) {
      const h = dyadic(EXP_H[k]);
      const t = dyadic(EXP_T[k]);
      const q = (h.m << BigInt(S + h.e)) + ((h.m * t.m) << BigInt(S + h.e + t.e)); // (H + H T) 2^S
      const lhs = q ** 128n; // (H (1 + T))^128 2^(128 S)
      const rhs = 1n << BigInt(k + 128 * S); // 2^k 2^(128 S)
      const diff = lhs > rhs ? lhs - rhs : rhs - lhs;
      if (diff << 97n >= rhs) bad.push(k);
    }
    expect(bad).toEqual([]);
  });
});

describe('exp against mpmath', () => {
  const { points } = JSON.parse(readFileSync(new URL('../../fixtures/reference/exp.json', import.meta.url), 'utf8')) as {
    points: [number, number | string, number][];
  };
  test('the fixture covers the range', () => {
    expect(points.length).toBeGreaterThan(8000);
    expect(Math.min(...points.map((p) => p[0]))).toBeLessThan(-744);
    expect(Math.max(...points.map((p) => p[0]))).toBeGreaterThan(709);
  });
  test('within 0.511 ulp where the table is used (|x| < 708), within 1 ulp elsewhere (Math.exp)', () => {
    let worst = 0;
    let worstAt = 0;
    const bad: string[] = [];
    for (const [x, text, lo] of points) {
      const hi = Number(text);
      const got = exp(x);
      if (hi === 0 || hi === Infinity) {
        if (got !== hi && ulpDistance(got, hi) > 1) bad.push(`e^${x} = ${got}, want ${hi}`);
        continue;
      }
      const err = Math.abs(got - hi - lo) / ulpAt(hi); // got - hi is exact (they are close)
      if (Math.abs(x) < 708) {
        if (err > worst) [worst, worstAt] = [err, x];
        if (err > 0.511) bad.push(`e^${x}: ${err} ulp`);
      } else if (err >= 1) bad.push(`e^${x} (Math.exp): ${err} ulp`);
    }
    expect(bad).toEqual([]);
    expect(worst, `worst at ${worstAt}`).toBeGreaterThan(0.3); // the check sees real errors, not zeros
  });
});

describe('exp against Math.exp', () => {
  test('at most 1 ulp apart on a million random arguments over the whole range', () => {
    const r = rng(20261201);
    const bad: string[] = [];
    let differ = 0;
    for (let i = 0; i < 1_000_000 && bad.length < 5; i++) {
      const u = r() / 2 ** 32;
      const x = i % 4 === 0 ? u * 1500 - 750 : i % 4 === 1 ? u * 40 - 20 : i % 4 === 2 ? (u * 2 - 1) * 2 ** -(r() % 60) : u * 2 - 1;
      const d = ulpDistance(exp(x), Math.exp(x));
      if (d > 1) bad.push(`${x}: ${exp(x)} vs ${Math.exp(x)}`);
      if (d !== 0) differ++;
    }
    expect(bad).toEqual([]);
    expect(differ).toBeLessThan(200_000);
  });
  test('special values', () => {
    expect(exp(NaN)).toBeNaN();
    expect(exp(Infinity)).toBe(Infinity);
    expect(exp(-Infinity)).toBe(0);
    expect(exp(0)).toBe(1);
    expect(exp(-0)).toBe(1);
    expect(exp(710)).toBe(Infinity);
    expect(exp(-746)).toBe(0);
    expect(exp(1)).toBe(Math.E);
    expect(exp(5e-324)).toBe(1);
    expect(exp(-5e-324)).toBe(1);
    for (const x of [707.9999, -707.9999, 708, -708, 709.78, -745.1, -740]) expect(ulpDistance(exp(x), Math.exp(x)), String(x)).toBeLessThanOrEqual(1);
  });
});
