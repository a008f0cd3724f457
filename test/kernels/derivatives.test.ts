import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { catalogue, evaluate } from '../../src/index.js';
import { errorUlp, parseDouble } from './ulp.js';

// Every derivative against the committed reference (fixtures/reference/derivatives.json, written
// by fixtures/reference/generate_grad.py with mpmath: correctly rounded doubles of analytic
// formulas checked against mpmath.diff).
//
// Bounds (issue 13): element-wise derivatives <= 2 ulp of the correctly rounded value (NaN must
// match NaN, a zero exactly with its sign, an infinity exactly); vector-Jacobian products within
// 4 ulp of each row's largest term (the row's `scale`: |got - want| <= 4 ulp(scale)), NaN for NaN.

const ELEMENTWISE_MAX_ULP = 2;
const VJP_MAX_ULP = 4;

type Params = Record<string, number | boolean | number[] | null>;
interface ElementwiseEntry {
  name: string;
  params: Params;
  cases: [string, string][];
}
interface VjpCase {
  x: string[];
  v: string[];
  g: string[];
  scale: string;
}
interface AxiswiseEntry {
  name: string;
  params: Params;
  cases: VjpCase[];
}
interface Fixture {
  elementwise: ElementwiseEntry[];
  axiswise: AxiswiseEntry[];
}

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/reference/derivatives.json', import.meta.url), 'utf8')) as Fixture;

/** The spacing of doubles at |s| (the smallest subnormal at 0). */
function ulpOf(s: number): number {
  const a = Math.abs(s);
  if (a < 2 ** -1021) return 2 ** -1074;
  return 2 ** (Math.floor(Math.log2(a)) - 52);
}

/** |got - want| in units of ulp(scale); Infinity for NaN or infinite mismatches. */
function scaledError(got: number, want: number, scale: number): number {
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want ? 0 : Infinity;
  return Math.abs(got - want) / ulpOf(scale);
}

interface Worst {
  setting: string;
  cases: number;
  worst: number;
  at: string;
}
const summary: Worst[] = [];
const show = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
const label = (name: string, params: Params): string => (JSON.stringify(params) === '{}' ? name : `${name} ${JSON.stringify(params)}`);

describe('element-wise derivatives against the mpmath reference', () => {
  for (const entry of fixture.elementwise) {
    const setting = label(entry.name, entry.params);
    test(`${setting}: <= ${ELEMENTWISE_MAX_ULP} ulp`, () => {
      const xs = entry.cases.map(([x]) => parseDouble(x));
      const out = evaluate(entry.name, xs, entry.params, { grad: true }) as number[];
      expect(out).toHaveLength(xs.length);
      const w: Worst = { setting, cases: xs.length, worst: 0, at: '' };
      const failures: string[] = [];
      entry.cases.forEach(([x, ys], i) => {
        const d = errorUlp(out[i]!, parseDouble(ys));
        if (d > w.worst || w.at === '') Object.assign(w, { worst: d, at: `${x} (got ${show(out[i]!)}, want ${ys})` });
        if (d > ELEMENTWISE_MAX_ULP) failures.push(`${entry.name}'(${x}) = ${show(out[i]!)}, want ${ys} (${d} ulp)`);
      });
      summary.push(w);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});

describe('vector-Jacobian products against the mpmath reference', () => {
  for (const entry of fixture.axiswise) {
    test(`${entry.name}: within ${VJP_MAX_ULP} ulp of each row's largest term`, () => {
      const w: Worst = { setting: `${entry.name} (vjp)`, cases: entry.cases.length, worst: 0, at: '' };
      const failures: string[] = [];
      for (const c of entry.cases) {
        const x = [c.x.map(parseDouble)];
        const v = [c.v.map(parseDouble)];
        const g = (evaluate(entry.name, x, entry.params, { grad: true, cotangent: v }) as number[][])[0]!;
        expect(g).toHaveLength(c.g.length);
        const scale = parseDouble(c.scale);
        c.g.forEach((ws, j) => {
          const d = scaledError(g[j]!, parseDouble(ws), scale);
          const at = `x=[${c.x.join(', ')}] v=[${c.v.join(', ')}] [${j}] (got ${show(g[j]!)}, want ${ws}, scale ${c.scale})`;
          if (d > w.worst || w.at === '') Object.assign(w, { worst: d, at });
          if (d > VJP_MAX_ULP) failures.push(`${at}: ${d} ulp of the scale`);
        });
      }
      summary.push(w);
      expect(failures.slice(0, 20)).toEqual([]);
    });
  }
});

test('the reference covers every activation in the catalogue, each with a derivative', () => {
  const covered = new Set([...fixture.elementwise, ...fixture.axiswise].map((e) => e.name));
  for (const s of catalogue()) {
    expect(covered.has(s.name), s.name).toBe(true);
    expect(s.derivative.formula.length, s.name).toBeGreaterThan(0);
  }
});

afterAll(() => {
  if (summary.length === 0) return;
  const lines = summary.map((w) => `${w.setting.padEnd(58)} ${String(w.cases).padStart(4)}  ${w.worst.toPrecision(3).padStart(8)} ulp  at ${w.at}`);
  console.log(['worst error per derivative setting (vs correctly rounded mpmath reference):', ...lines].join('\n'));
});
