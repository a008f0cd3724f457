import { describe, expect, test } from 'vitest';
import { lookup } from '../../src/kernels/registry.js';
import type { AxisKernel } from '../../src/kernels/spec.js';
import { applyKernel } from '../../src/tensor.js';
import { rng } from '../support.js';

const NAMES = ['softmax', 'softmin', 'log_softmax', 'sparsemax'] as const;

function kernel(name: string, axis = 0): AxisKernel {
  const k = lookup(name).bind({ axis });
  if (k.kind !== 'axiswise') throw new Error(`${name} is not axis-wise`);
  return k;
}

/**
 * Drive a column run by its documented protocol:
 *   while (run.wantsPass()) { for each row: run.observe(row, at); run.endPass(); }
 *   then for each row, in the same order: run.emit(row, at, out, outAt).
 * Rows sit at an offset inside a larger buffer, and are written at another offset, to check
 * that start / outStart are honoured.
 */
function viaColumns(name: string, table: number[][]): { out: number[][]; passes: number } {
  const width = table[0].length;
  const run = kernel(name).columns?.(width);
  if (!run) throw new Error(`${name}: no column run`);
  const AT = 3;
  const rows = table.map((r) => {
    const buf = new Float64Array(AT + width + 2).fill(777);
    buf.set(r, AT);
    return buf;
  });
  let passes = 0;
  while (run.wantsPass()) {
    for (const r of rows) run.observe(r, AT);
    run.endPass();
    passes++;
    if (passes > 200) throw new Error(`${name}: column run does not converge`);
  }
  const out = rows.map((r) => {
    const o = new Float64Array(width + 5).fill(-555);
    run.emit(r, AT, o, 2);
    if (o[0] !== -555 || o[1] !== -555 || o[width + 2] !== -555) throw new Error(`${name}: emit wrote outside its slots`);
    return Array.from(o.subarray(2, 2 + width));
  });
  // the rows are not modified
  rows.forEach((r, i) => {
    for (let j = 0; j < width; j++) if (!Object.is(r[AT + j], table[i][j])) throw new Error(`${name}: row ${i} modified`);
  });
  return { out, passes };
}

function inMemory(name: string, table: number[][]): number[][] {
  const width = table[0].length;
  const t = applyKernel(kernel(name), { data: Float64Array.from(table.flat()), shape: [table.length, width] }, name);
  expect(t.shape).toEqual([table.length, width]);
  return table.map((_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)));
}

/** Bit for bit (NaN = NaN; +0 and -0 differ), with the first difference named. */
function expectIdentical(name: string, table: number[][]): number {
  const { out, passes } = viaColumns(name, table);
  const want = inMemory(name, table);
  for (let i = 0; i < table.length; i++) {
    for (let j = 0; j < table[0].length; j++) {
      const a = out[i][j];
      const b = want[i][j];
      if (!Object.is(a, b)) {
        const col = table.map((r) => r[j]);
        throw new Error(`${name}: row ${i} column ${j}: columns ${a} vs in-memory ${b}; column = [${col.join(', ')}]`);
      }
    }
  }
  return passes;
}


function randomTable(rand: () => number, rows: number, width: number, special: boolean): number[][] {
  const scales = Array.from({ length: width }, () => [1e-3, 0.3, 1, 5, 50, 700][Math.floor(rand() * 6)]);
  const table = Array.from({ length: rows }, () => scales.map((s) => (rand() * 2 - 1) * s));
  // some columns with ties (a repeated value)
  for (let j = 0; j < width; j++) if (rand() < 0.2) for (let i = 0; i < rows; i += 2) table[i][j] = table[0][j];
  if (special) {
    const SPECIAL = [NaN, Infinity, -Infinity];
    for (let j = 0; j < width; j++) {
      const r = rand();
      if (r < 0.45) table[Math.floor(rand() * rows)][j] = SPECIAL[Math.floor(rand() * 3)];
      else if (r < 0.55) for (let i = 0; i < rows; i++) table[i][j] = -Infinity; // a whole column of -Infinity
      else if (r < 0.65) for (let i = 0; i < rows; i += 2) table[i][j] = Infinity;
    }
  }
  return table;
}

describe('column runs agree bit for bit with applyKernel on axis 0', () => {
  test.each(NAMES)('%s: 40 seeded random tables', (name) => {
    const rand = rng(name.length * 1000 + 1);
    for (let t = 0; t < 40; t++) {
      const rows = 1 + Math.floor(rand() * 40);
      const width = 1 + Math.floor(rand() * 6);
      expectIdentical(name, randomTable(rand, rows, width, false));
    }
  });

  test.each(NAMES)('%s: tables with NaN, ±Infinity and all -Infinity columns', (name) => {
    const rand = rng(name.length * 7 + 99);
    for (let t = 0; t < 60; t++) {
      const rows = 1 + Math.floor(rand() * 12);
      const width = 1 + Math.floor(rand() * 6);
      expectIdentical(name, randomTable(rand, rows, width, true));
    }
  });

  test.each(NAMES)('%s: single-row tables', (name) => {
    expectIdentical(name, [[1, -2, 0, Infinity, -Infinity, NaN, 1e308, -1e308, 5e-324]]);
    const { out } = viaColumns(name, [[1, -2, 0]]);
    expect(out[0]).toEqual(name === 'log_softmax' ? [0, 0, 0] : [1, 1, 1]);
  });

  test.each(NAMES)('%s: hand-picked columns', (name) => {
    const cols = [
      [1, 2, 3],
      [0.5, 0.4, -7],
      [2, 2, 2],
      [-745, -744, -700],
      [1e17, 0, -1],
      [1e308, -1e308, 0],
      [Number.MAX_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE],
      [-Number.MAX_VALUE, -Number.MAX_VALUE, -Infinity],
      [Infinity, Infinity, 1],
      [-Infinity, 3, -Infinity],
      [1000, 1000.5, 999],
      [1, 1 + 2 ** -52, 1 - 2 ** -53],
    ];
    const table = cols[0].map((_, i) => cols.map((c) => c[i]));
    expectIdentical(name, table);
  });
});

describe('column-run details', () => {
  test('softmax family: exactly two passes (max, then sums)', () => {
    for (const name of ['softmax', 'softmin', 'log_softmax']) {
      expect(expectIdentical(name, [[1, 2], [3, 4], [5, 6]])).toBe(2);
    }
  });

  test('sparsemax converges in a handful of passes', () => {
    const rand = rng(5);
    const table = randomTable(rand, 200, 4, false);
    expect(expectIdentical('sparsemax', table)).toBeLessThanOrEqual(20);
  });

  test('sparsemax: [0.5, 0.4] down a column gives [0.55, 0.45] like the rows do', () => {
    const { out } = viaColumns('sparsemax', [[0.5], [0.4]]);
    expect(out.flat()).toEqual(inMemory('sparsemax', [[0.5], [0.4]]).flat());
    expect(Math.abs(out[0][0] - 0.55)).toBeLessThan(1e-16);
  });

  test('sparsemax with a huge column maximum: [1e17, 0] -> [1, 0]', () => {
    // max - 1 rounds to max for max >= 2^54: the first tau must not lose the 1.
    const { out } = viaColumns('sparsemax', [[1e17], [0]]);
    expect(out.flat()).toEqual([1, 0]);
  });

  test('glu has no column run', () => {
    const k = lookup('glu').bind({ axis: 0 });
    expect(k.kind).toBe('axiswise');
    expect((k as AxisKernel).columns?.(4)).toBeUndefined();
  });

  test.each(NAMES)('%s: columns are independent of each other', (name) => {
    const a = viaColumns(name, [[1, NaN], [2, 5], [3, 6]]).out.map((r) => r[0]);
    const b = viaColumns(name, [[1], [2], [3]]).out.map((r) => r[0]);
    expect(a).toEqual(b);
  });
});
