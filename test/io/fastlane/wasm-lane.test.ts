/**
 * Differential tests of the wasm byte lane (wasm-lane.ts) against the TypeScript one (scan.ts):
 * generated tables of every kind of cell the lanes meet (17-digit and integer numbers, subnormals,
 * huge exponents, -0, nan/inf words, quotes, bad cells, empty cells and lines, CRLF, stray CR),
 * fed in random chunks, must give the same bytes, stop at the same offset, and count the same lines.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TableLane, type TableLaneOptions } from '../../../src/io/fastlane/scan.js';
import { WasmTableLane } from '../../../src/io/fastlane/wasm-lane.js';
import { lookup } from '../../../src/kernels/registry.js';
import { feedBytes } from './lanes.js';
import { alongRows } from '../../../src/tensor.js';

const enc = new TextEncoder();

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** A double from a random bit pattern (every exponent, subnormals, NaN and infinities). */
const bitsDouble = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })).map(([a, b]) => {
  u32[0] = a;
  u32[1] = b;
  return f64[0];
});
const text = (x: number): string => (Object.is(x, -0) ? '-0' : String(x));

const numberCell = fc.oneof(
  bitsDouble.map(text),
  fc.double({ min: -20, max: 20, noNaN: true }).map(text),
  fc.integer().map(String),
  fc.integer({ min: 0, max: 99999 }).map((m) => `${m}e${m % 700 - 350}`),
  fc.constantFrom('0', '-0', '+5', '.5', '5.', '1E+3', '1e400', '-1e-400', '4.9e-324', '2.2250738585072011e-308', '123456789012345678901234567890', '0.1000000000000000055511151231257827'),
);
const oddCell = fc.constantFrom('nan', 'NaN', '-inf', 'Infinity', '+INF', '"1"', 'abc', '1e', '', ' 1', '1 ', '0x10', '1,5', '1\r2', '--1', '1.2.3');
const cell = fc.oneof({ weight: 20, arbitrary: numberCell }, { weight: 1, arbitrary: oddCell });
const line = fc.tuple(fc.array(cell, { minLength: 1, maxLength: 6 }), fc.constantFrom('\n', '\n', '\n', '\r\n'));
const table = fc.record({
  lines: fc.array(line, { minLength: 1, maxLength: 40 }),
  lastEnding: fc.boolean(),
  sep: fc.constantFrom(',', '\t'),
  select: fc.array(fc.constantFrom(0, 1), { maxLength: 4 }),
  rest: fc.constantFrom<0 | 1>(0, 1, 1),
  width: fc.constantFrom(0, 0, 3),
  crlf: fc.boolean(),
  kernel: fc.constantFrom('sigmoid', 'relu', 'softmax', 'linear'),
  step: fc.constantFrom(1, 5, 17, 64, 1 << 20),
});

describe('the wasm lane gives the TypeScript lane bytes', () => {
  test('random tables, random chunks', () => {
    fc.assert(
      fc.property(table, (t) => {
        let s = t.lines.map(([cells, nl]) => cells.join(t.sep) + nl).join('');
        if (!t.lastEnding) s = s.replace(/\r?\n$/, '');
        const buf = enc.encode(s);
        const o: TableLaneOptions = {
          sep: t.sep.charCodeAt(0),
          select: Uint8Array.from(t.select),
          rest: t.rest,
          step: alongRows(lookup(t.kernel).bind({}), t.kernel),
          crlf: t.crlf,
          width: t.width || undefined,
        };
        const wasm = new WasmTableLane(o, 0);
        const got = feedBytes(wasm, buf, t.step);
        // an empty input (one empty line without its ending) gives the lane nothing to switch on
        expect(wasm.inWasm).toBe(buf.length > 0);
        expect(got).toEqual(feedBytes(new TableLane(o), buf, t.step));
      }),
      { numRuns: 3000 },
    );
  });

  test('a large file: the switch to wasm after the first chunks, many batches', () => {
    const rows: string[] = [];
    for (let i = 0; i < 60000; i++) rows.push(`${i},${Math.sin(i) * 10 ** ((i % 40) - 20)},${i % 97 === 0 ? 'nan' : -i / 3},keep${i}`);
    const buf = enc.encode(rows.join('\r\n') + '\r\n');
    const o: TableLaneOptions = { sep: 44, select: Uint8Array.from([0, 1, 1, 0]), rest: 1, step: alongRows(lookup('tanh').bind({}), 'tanh'), crlf: false };
    const wasm = new WasmTableLane(o);
    const got = feedBytes(wasm, buf, 1 << 16);
    expect(wasm.inWasm).toBe(true);
    expect(got.lines).toBe(60000);
    expect(got).toEqual(feedBytes(new TableLane(o), buf, 1 << 16));
  });

  test('--precision and text stay in TypeScript', () => {
    const step = alongRows(lookup('relu').bind({}), 'relu');
    const precise = new WasmTableLane({ sep: 44, select: new Uint8Array(0), rest: 1, step, crlf: false, precision: 3 }, 0);
    expect(feedBytes(precise, enc.encode('3.14159,-1\n'), 64).out).toBe('3.14,0\n');
    expect(precise.inWasm).toBe(false);
  });
});
