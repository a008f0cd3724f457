import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { erf, erfc, erfcDD, erfDD } from '../../src/kernels/special.js';
import { parseDouble, ulpDistance } from './ulp.js';

// Reference values: fixtures/reference/special.json, written by
// fixtures/reference/generate.py (mpmath, correctly rounded doubles).
interface SpecialFixture {
  generated_by: string;
  mp_dps: number;
  functions: Record<'erf' | 'erfc', [string, string][]>;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/reference/special.json', import.meta.url), 'utf8'),
) as SpecialFixture;

const impls = { erf, erfc } as const;

describe.each(['erf', 'erfc'] as const)('%s against the mpmath reference', (name) => {
  test('max error <= 1 ulp, signs of zero exact', () => {
    const fn = impls[name];
    let worst = 0;
    let worstAt = 0;
    const bad: string[] = [];
    for (const [xs, ys] of fixture.functions[name]) {
      const x = parseDouble(xs);
      const want = parseDouble(ys);
      const got = fn(x);
      const d = ulpDistance(got, want);
      if (d > worst) {
        worst = d;
        worstAt = x;
      }
      if (d > 1 || (want === 0 && !Object.is(got, want))) bad.push(`${name}(${xs}) = ${got}, want ${ys}`);
    }
    console.log(`${name}: ${fixture.functions[name].length} cases, worst ${worst} ulp at x = ${worstAt}`);
    expect(bad).toEqual([]);
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe('edge cases', () => {
  test('signed zeros', () => {
    expect(Object.is(erf(0), 0)).toBe(true);
    expect(Object.is(erf(-0), -0)).toBe(true);
    expect(erfc(0)).toBe(1);
    expect(erfc(-0)).toBe(1);
  });
  test('infinities and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(erf(NaN)).toBeNaN();
    expect(erfc(NaN)).toBeNaN();
    expect(erfDD(NaN, 0)).toBeNaN();
    expect(erfcDD(NaN, 0)).toBeNaN();
  });
  test('subnormal arguments: erf(x) = 2x/sqrt(pi) rounded once, odd', () => {
    expect(erf(5e-324)).toBe(5e-324); // 1.128 * 2^-1074 rounds to 2^-1074
    expect(erf(-5e-324)).toBe(-5e-324);
    expect(erf(1e-323)).toBe(1e-323); // 2.257 * 2^-1074 -> 2 * 2^-1074
    expect(erf(2e-323)).toBe(2.5e-323); // 4.51 -> 5 (2.5e-323 = 5 * 2^-1074)
    expect(erfc(5e-324)).toBe(1);
    expect(erfc(-5e-324)).toBe(1);
  });
  test('saturation', () => {
    expect(erf(6)).toBe(1);
    expect(erf(-6)).toBe(-1);
    expect(erf(1e300)).toBe(1);
    expect(erfc(-6)).toBe(2);
    expect(erfc(-1e300)).toBe(2);
  });
  test('erfc far tail down to underflow', () => {
    // erfc(26.55) ~ 2^-1022, erfc(27.2) is a few subnormal ulps; past ~27.2264
    // erfc(x) < 2^-1075 and rounds to +0.
    expect(erfc(26.5)).toBeGreaterThan(2.2250738585072014e-308);
    const sub = erfc(27.2);
    expect(sub).toBeGreaterThan(0);
    expect(sub).toBeLessThan(2.2250738585072014e-308);
    expect(erfc(27.3)).toBe(0);
    expect(Object.is(erfc(28), 0)).toBe(true);
    expect(Object.is(erfc(1e300), 0)).toBe(true);
    // monotone through the subnormal range
    let prev = erfc(26);
    for (let x = 26; x <= 27.4; x += 1 / 1024) {
      const y = erfc(x);
      expect(y).toBeLessThanOrEqual(prev);
      prev = y;
    }
  });
  test('erfDD / erfcDD with lo = 0 agree with erf / erfc', () => {
    for (const x of [-30, -5, -1.1, -0.7, -1e-9, 1e-9, 0.3, 0.9, 1.3, 2, 4, 10, 27]) {
      expect(erfDD(x, 0)).toBe(erf(x));
      expect(erfcDD(x, 0)).toBe(erfc(x));
    }
  });
  test('erfcDD uses the low part: erfc(x/sqrt 2) with x/sqrt 2 given exactly as hi + lo', () => {
    // erfc is sensitive to its argument in the tail (d log erfc / dx ~ -2x), so
    // a double-double argument must change the result accordingly: at
    // t = 20, a shift of lo changes erfc by a factor exp(-2 t lo) ~ 1 - 40 lo.
    const hi = 20;
    const lo = 1e-15;
    const ratio = erfcDD(hi, lo) / erfc(hi);
    expect(Math.abs(ratio - (1 - 40 * lo))).toBeLessThan(1e-15);
  });
});
