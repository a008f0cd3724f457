/**
 * scanNumber: the fast lane's one-pass parse, which finds a number's end while reading it. It
 * must stop exactly where the number's syntax ends, give the same double as parseNumberBytes over
 * that range, and return -1 where no number starts (word forms are parseNumberBytes's).
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseNumberBytes, scanNumber, scanned } from '../../src/numbers/parse.js';
import { randomDoubles, rng } from './helpers.js';

const enc = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** scanNumber over all of s: [stop, value] (value NaN when none). */
function scan(s: string): [number, number] {
  const stop = scanNumber(enc(s), 0, s.length);
  return [stop, stop < 0 ? NaN : scanned[0]];
}

describe('scanNumber', () => {
  test('stops at the first byte that cannot continue the number', () => {
    expect(scan('12,3')).toEqual([2, 12]);
    expect(scan('-1.5\n')).toEqual([4, -1.5]);
    expect(scan('1e5x')).toEqual([3, 1e5]);
    expect(scan('1.2.3')).toEqual([3, 1.2]);
    expect(scan('.5\t')).toEqual([2, 0.5]);
    expect(scan('5.,')).toEqual([2, 5]);
    expect(scan('1E+3\r\n')).toEqual([4, 1000]);
    expect(scan('7')).toEqual([1, 7]);
    expect(scan('1e-3"')).toEqual([4, 0.001]);
  });

  test('no number where the syntax has none, including an exponent without digits', () => {
    for (const s of ['', '-', '+', '.', '-.', 'e5', '1e', '1e,', '1e+', '1e-,', 'inf', 'nan', '-inf', ',1', 'x1']) {
      expect(scan(s)[0], s).toBe(-1);
    }
  });

  test('never reads past its end', () => {
    const b = enc('123456789');
    expect(scanNumber(b, 2, 5)).toBe(5);
    expect(scanned[0]).toBe(345);
  });

  test('the same double as parseNumberBytes and Number() on 5,000 random doubles, then a separator', () => {
    const xs = randomDoubles(5_000, 11);
    const pick = rng(12);
    const seps = [',', '\t', '\n', '\r', ' ', ';', '"'];
    const wrong: string[] = [];
    let checked = 0;
    for (const x of xs) {
      if (!Number.isFinite(x)) continue;
      // shortest, exponent and fixed spellings, as other programs write them
      for (const t of [String(x), x.toExponential(), x.toPrecision(17)]) {
        const s = t + seps[Math.floor(pick() * seps.length)] + '9';
        const [stop, v] = scan(s);
        const ok = stop === t.length && Object.is(v, Number(t)) && Object.is(v, parseNumberBytes(enc(s), 0, t.length));
        if (!ok) wrong.push(`${s}: stop ${stop}, ${v}`);
        checked++;
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(10_000);
  }, 60_000);
});

describe('scanNumber on digit strings of every shape (fast-check)', () => {
  // The mantissa is read four digits at a time where four are there: lengths, zeros and the
  // point's place vary so every split between the 4-digit words and single digits is taken,
  // including the 15/19-digit boundaries and digits past them that are zero or not.
  const digits = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: min, maxLength: max });
  const number = fc
    .tuple(fc.constantFrom('', '-', '+'), digits(0, 24), fc.boolean(), digits(0, 24), fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), fc.integer({ min: 0, max: 330 }))))
    .map(([sign, int, point, frac, exp]) => sign + int + (point ? '.' + frac : '') + (exp ? exp[0] + exp[1] + exp[2] : ''))
    .filter((t) => /[0-9]/.test(t.split(/[eE]/)[0]));

  test('the same double as Number(), stopping where the number ends', () => {
    fc.assert(
      fc.property(number, fc.constantFrom(',', '\n', 'x', '', '.'), (t, after) => {
        const s = t + after;
        const stop = scanNumber(enc(s), 0, s.length);
        const expected = after === '.' && !t.includes('.') && !/[eE]/.test(t) ? t.length + 1 : t.length;
        expect(stop).toBe(expected);
        expect(Object.is(scanned[0], Number(s.slice(0, stop)))).toBe(true);
      }),
      { numRuns: 20_000, seed: 11 },
    );
  });

  test('16 to 19 significant digits after leading zeros, as other programs print doubles', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), digits(16, 19), fc.integer({ min: 0, max: 3 }), (zeros, sig, intLen) => {
        const body = '0'.repeat(zeros) + sig;
        const t = intLen === 0 ? '0.' + body : body.slice(0, intLen) + '.' + body.slice(intLen);
        const stop = scanNumber(enc(t + ','), 0, t.length + 1);
        expect(stop).toBe(t.length);
        expect(Object.is(scanned[0], Number(t))).toBe(true);
      }),
      { numRuns: 20_000, seed: 12 },
    );
  });

  test('zeros past the 19 kept digits still place the point', () => {
    fc.assert(
      fc.property(digits(1, 21), fc.integer({ min: 0, max: 12 }), digits(0, 3), (sig, zeros, frac) => {
        const t = sig + '0'.repeat(zeros) + '.' + frac;
        const stop = scanNumber(enc(t + '\n'), 0, t.length + 1);
        expect(stop).toBe(t.length);
        expect(Object.is(scanned[0], Number(t))).toBe(true);
      }),
      { numRuns: 20_000, seed: 13 },
    );
  });
});
