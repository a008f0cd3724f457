import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { formatArg, formatArgInto, formatNumber, formatNumberInto } from '../../src/numbers/format.js';
import { nextDown, nextUp, randomDoubles } from './helpers.js';

const buf = new Uint8Array(64);
function into(x: number, at = 0): string {
  const end = formatNumberInto(x, buf, at);
  let s = '';
  for (let i = at; i < end; i++) s += String.fromCharCode(buf[i]);
  return s;
}
/** What activ prints: String(x), with -0 kept. */
function expected(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** Hand-picked doubles where shortest-digit algorithms and JS layout are easiest to get wrong. */
function edgeCases(): number[] {
  const xs: number[] = [
    0, -0, NaN, Infinity, -Infinity, 1, -1, 0.1, 0.2, 0.3, 1 / 3, 2 / 3, Math.PI, Math.E,
    5e-324, -5e-324, 1e-323, 2.2250738585072014e-308, 2.225073858507201e-308,
    2.2250738585072009e-308, 4.9406564584124654e-324, 1.7976931348623157e308,
    -1.7976931348623157e308, 8.98846567431158e307, 1e-7, 1e-6, 1.5e-7, 9.99999e-7, 1e20, 1e21,
    1e22, 1e23, 123456789012345680000, 999999999999999900000, 1.0000076293945312,
    1 + 2 ** -17, 2 ** 53, 2 ** 53 - 1, 2 ** 53 + 2, 2 ** 54, 2 ** 60, 2 ** 64, 2 ** 31,
    2 ** 31 - 1, -(2 ** 31), -(2 ** 31) - 1, 2 ** 32, 9007199254740993, 0.5, 0.25, 1.5, 4.35,
    0.000123, 1e-300, 1.2e-250, 3.4e200, 1e300, 1e-290, 1e297, 5e-310, 123.456, -98.76543,
    0.1 + 0.2, 100, 1e15, 1e16, 1e17, 9.5367431640625e-7, 0.30000000000000004,
  ];
  for (let k = -1074; k <= 1023; k++) xs.push(2 ** k, -(2 ** k));
  for (let k = -323; k <= 308; k++) {
    const p = Number(`1e${k}`);
    xs.push(p, nextUp(p), nextDown(p), 9 * p, 5 * p, -p);
  }
  for (let i = -50; i <= 200; i++) xs.push(2 ** 53 + i, 2 ** 54 + 4 * i, 1e17 + 16 * i);
  return xs;
}

describe('formatNumber', () => {
  test('is String(x) except that -0 prints as "-0"', () => {
    expect(formatNumber(-0)).toBe('-0');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('Infinity');
    expect(formatNumber(-Infinity)).toBe('-Infinity');
    expect(formatNumber(1e21)).toBe('1e+21');
    expect(formatNumber(1e-7)).toBe('1e-7');
    expect(formatNumber(0.000001)).toBe('0.000001');
    for (const x of edgeCases()) expect(formatNumber(x)).toBe(expected(x));
  });

  test('precision rounds to N significant digits, then writes the shortest form', () => {
    expect(formatNumber(1 / 3, 3)).toBe('0.333');
    expect(formatNumber(2 / 3, 1)).toBe('0.7');
    expect(formatNumber(123456, 2)).toBe('120000');
    expect(formatNumber(1.5, 5)).toBe('1.5');
    expect(formatNumber(1.23456e21, 3)).toBe('1.23e+21');
    expect(formatNumber(1.23456e-9, 2)).toBe('1.2e-9');
    expect(formatNumber(0.000001234, 2)).toBe('0.0000012');
    expect(formatNumber(9.99, 2)).toBe('10');
    expect(formatNumber(-0, 4)).toBe('-0');
    expect(formatNumber(-0.125, 2)).toBe('-0.13'); // toPrecision rounds an exact half up
    expect(formatNumber(NaN, 3)).toBe('NaN');
    expect(formatNumber(-Infinity, 3)).toBe('-Infinity');
    expect(formatNumber(0.1 + 0.2, 17)).toBe('0.30000000000000004');
    expect(formatNumber(0.1 + 0.2, 16)).toBe('0.3');
    for (const x of randomDoubles(3000, 7)) {
      for (const p of [1, 2, 6, 15, 17]) {
        const want = x === 0 ? expected(x) : String(Number(x.toPrecision(p)));
        expect(formatNumber(x, p)).toBe(want);
      }
    }
  });
});

describe('formatNumberInto', () => {
  test('writes the same bytes as formatNumber on every edge case', () => {
    const bad: string[] = [];
    for (const x of edgeCases()) {
      const got = into(x);
      if (got !== expected(x)) bad.push(`${expected(x)} -> ${got}`);
    }
    expect(bad).toEqual([]);
  });

  test('writes at the given position, returns the end, stays inside its 32 bytes', () => {
    buf.fill(35);
    const end = formatNumberInto(-12.5, buf, 10);
    expect(end).toBe(15);
    expect(String.fromCharCode(...buf.subarray(8, 15))).toBe('##-12.5');
    // Scratch digits may land after the end, but never past pos + 32.
    expect(buf.subarray(42).every((b) => b === 35)).toBe(true);
    // The longest outputs fit in the 32 bytes the caller guarantees.
    expect(into(-2.2250738585072014e-308).length).toBeLessThanOrEqual(32);
    for (const x of [-1.2345678901234567e-7, -0.0000012345678901234567]) {
      expect(into(x)).toBe(String(x));
      expect(into(x).length).toBeGreaterThanOrEqual(22);
    }
  });

  test('matches String(x) on 300,000 random doubles of every kind', () => {
    const xs = randomDoubles(300000, 12345);
    const bad: string[] = [];
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      const end = formatNumberInto(x, buf, 0);
      const want = expected(x);
      let ok = end === want.length;
      for (let j = 0; ok && j < end; j++) ok = buf[j] === want.charCodeAt(j);
      if (!ok && bad.length < 10) bad.push(`${want} -> ${into(x)}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('formatArgInto, the lanes\' entry (fast-check against String(x))', () => {
  /** The bytes formatArgInto writes for x, as a string. */
  function viaArg(x: number): string {
    formatArg[0] = x;
    const end = formatArgInto(buf, 3);
    let s = '';
    for (let i = 3; i < end; i++) s += String.fromCharCode(buf[i]);
    return s;
  }

  test('every double: any bit pattern, subnormals and extremes included', () => {
    fc.assert(
      fc.property(fc.double(), (x) => {
        expect(viaArg(x)).toBe(expected(x));
      }),
      { numRuns: 30_000, seed: 21 },
    );
  });

  test('doubles from raw bits near every binary exponent, with the odd/even and power-of-two boundaries', () => {
    const f = new Float64Array(1);
    const u = new Uint32Array(f.buffer);
    const hiWord = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2046 }), fc.integer({ min: 0, max: 0xfffff }), fc.constantFrom(0, 1, 2, 0xffffffff, 0x80000000), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), (be, mHi, edge, mLo, neg) => {
        u[hiWord] = ((neg ? 0x800 : 0) | be) * 0x100000 + (mLo & 1 ? mHi : 0);
        u[1 - hiWord] = mLo % 3 === 0 ? edge : mLo;
        const x = f[0];
        expect(viaArg(x)).toBe(expected(x));
      }),
      { numRuns: 30_000, seed: 22 },
    );
  });

  test('sigmoid outputs and values in the range activ\'s data has', () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), (u) => {
        const x = 1 / (1 + Math.exp(-u));
        expect(viaArg(x)).toBe(expected(x));
        expect(viaArg(u)).toBe(expected(u));
      }),
      { numRuns: 30_000, seed: 23 },
    );
  });
});
