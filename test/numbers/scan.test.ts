/**
 * scanNumber: the fast lane's one-pass parse, which finds a number's end while reading it. It
 * must stop exactly where the number's syntax ends, give the same double as parseNumberBytes over
 * that range, and return -1 where no number starts (word forms are parseNumberBytes's).
 */
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
