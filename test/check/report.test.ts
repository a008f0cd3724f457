// src/check/report.ts: the text and JSON reports.
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/check/compare.js';
import { reportJson, reportText } from '../../src/check/report.js';

const subject = { call: 'gelu', input: 'x.csv', results: 'y.csv' };

describe('reports', () => {
  const expected = Float64Array.from([Math.fround(0.7310586), 1, NaN, Math.fround(-5.9195258e-9)]);
  const got = Float64Array.from([Math.fround(0.7310586), Math.fround(1 + 2 ** -23), 2, -0]);
  const r = compare({ expected, got, shape: [2, 2], inputs: Float64Array.from([1, 2, 3, -6]), dtype: 'float32', tolerance: 0, keep: 5 });

  it('text: the verdict, the histogram and the worst values in the dtype digits', () => {
    const t = reportText(r, subject);
    expect(t.split('\n').slice(0, 3)).toEqual([
      'gelu: y.csv against the exact values for x.csv, in float32',
      '4 values compared, 3 beyond 0 ulp: FAIL',
      `max ${r.maxUlp.toPrecision(3)} ulp, mean ${r.meanUlp.toPrecision(3)} ulp`,
    ]);
    expect(t).toMatch(/^0 +1 +25%$/m);
    expect(t).toMatch(/^NaN or sign +1 +25%$/m);
    expect(t).toMatch(/^ {2}\[1, 0\] +3 +NaN +2 +NaN\/sign$/m);
    expect(t).toMatch(/^ {2}\[1, 1\] +-6 +-5\.9195258e-9 +-0 +\d\.\d\de\+8$/m);
    expect(t).toMatch(/^ {2}\[0, 1\] +2 +1 +1\.0000001 +1$/m);
  });

  it('JSON: numbers in the dtype digits, NaN as a string, mismatches with ulp null', () => {
    const j = JSON.parse(reportJson(r, subject));
    expect(j).toMatchObject({ activation: 'gelu', dtype: 'float32', tolerance: 0, compared: 4, pass: false, beyond: 3 });
    expect(j.worst[0]).toEqual({ index: [1, 0], input: 3, expected: 'NaN', got: 2, ulp: null });
    expect(j.worst[2]).toEqual({ index: [0, 1], input: 2, expected: 1, got: 1.0000001, ulp: 1 });
    expect(reportJson(r, subject)).toContain('"got":1.0000001,');
  });
});
