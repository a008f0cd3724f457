import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../src/index.js';
import { errorUlp, parseDouble } from './ulp.js';

// Every activation and parameter setting against the committed reference
// (fixtures/reference/activations.json, written by
// fixtures/reference/generate.py with mpmath: correctly rounded doubles).
//
// Bounds (issue 2): element-wise <= 2 ulp, axis-wise <= 4 ulp on every
// element. NaN must match NaN; a zero reference must be matched exactly,
// sign included; an infinite reference must be matched exactly (and a finite
// reference must not come out infinite).

const ELEMENTWISE_MAX_ULP = 2;
const AXISWISE_MAX_ULP = 4;

type Params = Record<string, number | boolean | number[] | null>;
interface ElementwiseEntry {
  name: string;
  params: Params;
  cases: [string, string][];
}
interface AxiswiseEntry {
  name: string;
  params: Params;
  cases: { x: string[][]; y: string[][] }[];
}
interface Fixture {
  generated_by: string;
  mp_dps: number;
  elementwise: ElementwiseEntry[];
  axiswise: AxiswiseEntry[];
}

const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/reference/activations.json', import.meta.url), 'utf8'),
) as Fixture;

interface Worst {
  setting: string;
  cases: number;
  worst: number;
  at: string;
  got: string;
  want: string;
}
const summary: Worst[] = [];

function label(name: string, params: Params): string {
  const p = JSON.stringify(params);
  return p === '{}' ? name : `${name} ${p}`;
}

function show(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

describe('element-wise activations against the mpmath reference', () => {
  for (const entry of fixture.elementwise) {
    const setting = label(entry.name, entry.params);
    test(`${setting}: <= ${ELEMENTWISE_MAX_ULP} ulp`, () => {
      const xs = entry.cases.map(([x]) => parseDouble(x));
      const out = evaluate(entry.name, xs, entry.params) as number[];
      expect(out).toHaveLength(xs.length);
      const w: Worst = { setting, cases: xs.length, worst: 0, at: '', got: '', want: '' };
      const failures: string[] = [];
      entry.cases.forEach(([xs0, ys], i) => {
        const want = parseDouble(ys);
        const got = out[i]!;
        const d = errorUlp(got, want);
        if (d > w.worst || w.at === '') Object.assign(w, { worst: d, at: xs0, got: show(got), want: ys });
        if (d > ELEMENTWISE_MAX_ULP) failures.push(`${entry.name}(${xs0}) = ${show(got)}, want ${ys} (${d} ulp)`);
      });
      summary.push(w);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});

describe('axis-wise activations against the mpmath reference', () => {
  for (const entry of fixture.axiswise) {
    const setting = label(entry.name, entry.params);
    test(`${setting}: <= ${AXISWISE_MAX_ULP} ulp on every element`, () => {
      const w: Worst = { setting, cases: entry.cases.length, worst: 0, at: '', got: '', want: '' };
      const failures: string[] = [];
      for (const c of entry.cases) {
        const x = c.x.map((row) => row.map(parseDouble));
        const out = evaluate(entry.name, x, entry.params) as number[][];
        const rowText = `[${c.x.map((r) => r.join(', ')).join('; ')}]`;
        expect(out.length).toBe(c.y.length);
        c.y.forEach((yrow, r) => {
          expect(out[r]!.length).toBe(yrow.length);
          yrow.forEach((ys, j) => {
            const want = parseDouble(ys);
            const got = out[r]![j]!;
            const d = errorUlp(got, want);
            const at = `${rowText}[${j}]`;
            if (d > w.worst || w.at === '') Object.assign(w, { worst: d, at, got: show(got), want: ys });
            if (d > AXISWISE_MAX_ULP) failures.push(`${entry.name}${at} = ${show(got)}, want ${ys} (${d} ulp)`);
          });
        });
      }
      summary.push(w);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});

afterAll(() => {
  if (summary.length === 0) return;
  const lines = summary.map(
    (w) =>
      `${w.setting.padEnd(58)} ${String(w.cases).padStart(4)}  ${String(w.worst).padStart(8)} ulp  at ${w.at}` +
      (w.worst > 0 ? `  (got ${w.got}, want ${w.want})` : ''),
  );
  console.log(['worst ulp per activation setting (vs correctly rounded mpmath reference):', ...lines].join('\n'));
});
