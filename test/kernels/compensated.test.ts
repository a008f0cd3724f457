import { describe, expect, test } from 'vitest';
import { CompensatedSum, DD, ddAdd, ddDivInt, ddMul, divDD, mulExp, twoProd, twoSum } from '../../src/kernels/compensated.js';
import { ulpDistance } from './ulp.js';
import { rng } from '../support.js';

// ---------------------------------------------------------------- exact arithmetic with BigInt
/** x = m * 2^e exactly, m an integer (x finite). */
interface Exact {
  m: bigint;
  e: number;
}
const dv = new DataView(new ArrayBuffer(8));
function exact(x: number): Exact {
  if (!Number.isFinite(x)) throw new Error(`not finite: ${x}`);
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const bexp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & 0xfffffffffffffn;
  if (bexp === 0) return { m: sign * frac, e: -1074 };
  return { m: sign * (frac | (1n << 52n)), e: bexp - 1075 };
}
function add(a: Exact, b: Exact): Exact {
  const e = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e };
}
function mul(a: Exact, b: Exact): Exact {
  return { m: a.m * b.m, e: a.e + b.e };
}
function eq(a: Exact, b: Exact): boolean {
  const d = add(a, { m: -b.m, e: b.e });
  return d.m === 0n;
}
/** |a - b| / |b| as a double (b nonzero). */
function relErr(a: Exact, b: Exact): number {
  const d = add(a, { m: -b.m, e: b.e });
  if (d.m === 0n) return 0;
  const abs = (v: bigint): bigint => (v < 0n ? -v : v);
  // scale both to the same exponent, then compare magnitudes in floating point via their bit lengths
  const e = Math.min(d.e, b.e);
  const dn = abs(d.m) << BigInt(d.e - e);
  const bn = abs(b.m) << BigInt(b.e - e);
  const shift = Math.max(0, bn.toString(2).length - 60);
  return Number(dn >> BigInt(shift)) / Number(bn >> BigInt(shift));
}


/** Random doubles with all 53 bits used and exponents spread over ±range. */
function randomDouble(rand: () => number, range: number): number {
  const m = rand() + rand() * 2 ** -26 + rand() * 2 ** -52; // full mantissa
  const sign = rand() < 0.5 ? -1 : 1;
  return sign * (1 + m) * 2 ** Math.floor((rand() * 2 - 1) * range);
}

const N = 3000;

describe('twoSum is error-free', () => {
  test('hi = fl(a + b) and hi + lo = a + b exactly, on random doubles', () => {
    const rand = rng(11);
    for (let i = 0; i < N; i++) {
      const a = randomDouble(rand, i % 3 === 0 ? 600 : 60);
      const b = randomDouble(rand, i % 3 === 0 ? 600 : 60);
      twoSum(a, b);
      expect(DD.hi).toBe(a + b);
      if (!eq(add(exact(DD.hi), exact(DD.lo)), add(exact(a), exact(b)))) throw new Error(`twoSum(${a}, ${b}) = ${DD.hi} + ${DD.lo} is not exact`);
      // lo is at most half an ulp of hi
      expect(Math.abs(DD.lo)).toBeLessThanOrEqual(Math.abs(DD.hi) * 2 ** -53);
    }
  });
  test('classic cases', () => {
    twoSum(1, 2 ** -53);
    expect([DD.hi, DD.lo]).toEqual([1, 2 ** -53]);
    twoSum(2 ** -53, 1); // order does not matter (Knuth, not Fast2Sum)
    expect([DD.hi, DD.lo]).toEqual([1, 2 ** -53]);
    twoSum(1e16, -1e16);
    expect(DD.hi).toBe(0);
    expect(DD.lo === 0).toBe(true);
    twoSum(0.1, 0.2);
    expect(DD.hi).toBe(0.30000000000000004);
    expect(DD.lo).toBe(-2.7755575615628914e-17);
  });
});

describe('twoProd is error-free', () => {
  test('hi = fl(a * b) and hi + lo = a * b exactly, on random doubles', () => {
    const rand = rng(12);
    for (let i = 0; i < N; i++) {
      // Dekker needs no overflow of 2^27 a and no underflow of the low part: keep |a|, |b| within 2^±400
      const a = randomDouble(rand, i % 3 === 0 ? 400 : 40);
      const b = randomDouble(rand, i % 3 === 0 ? 400 : 40);
      twoProd(a, b);
      expect(DD.hi).toBe(a * b);
      if (!eq(add(exact(DD.hi), exact(DD.lo)), mul(exact(a), exact(b)))) throw new Error(`twoProd(${a}, ${b}) = ${DD.hi} + ${DD.lo} is not exact`);
    }
  });
  test('classic cases', () => {
    twoProd(1 + 2 ** -52, 1 + 2 ** -52); // 1 + 2^-51 + 2^-104
    expect([DD.hi, DD.lo]).toEqual([1 + 2 ** -51, 2 ** -104]);
    twoProd(0.1, 10);
    expect(DD.hi).toBe(1);
    expect(DD.lo).toBe(5.551115123125783e-17);
    twoProd(3, 7);
    expect([DD.hi, DD.lo]).toEqual([21, 0]);
  });
});

describe('double-double helpers', () => {
  test('ddAdd and ddMul are good to about 106 bits', () => {
    const rand = rng(13);
    let worstAdd = 0;
    let worstMul = 0;
    for (let i = 0; i < 1000; i++) {
      const ah = randomDouble(rand, 30);
      const al = ah * 2 ** -60 * (rand() - 0.5);
      const bh = randomDouble(rand, 30);
      const bl = bh * 2 ** -60 * (rand() - 0.5);
      const A = add(exact(ah), exact(al));
      const B = add(exact(bh), exact(bl));
      ddMul(ah, al, bh, bl);
      worstMul = Math.max(worstMul, relErr(add(exact(DD.hi), exact(DD.lo)), mul(A, B)));
      // sums of same-sign operands (no cancellation: relative error is meaningful)
      const bs = Math.sign(ah) === Math.sign(bh) ? 1 : -1;
      ddAdd(ah, al, bs * bh, bs * bl);
      const S = add(A, { m: BigInt(bs) * B.m, e: B.e });
      worstAdd = Math.max(worstAdd, relErr(add(exact(DD.hi), exact(DD.lo)), S));
    }
    expect(worstMul).toBeLessThan(2 ** -100);
    expect(worstAdd).toBeLessThan(2 ** -100);
  });

  test('divDD rounds (ah + al) / (bh + bl) to within 1 ulp', () => {
    const rand = rng(14);
    for (let i = 0; i < 1000; i++) {
      const a = randomDouble(rand, 20);
      const b = randomDouble(rand, 20);
      expect(ulpDistance(divDD(a, 0, b, 0), a / b)).toBeLessThanOrEqual(1);
    }
    expect(divDD(1, 0, 3, 0)).toBe(1 / 3);
    // (1 + 2^-60) / (1 + 2^-53 + 2^-106): the low parts matter
    expect(divDD(1, 0, 1, 2 ** -53)).toBe(1 - 2 ** -53);
    expect(divDD(2, 2 ** -52, 2, 0)).toBe(1); // exactly 1 + 2^-53, a tie: to even
    expect(divDD(2, 3 * 2 ** -52, 2, 0)).toBe(1 + 2 ** -51); // exactly 1 + 1.5 * 2^-52, a tie: to even
    expect(divDD(2, 5 * 2 ** -54, 2, 0)).toBe(1 + 2 ** -52); // exactly 1 + 1.25 * 2^-52
  });

  test('divDD: zeros, infinities and huge numerators', () => {
    expect(Object.is(divDD(-0, 0, 3, 0), -0)).toBe(true);
    expect(divDD(Infinity, 0, 2, 0)).toBe(Infinity);
    expect(divDD(-Infinity, 0, 2, 0)).toBe(-Infinity);
    expect(divDD(NaN, 0, 2, 0)).toBeNaN();
    expect(divDD(1e308, 0, 1, 0)).toBe(1e308);
    expect(divDD(Number.MAX_VALUE, 0, 2, 0)).toBe(Number.MAX_VALUE / 2);
    expect(ulpDistance(divDD(1.5e308, 0, 1.5, 0), 1e308)).toBeLessThanOrEqual(1);
  });

  test('ddDivInt: (ah + al) / k to about 106 bits, also for huge numerators', () => {
    for (const [ah, al, k] of [
      [1, 0, 3],
      [2, 2 ** -60, 7],
      [-0.1, 1e-20, 11],
      [1e305, 1e288, 3],
      [-1.7e308, 0, 9],
    ]) {
      ddDivInt(ah, al, k);
      expect(Number.isFinite(DD.hi) && Number.isFinite(DD.lo), `${ah}/${k}`).toBe(true);
      const back = add(mul(add(exact(DD.hi), exact(DD.lo)), exact(k)), { m: -add(exact(ah), exact(al)).m, e: add(exact(ah), exact(al)).e });
      // |(hi + lo) k - (ah + al)| relative to ah
      expect(relErr(add(back, add(exact(ah), exact(al))), add(exact(ah), exact(al)))).toBeLessThan(2 ** -100);
      expect(DD.hi).toBe(ah / k);
    }
  });
});

describe('CompensatedSum', () => {
  test('beats naive summation on an ill-conditioned sum', () => {
    const xs = [1, 1e100, 1, -1e100];
    const s = new CompensatedSum();
    let naive = 0;
    for (const x of xs) {
      s.add(x);
      naive += x;
    }
    expect(naive).toBe(0);
    expect(s.value).toBe(2);
  });

  test('0.1 added ten times is 1; naive gives 0.9999999999999999', () => {
    const s = new CompensatedSum();
    let naive = 0;
    for (let i = 0; i < 10; i++) {
      s.add(0.1);
      naive += 0.1;
    }
    expect(naive).toBe(0.9999999999999999);
    expect(s.value).toBe(1);
  });

  test('random sums: compensated is correctly rounded-ish, naive is far worse', () => {
    const rand = rng(15);
    const xs = Array.from({ length: 2000 }, () => randomDouble(rand, 30));
    // cancel most of it so the result is small next to the terms
    xs.push(...xs.slice(0, 1990).map((x) => -x * (1 + 2 ** -40)));
    let ex: Exact = { m: 0n, e: 0 };
    const s = new CompensatedSum();
    let naive = 0;
    for (const x of xs) {
      ex = add(ex, exact(x));
      s.add(x);
      naive += x;
    }
    const errComp = relErr(exact(s.value), ex);
    const errNaive = relErr(exact(naive), ex);
    expect(errComp).toBeLessThan(2 ** -50);
    expect(errNaive).toBeGreaterThan(errComp);
  });

  test('reset clears the state', () => {
    const s = new CompensatedSum();
    s.add(1e100);
    s.add(1);
    s.reset();
    s.add(3);
    expect(s.value).toBe(3);
    expect(new CompensatedSum().value).toBe(0);
  });
});

describe('mulExp: a * e^t rounded about once, subnormal results included', () => {
  // mpmath, mp.dps = 60: float(mpf(a) * exp(mpf(t)))
  const CASES: [a: number, t: number, want: number][] = [
    [1, -600, 2.6503965530043108e-261],
    [1, -700.5, 5.980196118639791e-305],
    [1, -720, 2.0322308024e-313],
    [1, -740, 4.2e-322],
    [1, -744, 1e-323],
    [1, -745, 5e-324],
    [1, -760, 0.0],
    [3, -600, 7.951189659012933e-261],
    [3, -700.5, 1.7940588355919374e-304],
    [3, -720, 6.09669240726e-313],
    [3, -740, 1.255e-321],
    [3, -744, 2.5e-323],
    [3, -745, 1e-323],
    [1000, -600, 2.6503965530043106e-258],
    [1000, -700.5, 5.980196118639792e-302],
    [1000, -720, 2.0322308024243e-310],
    [1000, -740, 4.18874e-319],
    [1000, -744, 7.673e-321],
    [1000, -745, 2.82e-321],
    [-740, -600, -1.96129344922319e-258],
    [-740, -700.5, -4.425345127793445e-302],
    [-740, -720, -1.503850793794e-310],
    [-740, -740, -3.09967e-319],
    [-740, -744, -5.677e-321],
    [-740, -745, -2.09e-321],
    [0.5, -720, 1.01611540123e-313],
    [0.5, -740, 2.08e-322],
    [1e10, -720, 2.032230802424293e-303],
    [1e10, -740, 4.18873988005e-312],
    [1e10, -744, 7.6719447043e-314],
    [1e10, -745, 2.8223507306e-314],
    [1e10, -760, 8.63e-321],
  ];
  test.each(CASES)('mulExp(%s, %s) = %s within 1 ulp (subnormal grid)', (a, t, want) => {
    const got = mulExp(a, t);
    if (want === 0) expect(got === 0).toBe(true);
    else expect(ulpDistance(got, want), `got ${got}`).toBeLessThanOrEqual(1);
  });

  test('mulExp(1, -740) agrees with Math.exp(-740)', () => {
    expect(ulpDistance(mulExp(1, -740), Math.exp(-740))).toBeLessThanOrEqual(1);
    expect(ulpDistance(mulExp(1, -745), Math.exp(-745))).toBeLessThanOrEqual(1);
  });

  test('it beats the naive a * Math.exp(t) where that rounds twice', () => {
    // 1000 e^-740: Math.exp(-740) is a subnormal with 7 significant bits, so the product is 0.26% off
    const naive = 1000 * Math.exp(-740);
    expect(ulpDistance(naive, 4.18874e-319)).toBeGreaterThan(100);
    expect(ulpDistance(mulExp(1000, -740), 4.18874e-319)).toBeLessThanOrEqual(1);
  });

  test('the low part of the exponent is honoured', () => {
    // e^(-1 + 1e-17) (mpmath: 0.36787944117144233); e^-1 alone rounds the same, so check the first-order term
    expect(ulpDistance(mulExp(1, -1, 1e-17), 0.36787944117144233)).toBeLessThanOrEqual(1);
    const base = mulExp(1, -720);
    expect(mulExp(1, -720, 2 ** -20)).toBeGreaterThan(base);
    expect(mulExp(1, -720, -(2 ** -20))).toBeLessThan(base);
  });

  test('limits', () => {
    expect(mulExp(5, -Infinity) === 0).toBe(true);
    expect(mulExp(2, 0)).toBe(2);
    expect(mulExp(NaN, -800)).toBeNaN();
  });
});
