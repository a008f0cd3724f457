// --dtype's accuracy: every element-wise activation and parameter setting, on float32, float16 and
// bfloat16 inputs, against the exact result correctly rounded to the same dtype
// (fixtures/reference/dtypes.json), and the axis-wise ones along rows of such values
// (dtypes_axiswise.json), both written by fixtures/reference/generate_dtype.py with mpmath.
//
// Bounds (issue 12): within 1 ulp of the dtype everywhere; correctly rounded (bit for bit) on at
// least 99.99% of the values of each dtype. Rounding the float64 result (itself within 2 ulp of
// float64) once more can miss only when it sits next to a rounding boundary of the dtype.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, test } from 'vitest';
import { kernelInDtype } from '../../src/kernels/dtype.js';
import { lookup } from '../../src/kernels/registry.js';
import { applyKernel } from '../../src/tensor.js';
import type { ElementwiseKernel } from '../../src/kernels/spec.js';
import { fromBfloat16Bits, fromFloat16Bits, ulpDistance, type Dtype } from '../../src/numbers/dtype.js';

type Narrow = Exclude<Dtype, 'float64'>;
interface Setting {
  name: string;
  params: Record<string, number | boolean | null>;
  outputs: (number | null)[];
}
interface Fixture {
  generated_by: string;
  dtypes: Record<Narrow, { inputs: number[]; settings: Setting[] }>;
}

interface AxisFixture {
  dtypes: Record<Narrow, { name: string; rows: { x: number[]; y: (number | null)[] }[] }[]>;
}
const axisFixture = JSON.parse(readFileSync(new URL('../../fixtures/reference/dtypes_axiswise.json', import.meta.url), 'utf8')) as AxisFixture;

const fixture = JSON.parse(readFileSync(new URL('../../fixtures/reference/dtypes.json', import.meta.url), 'utf8')) as Fixture;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const VALUE: Record<Narrow, (bits: number) => number> = {
  float32: (b) => {
    u32[0] = b;
    return f32[0];
  },
  float16: fromFloat16Bits,
  bfloat16: fromBfloat16Bits,
};

const MIN_CORRECTLY_ROUNDED = 0.9999;
const summary: string[] = [];

for (const dtype of ['float32', 'float16', 'bfloat16'] as Narrow[]) {
  describe(`${dtype}: element-wise activations against mpmath, rounded once to ${dtype}`, () => {
    const { inputs, settings } = fixture.dtypes[dtype];
    const xs = Float64Array.from(inputs, VALUE[dtype]);
    let total = 0;
    let exact = 0;
    const misses: string[] = [];

    for (const s of settings) {
      const label = `${s.name} ${JSON.stringify(s.params)}`;
      test(`${label}: within 1 ulp`, () => {
        const k = kernelInDtype(lookup(s.name).bind(s.params), dtype) as ElementwiseKernel;
        const ys = new Float64Array(xs.length);
        k.map(xs, ys, 0, xs.length);
        const bad: string[] = [];
        s.outputs.forEach((bits, i) => {
          const want = bits === null ? NaN : VALUE[dtype](bits);
          const got = ys[i];
          total++;
          if (Object.is(got, want) || (got !== got && want !== want)) {
            exact++;
            return;
          }
          const d = ulpDistance(got, want, dtype);
          // A zero must come with the right sign; anything else within 1 ulp.
          if (!(d <= 1) || (want === 0 && got === 0)) bad.push(`x=${xs[i]}: got ${got}, want ${want} (${d} ulp)`);
          else misses.push(`${label} x=${xs[i]}: got ${got}, want ${want}`);
        });
        expect(bad.slice(0, 5)).toEqual([]);
      });
    }

    for (const entry of axisFixture.dtypes[dtype]) {
      test(`${entry.name} along rows (${entry.rows.length}): within 1 ulp`, () => {
        const k = kernelInDtype(lookup(entry.name).bind({}), dtype);
        const bad: string[] = [];
        for (const row of entry.rows) {
          const x = Float64Array.from(row.x, VALUE[dtype]);
          const y = applyKernel(k, { data: x, shape: [1, x.length] }, entry.name).data;
          expect(y.length).toBe(row.y.length);
          row.y.forEach((bits, i) => {
            const want = bits === null ? NaN : VALUE[dtype](bits);
            total++;
            if (Object.is(y[i], want)) exact++;
            else if (ulpDistance(y[i], want, dtype) <= 1 && !(want === 0 && y[i] === 0)) misses.push(`${entry.name} [${[...x]}][${i}]: got ${y[i]}, want ${want}`);
            else bad.push(`[${[...x]}][${i}]: got ${y[i]}, want ${want}`);
          });
        }
        expect(bad.slice(0, 3)).toEqual([]);
      });
    }

    test(`correctly rounded on at least ${MIN_CORRECTLY_ROUNDED * 100}% of the values`, () => {
      expect(total).toBeGreaterThan(40_000);
      summary.push(`${dtype}: ${exact}/${total} correctly rounded (${((100 * exact) / total).toFixed(4)}%), ${total - exact} at 1 ulp${misses.length ? `: ${misses.slice(0, 3).join('; ')}` : ''}`);
      expect(exact / total).toBeGreaterThanOrEqual(MIN_CORRECTLY_ROUNDED);
    });
  });
}

afterAll(() => {
  if (summary.length) console.log(`--dtype against the mpmath reference (${fixture.generated_by}):\n  ${summary.join('\n  ')}`);
});
