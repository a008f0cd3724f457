import { describe, expect, test } from 'vitest';
import { formatFixed } from '../../src/numbers/fixed.js';
import { rng } from '../support.js';

/**
 * The reference, in exact integer arithmetic: x = m * 2^e exactly (BigInt), x * 10^n rounded
 * half to even by integer division, then written with n digits after the point.
 */
function reference(x: number, n: number): string {
  if (!Number.isFinite(x)) return String(x);
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  const frac = bits & ((1n << 52n) - 1n);
  const m = exp === 0 ? frac : frac | (1n << 52n);
  const e = (exp === 0 ? 1 : exp) - 1075;
  // |x| * 10^n = num / den
  let num = m * 10n ** BigInt(n);
  let den = 1n;
  if (e >= 0) num <<= BigInt(e);
  else den <<= BigInt(-e);
  let q = num / den;
  const r = num % den;
  if (2n * r > den || (2n * r === den && q % 2n === 1n)) q += 1n;
  let s = q.toString();
  if (n > 0) {
    s = s.padStart(n + 1, '0');
    s = s.slice(0, -n) + '.' + s.slice(-n);
  }
  return (negative ? '-' : '') + s;
}

describe('formatFixed', () => {
  test('ties go to the even neighbour, on the exact binary value', () => {
    expect(formatFixed(0.5, 0)).toBe('0');
    expect(formatFixed(1.5, 0)).toBe('2');
    expect(formatFixed(2.5, 0)).toBe('2');
    expect(formatFixed(-2.5, 0)).toBe('-2');
    expect(formatFixed(0.125, 2)).toBe('0.12');
    expect(formatFixed(0.375, 2)).toBe('0.38');
    expect(formatFixed(-0.625, 2)).toBe('-0.62');
    // 0.15 is 0.1499999999999999944... and 0.35 is 0.34999999999999997780...: not ties
    expect(formatFixed(0.15, 1)).toBe('0.1');
    expect(formatFixed(0.35, 1)).toBe('0.3');
    // 2.675 is 2.67499999999999982236431605997495353221893310546875
    expect(formatFixed(2.675, 2)).toBe('2.67');
  });

  test('never scientific notation; the sign of zero kept; non-finite as String(x)', () => {
    expect(formatFixed(1e21, 2)).toBe('1000000000000000000000.00');
    expect(formatFixed(-1.7976931348623157e308, 0)).toBe('-' + (2n ** 1024n - 2n ** 971n).toString());
    expect(formatFixed(1e-7, 3)).toBe('0.000');
    expect(formatFixed(-1e-7, 3)).toBe('-0.000');
    expect(formatFixed(-0, 1)).toBe('-0.0');
    expect(formatFixed(0, 0)).toBe('0');
    expect(formatFixed(5e-324, 3)).toBe('0.000');
    expect(formatFixed(NaN, 2)).toBe('NaN');
    expect(formatFixed(-Infinity, 2)).toBe('-Infinity');
  });

  test('matches the BigInt reference on random doubles of every magnitude', () => {
    const next = rng(14);
    const f64 = new Float64Array(1);
    const u32 = new Uint32Array(f64.buffer);
    for (let i = 0; i < 20000; i++) {
      u32[0] = (next() * 2 ** 32) >>> 0;
      u32[1] = (next() * 2 ** 32) >>> 0;
      const x = f64[0];
      const n = Math.floor(next() * 21);
      expect(formatFixed(x, n), `${x} with ${n} decimals`).toBe(reference(x, n));
    }
  });

  test('matches the reference on ties and near-ties (dyadic values with few bits)', () => {
    const next = rng(41);
    for (let i = 0; i < 20000; i++) {
      const a = Math.floor((next() - 0.5) * 2 ** 41);
      const x = a / 2 ** Math.floor(next() * 31);
      const n = Math.floor(next() * 21);
      expect(formatFixed(x, n), `${x} with ${n} decimals`).toBe(reference(x, n));
      const y = x + Number.EPSILON * Math.abs(x);
      expect(formatFixed(y, n), `${y} with ${n} decimals`).toBe(reference(y, n));
    }
  });
});
