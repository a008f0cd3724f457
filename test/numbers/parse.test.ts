import { describe, expect, test } from 'vitest';
import { parseNumber, parseNumberBytes, parseNumberFailed } from '../../src/numbers/parse.js';
import { randomDoubles, rng } from './helpers.js';

const buf = new Uint8Array(1024);
/** parseNumberBytes on s placed at an offset inside a larger buffer, with junk around it. */
function bytes(s: string): number | undefined {
  buf.fill(57); // '9' around the slice: a scanner that overruns its end would read digits
  for (let i = 0; i < s.length; i++) buf[3 + i] = s.charCodeAt(i);
  const v = parseNumberBytes(buf, 3, 3 + s.length);
  return v !== v && parseNumberFailed() ? undefined : v;
}

const accepted: [string, number][] = [
  ['1', 1],
  ['-1.5', -1.5],
  ['+1.5', 1.5],
  ['.5', 0.5],
  ['-.5', -0.5],
  ['5.', 5],
  ['1.e5', 1e5],
  ['1e-3', 0.001],
  ['1E+3', 1000],
  ['1e3', 1000],
  ['-0', -0],
  ['+0', 0],
  ['0', 0],
  ['-0.0', -0],
  ['0e999999999', 0],
  ['-0e-5', -0],
  ['00012', 12],
  ['0.000123', 0.000123],
  ['123456789012345', 123456789012345],
  ['9007199254740991', 9007199254740991],
  ['9007199254740993', 9007199254740992],
  ['9007199254740995', 9007199254740996],
  ['9007199254740993.0000000001', 9007199254740994],
  ['1e21', 1e21],
  ['1e22', 1e22],
  ['1e23', 1e23],
  ['1e-7', 1e-7],
  ['1e309', Infinity],
  ['-1e309', -Infinity],
  ['1e-400', 0],
  ['-1e-400', -0],
  ['5e-324', 5e-324],
  ['4.9406564584124654e-324', 5e-324],
  ['2.4703282292062327e-324', 0],
  ['2.4703282292062328e-324', 5e-324],
  ['2.2250738585072009e-308', 2.2250738585072009e-308],
  ['2.2250738585072011e-308', 2.225073858507201e-308],
  ['2.2250738585072014e-308', 2.2250738585072014e-308],
  ['1.7976931348623157e308', 1.7976931348623157e308],
  ['1.7976931348623158e308', 1.7976931348623157e308],
  ['1.7976931348623159e308', Infinity],
  ['0.1000000000000000055511151231257827021181583404541015625', 0.1],
  ['0.1000000000000000055511151231257827021181583404541015624', 0.1],
  ['12345678901234567890123', 1.2345678901234568e22],
  ['1234567890123456789012345678901234567890e-20', 1.2345678901234568e19],
  ['0.00000000000000000000000000000000000000001', 1e-41],
  ['1.00000000000000000000000000000000000000001', 1],
  ['3.14159265358979323846264338327950288', Math.PI],
];

const words: [string, number][] = [
  ['NaN', NaN],
  ['nan', NaN],
  ['NAN', NaN],
  ['-nan', NaN],
  ['Infinity', Infinity],
  ['infinity', Infinity],
  ['INFINITY', Infinity],
  ['-Infinity', -Infinity],
  ['+Infinity', Infinity],
  ['inf', Infinity],
  ['Inf', Infinity],
  ['INF', Infinity],
  ['-inf', -Infinity],
  ['+inf', Infinity],
];

const rejected = [
  '', ' ', '-', '+', '.', '-.', 'e5', '.e5', '1e', '1e+', '1e-', '1e+-3', '0x10', '0b1', '0o7',
  '1,5', '12abc', ' 12 ', ' 12', '12 ', '\t1', '1\n', '1_000', 'Infinityx', 'infinit', 'nanx',
  'in', '--1', '+-1', '1..2', '1.2.3', '1e3.5', '١٢', 'Infinity ', 'null', 'true', '1d', '1f',
];

describe('parseNumber and parseNumberBytes', () => {
  test('accept the strict syntax with the same double as Number()', () => {
    for (const [s, v] of accepted) {
      expect(parseNumber(s), s).toBe(v);
      expect(bytes(s), s).toBe(v);
      expect(v).toBe(Number(s));
    }
  });

  test('accept nan, inf and infinity in any case', () => {
    for (const [s, v] of words) {
      expect(parseNumber(s), s).toBe(v);
      expect(bytes(s), s).toBe(v);
    }
  });

  test('reject everything else', () => {
    for (const s of rejected) {
      expect(parseNumber(s), JSON.stringify(s)).toBeUndefined();
      expect(bytes(s), JSON.stringify(s)).toBeUndefined();
    }
  });

  test('parseNumberBytes signals bad text as NaN plus parseNumberFailed()', () => {
    const enc = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    const b = enc('12abc');
    expect(parseNumberBytes(b, 0, 5)).toBeNaN();
    expect(parseNumberFailed()).toBe(true);
    expect(parseNumberBytes(enc('nan'), 0, 3)).toBeNaN();
    expect(parseNumberFailed()).toBe(false);
    expect(parseNumberBytes(b, 0, 2)).toBe(12); // a slice of a larger buffer
    expect(parseNumberBytes(b, 1, 1)).toBeNaN(); // empty range
    expect(parseNumberFailed()).toBe(true);
  });

  test('long digit strings, halfway cases and powers of ten match Number()', () => {
    const r = rng(99);
    const cases: string[] = [];
    for (let k = -340; k <= 320; k++) cases.push(`1e${k}`, `9.999999999999999e${k}`, `5e${k}`);
    // exact decimal expansions of doubles and of the midpoints between neighbours
    for (let i = 0; i < 300; i++) {
      const x = (r() / 4294967296) * 10 ** ((r() % 40) - 20);
      const exact = x.toPrecision(100).replace(/0+$/, '');
      cases.push(exact, exact.replace(/\d$/, (d) => String((Number(d) + 5) % 10)));
    }
    for (let i = 0; i < 2000; i++) {
      let s = '';
      const n = 1 + (r() % 30);
      for (let j = 0; j < n; j++) s += String(r() % 10);
      const point = r() % (n + 1);
      s = `${s.slice(0, point)}.${s.slice(point)}`;
      if (s === '.') s = '0';
      cases.push(`${s}e${(r() % 700) - 350}`);
    }
    const bad: string[] = [];
    for (const s of cases) {
      const want = Number(s);
      if (!Object.is(parseNumber(s), want) || !Object.is(bytes(s), want)) bad.push(s);
    }
    expect(bad).toEqual([]);
  });

  test('read back String(x) and other renderings of 100,000 random doubles exactly', () => {
    const xs = randomDoubles(100000, 4242);
    const r = rng(7);
    const bad: string[] = [];
    const check = (s: string) => {
      const want = Number(s);
      if (!Object.is(parseNumber(s), want) || !Object.is(bytes(s), want)) bad.push(s);
    };
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i];
      check(String(x));
      if (i % 4 === 0 && x !== 0 && Number.isFinite(x)) {
        check(x.toExponential(r() % 21));
        check(x.toPrecision(1 + (r() % 21)));
        if (Math.abs(x) < 1e21) check(x.toFixed(r() % 21));
      }
      if (bad.length > 10) break;
    }
    expect(bad).toEqual([]);
  });
});
