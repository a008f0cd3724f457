// src/check/compare.ts and check.ts: ulp histogram, the worst values, tolerance, shapes, dtypes.
import { describe, expect, it } from 'vitest';
import { binOf, compare, unflatten } from '../../src/check/compare.js';
import { check } from '../../src/check/check.js';
import { lookup } from '../../src/kernels/registry.js';
import { roundTo } from '../../src/numbers/dtype.js';
import { rng, thrown } from '../support.js';

/** x moved by k ulps of float64 (k may be negative), through the bit pattern. */
function ulpsAway(x: number, k: number): number {
  const f = new Float64Array([x]);
  const b = new BigInt64Array(f.buffer);
  b[0] += BigInt(x < 0 ? -k : k);
  return f[0];
}

describe('compare', () => {
  it('bins distances as the issue lists them', () => {
    expect([0, 1, 2, 3, 4, 5, 16, 17, 256, 257, 1e20, undefined].map(binOf)).toEqual([
      '0', '1', '2', '3-4', '3-4', '5-16', '5-16', '17-256', '17-256', 'more', 'more', 'NaN or sign',
    ]);
  });

  it('counts, max, mean, and the worst first (mismatches, then distance, then position)', () => {
    const expected = Float64Array.from([1, 2, 3, 4, 5, 6, NaN, -1]);
    const got = Float64Array.from([1, ulpsAway(2, 3), ulpsAway(3, 1), 4, ulpsAway(5, -20), 6, 7, 1]);
    const r = compare({ expected, got, shape: [2, 4], dtype: 'float64', tolerance: 4, keep: 3 });
    expect(r.compared).toBe(8);
    expect(r.histogram).toEqual({ '0': 3, '1': 1, '2': 0, '3-4': 1, '5-16': 0, '17-256': 1, more: 0, 'NaN or sign': 2 });
    expect(r.maxUlp).toBe(20);
    expect(r.meanUlp).toBeCloseTo((3 + 1 + 20) / 6, 12);
    expect(r.beyond).toBe(3);
    expect(r.pass).toBe(false);
    expect(r.worst.map((w) => [w.flat, w.index, w.ulp])).toEqual([
      [6, [1, 2], undefined],
      [7, [1, 3], undefined],
      [4, [1, 0], 20],
    ]);
  });

  it('passes at exactly the tolerance and fails one above', () => {
    const expected = Float64Array.from([0.5]);
    expect(compare({ expected, got: Float64Array.from([ulpsAway(0.5, 2)]), shape: [1], dtype: 'float64', tolerance: 2, keep: 1 }).pass).toBe(true);
    expect(compare({ expected, got: Float64Array.from([ulpsAway(0.5, 3)]), shape: [1], dtype: 'float64', tolerance: 2, keep: 1 }).pass).toBe(false);
  });

  it('measures in the dtype: a float32 neighbour is 1 ulp there, 2^29 in float64', () => {
    const x = Math.fround(0.7310586);
    const y = Math.fround(x + 2 ** -24);
    const r32 = compare({ expected: Float64Array.from([x]), got: Float64Array.from([y]), shape: [1], dtype: 'float32', tolerance: 4, keep: 1 });
    const r64 = compare({ expected: Float64Array.from([x]), got: Float64Array.from([y]), shape: [1], dtype: 'float64', tolerance: 4, keep: 1 });
    expect([r32.maxUlp, r64.maxUlp]).toEqual([1, 2 ** 29]);
  });

  it('unflatten is row-major', () => {
    expect(unflatten(0, [2, 3])).toEqual([0, 0]);
    expect(unflatten(5, [2, 3])).toEqual([1, 2]);
    expect(unflatten(7, [2, 2, 2])).toEqual([1, 1, 1]);
    expect(unflatten(0, [])).toEqual([]);
  });
});

describe('check', () => {
  const sigmoid = lookup('sigmoid').bind({});
  const N = 1_000_000;
  const r = rng(7);
  const input = Float64Array.from({ length: N }, () => (r() - 0.5) * 40);
  const exact = new Float64Array(N);
  if (sigmoid.kind === 'elementwise') sigmoid.map(input, exact, 0, N);

  it('passes the exact results of a million values', () => {
    const rep = check({ kernel: sigmoid, name: 'sigmoid', input: { data: input, shape: [N] }, results: { data: exact, shape: [N, 1] }, tolerance: 2, keep: 5, inputName: 'x', resultsName: 'y' });
    expect([rep.pass, rep.compared, rep.maxUlp, rep.histogram['0']]).toEqual([true, N, 0, N]);
  });

  it('catches one value of a million 3 ulp off, with --tol 2', () => {
    const bad = exact.slice();
    const at = 654_321;
    bad[at] = ulpsAway(bad[at], 3);
    const rep = check({ kernel: sigmoid, name: 'sigmoid', input: { data: input, shape: [N] }, results: { data: bad, shape: [N] }, tolerance: 2, keep: 5, inputName: 'x', resultsName: 'y' });
    expect([rep.pass, rep.beyond, rep.maxUlp, rep.histogram['3-4'], rep.histogram['0']]).toEqual([false, 1, 3, 1, N - 1]);
    expect(rep.worst).toHaveLength(1);
    expect(rep.worst[0]).toMatchObject({ flat: at, index: [at], input: input[at], expected: exact[at], got: bad[at], ulp: 3 });
  });

  it('rounds inputs and exact values to the dtype (--dtype or the file own)', () => {
    const x = Float64Array.from([1, 0.1, -2]);
    const theirs = Float64Array.from([1, 0.1, -2].map((v) => roundTo(1 / (1 + Math.exp(-roundTo(v, 'float16'))), 'float16')));
    const plan = { kernel: sigmoid, name: 'sigmoid', input: { data: x, shape: [3] }, tolerance: 0, keep: 3, inputName: 'x', resultsName: 'y' };
    expect(check({ ...plan, results: { data: theirs, shape: [3], dtype: 'float16' } }).pass).toBe(true);
    expect(check({ ...plan, results: { data: theirs, shape: [3] }, dtype: 'float16' }).pass).toBe(true);
    expect(check({ ...plan, results: { data: theirs, shape: [3] } }).pass).toBe(false);
  });

  it('refuses shapes that differ, as a usage error naming both', () => {
    const e = thrown(() =>
      check({ kernel: sigmoid, name: 'sigmoid', input: { data: new Float64Array(6), shape: [2, 3] }, results: { data: new Float64Array(6), shape: [3, 2] }, tolerance: 4, keep: 1, inputName: 'x.csv', resultsName: 'y.csv' }),
    );
    expect(e.kind).toBe('usage');
    expect(e.message).toBe('shapes differ: sigmoid of x.csv [2, 3] gives [2, 3], y.csv holds [3, 2]');
  });

  it('glu: the output shape is compared, and inputs are not shown (positions differ)', () => {
    const glu = lookup('glu').bind({});
    const rep = check({ kernel: glu, name: 'glu', input: { data: Float64Array.from([1, 2, 3, 4]), shape: [1, 4] }, results: { data: Float64Array.from([1, 3]), shape: [1, 2] }, tolerance: 4, keep: 2, inputName: 'x', resultsName: 'y' });
    expect(rep.compared).toBe(2);
    expect(rep.worst.every((w) => w.input === undefined)).toBe(true);
  });
});
