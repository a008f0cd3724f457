/**
 * The wasm number core (src/wasm/number.ts, built into dist/wasm/lane.wasm) against JavaScript:
 * formatting gives String(x) (-0 as "-0") and parsing gives Number() and the TypeScript parser's
 * syntax, on millions of doubles from random bit patterns and on the hard cases (subnormals,
 * powers of two, halfway decimals, more than 19 digits, extreme exponents).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LaneCore, laneModule } from '../../src/io/fastlane/wasm-core.js';
import { scanNumber, scanned } from '../../src/numbers/parse.js';
import { fromBits, rng } from '../numbers/helpers.js';
// @ts-expect-error: a plain ES module without types (the table generator)
import { tablesSource } from '../../src/wasm/gen-tables.mjs';

const module = laneModule();
if (!module) throw new Error('dist/wasm/lane.wasm is not built (npm run build)');
const core = new LaneCore(module, { select: new Uint8Array(0), sep: 44, rest: 1 }, 1 << 16);
const AT = core.inAt;

function wasmFormat(x: number): string {
  const end = core.x.format(x, AT);
  let s = '';
  for (let i = AT; i < end; i++) s += String.fromCharCode(core.u8[i]);
  return s;
}
function wasmParse(s: string): number {
  for (let i = 0; i < s.length; i++) core.u8[AT + i] = s.charCodeAt(i);
  return core.x.parseRange(AT, AT + s.length);
}
const jsText = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

/** Count of mismatches, with the first few for the message. */
function mismatches(values: Iterable<number>, check: (x: number) => string | undefined): string[] {
  const bad: string[] = [];
  for (const x of values) {
    const m = check(x);
    if (m !== undefined && bad.push(m) > 5) break;
  }
  return bad;
}

function* randomDoubles(n: number, seed: number): Generator<number> {
  const r = rng(seed);
  for (let i = 0; i < n; i++) yield fromBits(r(), r());
}
function* hardDoubles(): Generator<number> {
  for (let t = 1; t < 70000; t++) yield fromBits(0, t); // small subnormals
  for (let e = -1074; e <= 1023; e++) {
    const p = 2 ** e;
    yield p;
    yield -p;
    if (p * 3 < Infinity) yield p * 3;
  }
  yield fromBits(0x000fffff, 0xffffffff); // largest subnormal
  yield fromBits(0x7fefffff, 0xffffffff); // largest double
  for (let k = -330; k <= 310; k++) {
    const v = Number(`1e${k}`);
    yield v;
    yield v * (1 + Number.EPSILON);
  }
  for (let i = 0; i < 2000; i++) yield i * 1e15 + i;
  for (const x of [0, -0, NaN, Infinity, -Infinity, 1e21, 1e-7, 1e-6, 123e-20, 2 ** 53, 2 ** 53 + 2, 0.1, 0.3, 1 / 3]) yield x;
}
function* sigmoidOutputs(n: number): Generator<number> {
  const r = rng(7);
  for (let i = 0; i < n; i++) yield 1 / (1 + Math.exp(-((r() / 2 ** 32) * 40 - 20)));
}

describe('wasm formatNumber is String(x), -0 as "-0"', () => {
  const check = (x: number): string | undefined => (wasmFormat(x) === jsText(x) ? undefined : `${jsText(x)} -> ${wasmFormat(x)}`);
  test('two million random bit patterns', () => {
    expect(mismatches(randomDoubles(2_000_000, 12345), check)).toEqual([]);
  });
  test('subnormals, powers of two, powers of ten, integers', () => {
    expect(mismatches(hardDoubles(), check)).toEqual([]);
  });
  test('a million sigmoid outputs', () => {
    expect(mismatches(sigmoidOutputs(1_000_000), check)).toEqual([]);
  });
  test('decimals of 1 to 17 digits, zeros inside and at either end, at every exponent', () => {
    // the digit words' leading and trailing zeros: every count in both 8-digit halves and the top digit
    function* decimals(): Generator<number> {
      const r = rng(99);
      for (let i = 0; i < 400_000; i++) {
        const n = 1 + (r() % 17);
        let digits = '';
        for (let j = 0; j < n; j++) digits += r() % 3 === 0 ? '0' : String(r() % 10);
        const x = Number(`${digits}e${(r() % 660) - 340}`);
        yield x;
        yield -x;
      }
      for (let z = 0; z <= 17; z++) for (const lead of ['1', '9', '10', '99']) yield Number(lead + '0'.repeat(z));
    }
    expect(mismatches(decimals(), check)).toEqual([]);
  });
});

describe('wasm scanNumber is Number() and the TypeScript syntax', () => {
  const roundTrip = (x: number): string | undefined => {
    if (!Number.isFinite(x)) return undefined; // the words (nan, inf) are read by the TypeScript lane
    const got = wasmParse(jsText(x));
    return Object.is(got, x) ? undefined : `${jsText(x)} -> ${got}`;
  };
  test('the text of two million random bit patterns reads back', () => {
    expect(mismatches(randomDoubles(2_000_000, 999), roundTrip)).toEqual([]);
  });
  test('hard doubles and sigmoid outputs read back', () => {
    expect(mismatches(hardDoubles(), roundTrip)).toEqual([]);
    expect(mismatches(sigmoidOutputs(500_000), roundTrip)).toEqual([]);
  });

  test('random decimal texts of 1 to 30 digits, any exponent: the same double as Number()', () => {
    const r = rng(4242);
    const bad: string[] = [];
    for (let i = 0; i < 300_000 && bad.length < 5; i++) {
      const n = 1 + (r() % 30);
      let d = '';
      for (let j = 0; j < n; j++) d += String(r() % 10);
      const point = r() % (n + 1);
      const text = `${r() % 2 ? '-' : ''}${d.slice(0, point)}.${d.slice(point)}e${(r() % 700) - 350}`;
      if (!Object.is(wasmParse(text), Number(text))) bad.push(text);
    }
    expect(bad).toEqual([]);
  });

  test('halfway and near-halfway decimals', () => {
    const cases = ['9007199254740993', '9007199254740993.0000000001', '9007199254740992.9999999999', '2.2250738585072011e-308', '2.2250738585072012e-308', '4.9406564584124654e-324', '2.4703282292062327e-324', '2.4703282292062328e-324', '1.7976931348623158e308', '1.7976931348623159e308', '0.5000000000000000277555756156289135105907917022705078125', '1e-400', '1e400', '0e999999'];
    for (const c of cases) expect(wasmParse(c), c).toBe(Number(c));
  });

  test('the same syntax as the TypeScript scanNumber on random short texts', () => {
    const alphabet = '0123456789.eE+-x ';
    const r = rng(77);
    const bytes = new Uint8Array(16);
    const bad: string[] = [];
    for (let i = 0; i < 300_000 && bad.length < 5; i++) {
      const n = 1 + (r() % 10);
      let s = '';
      for (let j = 0; j < n; j++) s += alphabet[r() % alphabet.length];
      for (let j = 0; j < n; j++) bytes[j] = s.charCodeAt(j);
      const ts = scanNumber(bytes, 0, n) === n ? scanned[0] : NaN;
      if (!Object.is(wasmParse(s), ts)) bad.push(s);
    }
    expect(bad).toEqual([]);
  });
});

  // The SIMD path reads 32 bytes from the first digit, masks off what lies at or past `end`, and
  // leaves runs that reach the window's edge (or more than 19 significant digits) to the scalar
  // path: digits after `end`, leading zeros of every length, runs of 1 to 40 digits either side of
  // the point and numbers ending just before, at and after the window's edge.
  test('digits after the end are not read, and runs across the 32-byte window are whole', () => {
    const r = rng(2026);
    const digits = (n: number, zeros: boolean): string => {
      let s = '';
      for (let j = 0; j < n; j++) s += zeros && r() % 3 === 0 ? '0' : String(r() % 10);
      return s;
    };
    const bad: string[] = [];
    const bytes = new Uint8Array(128);
    for (let i = 0; i < 200_000 && bad.length < 5; i++) {
      const zeros = r() % 2 === 0;
      const int = r() % 4 === 0 ? '0'.repeat(r() % 25) + digits(r() % 4, zeros) : digits(r() % 41, zeros);
      const frac = r() % 5 === 0 ? '' : '.' + '0'.repeat(r() % 3 === 0 ? r() % 30 : 0) + digits(r() % 41, zeros);
      const exp = r() % 3 === 0 ? `e${r() % 2 ? '-' : ''}${r() % 400}` : '';
      const s = `${['', '-', '+'][r() % 3]}${int}${frac}${exp}`;
      for (let j = 0; j < s.length; j++) bytes[j] = s.charCodeAt(j);
      const ts = scanNumber(bytes, 0, s.length) === s.length ? scanned[0] : NaN;
      // garbage after the end: digits (would extend the number if read), a point, an e
      const tail = digits(40, false) + '.5e7';
      for (let j = 0; j < tail.length; j++) core.u8[AT + s.length + j] = tail.charCodeAt(j);
      for (let j = 0; j < s.length; j++) core.u8[AT + j] = s.charCodeAt(j);
      const got = core.x.parseRange(AT, AT + s.length);
      if (!Object.is(got, ts)) bad.push(`${s} -> ${got}, not ${ts}`);
      else if (!Number.isNaN(ts) && !Object.is(ts, Number(s))) bad.push(`${s}: TypeScript ${ts} but Number() ${Number(s)}`);
    }
    expect(bad).toEqual([]);
  });

test('src/wasm/tables.ts is what gen-tables.mjs makes', () => {
  expect(readFileSync(new URL('../../src/wasm/tables.ts', import.meta.url), 'utf8')).toBe(tablesSource());
});
