/**
 * End to end for --grad (issue 13): spawn bin/activ.js and compare dy/dx with the library's
 * evaluate(..., { grad: true }) through every format, on a CSV large enough for the fast lane's
 * worker threads (which rebuild the kernel from the grad flag in their recipe), and the
 * axis-wise --cotangent path with its usage errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { evaluate } from '../../src/index.js';
import { PARALLEL_MIN_BYTES } from '../../src/io/fastlane/run.js';
import { formatNumber } from '../../src/numbers/format.js';
import { activ } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-grad-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const grad = (name: string, xs: number[], params = {}): number[] => evaluate(name, xs, params, { grad: true }) as number[];

describe.concurrent('--grad through every format', { timeout: 120_000 }, () => {
  test('inline numbers: dy/dx, tails included', async () => {
    const r = await activ(['gelu', '--grad', '--', '-10', '-0.75', '0', '1', '40']);
    expect(r.code).toBe(0);
    expect(r.out).toBe(grad('gelu', [-10, -0.75, 0, 1, 40]).map((v) => formatNumber(v)).join(' ') + '\n');
    expect(r.out.split(' ')[0]).toBe('-7.618400096464814e-22'); // gelu'(-10), mpmath: -7.6184000964648e-22
    const k = await activ(["relu(max_value=6)", '--grad', '--', '-1', '0', '3', '6', '7']);
    expect(k.out).toBe('0 0 1 0 0\n'); // nn.relu6's gradient: 0 at 0 and at 6
  });

  test('CSV: header and text columns kept, the numbers replaced by dy/dx', async () => {
    const r = await activ(['silu', '--grad', 'fixtures/data.csv']);
    expect(r.code).toBe(0);
    const [x, y] = [grad('silu', [-2, 0, 3]), grad('silu', [0.5, 1.5, -0.25])];
    expect(r.out).toBe(`id,x,y,label\na1,${formatNumber(x[0]!)},${formatNumber(y[0]!)},neg\na2,${formatNumber(x[1]!)},${formatNumber(y[1]!)},zero\na3,${formatNumber(x[2]!)},${formatNumber(y[2]!)},pos\n`);
  });

  test('JSON: a tensor keeps its shape', async () => {
    const r = await activ(['tanh', '--grad', 'fixtures/tensor.json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(evaluate('tanh', [[1, 2, 3], [-1, 0, 1]], {}, { grad: true }));
  });

  test('NDJSON: arrays, records and scalars', async () => {
    const r = await activ(['mish', '--grad', '-q', 'fixtures/rows.ndjson']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(lines[0]).toEqual(grad('mish', [1, 2, 3]));
    expect(lines[1]).toEqual({ id: 'r2', x: grad('mish', [-1])[0], y: grad('mish', [2])[0] });
    expect(lines[2]).toBe(grad('mish', [0.5])[0]);
  });

  test('a CSV past the worker-thread threshold: the workers bind the derivative too', async () => {
    const rows: string[] = ['a,b,c'];
    let bytes = 6;
    for (let i = 0; bytes < PARALLEL_MIN_BYTES + (1 << 20); i++) {
      const line = `${((i % 2001) - 1000) / 37},${Math.sin(i) * 50},${(i % 97) / 7 - 7}`;
      rows.push(line);
      bytes += line.length + 1;
    }
    const file = join(tmp, 'big.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const [fast, general, value] = await Promise.all([
      activ(['sigmoid', '--grad', file], undefined, { ACTIV_THREADS: '2' }),
      activ(['sigmoid', '--grad', file], undefined, { ACTIV_LANE: 'general' }),
      activ(['sigmoid', file], undefined, { ACTIV_THREADS: '2' }),
    ]);
    expect(fast.code).toBe(0);
    expect(fast.out.length).toBeGreaterThan(PARALLEL_MIN_BYTES / 2);
    expect(fast.out).toBe(general.out);
    expect(fast.out).not.toBe(value.out);
    const out = fast.out.split('\n');
    for (const k of [1, 2, 777, rows.length - 1]) {
      expect(out[k]).toBe(grad('sigmoid', rows[k]!.split(',').map(Number)).map((v) => formatNumber(v)).join(','));
    }
  });
});

describe.concurrent('--grad on axis-wise activations: --cotangent', { timeout: 60_000 }, () => {
  test('softmax: the vector-Jacobian product, in the input format', async () => {
    const v = join(tmp, 'v.csv');
    writeFileSync(v, 'cat,dog,bird\n1,0,0\n0,1,-1\n0.5,0.5,0.5\n2,-3,1\n');
    const r = await activ(['softmax', '--grad', '--cotangent', v, 'fixtures/logits.csv']);
    expect(r.code).toBe(0);
    const x = [[2, 1, 0.1], [0.5, 2.5, -1], [-3, 0, 3], [1e-3, 1e-3, 1e-3]];
    const want = evaluate('softmax', x, {}, { grad: true, cotangent: [[1, 0, 0], [0, 1, -1], [0.5, 0.5, 0.5], [2, -3, 1]] }) as number[][];
    expect(r.out).toBe(['cat,dog,bird', ...want.map((row) => row.map((v) => formatNumber(v)).join(','))].join('\n') + '\n');
    // a constant cotangent is orthogonal to softmax's Jacobian rows: exactly 0
    expect(want[2]!.map(Math.abs)).toEqual([0, 0, 0]);
  });

  test('glu: the cotangent has the output shape (half the axis); JSON in, JSON out', async () => {
    const x = join(tmp, 'x.json');
    const v = join(tmp, 'vg.json');
    writeFileSync(x, '[[1,2,3,4],[5,-6,7,-800]]');
    writeFileSync(v, '[[1,0],[0.5,2]]');
    const r = await activ(['glu', '--grad', '--cotangent', v, x]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual(evaluate('glu', [[1, 2, 3, 4], [5, -6, 7, -800]], {}, { grad: true, cotangent: [[1, 0], [0.5, 2]] }));
  });

  test('usage errors: no cotangent, shapes that differ, a cotangent for an element-wise activation', async () => {
    const none = await activ(['softmax', '--grad', 'fixtures/logits.csv']);
    expect(none.code).toBe(2);
    expect(none.err).toBe(
      "activ: softmax is axis-wise: its derivative is a Jacobian, so --grad needs --cotangent FILE (the output's gradient, in the output's shape) and gives the vector-Jacobian product\n",
    );
    const v = join(tmp, 'short.csv');
    writeFileSync(v, '1,0\n0,1\n1,1\n1,1\n');
    const bad = await activ(['log_softmax', '--grad', '--cotangent', v, 'fixtures/logits.csv']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^activ: log_softmax --grad: vector 1 along the axis has 3 values, so its cotangent needs 3, but it has 2; the cotangent must have the output's shape\n$/);
    const few = join(tmp, 'few.csv');
    writeFileSync(few, 'cat,dog,bird\n1,0,0\n0,1,0\n');
    const short = await activ(['softmax', '--grad', '--cotangent', few, 'fixtures/logits.csv']);
    expect(short.code).toBe(2);
    expect(short.out).toBe(''); // held until the shapes are known to match
    expect(short.err).toBe("activ: softmax --grad: the cotangent has 2 vectors along the axis but the input has 4; the cotangent must have the output's shape\n");
    const ew = await activ(['relu', '--grad', '--cotangent', v, 'fixtures/logits.csv']);
    expect(ew.code).toBe(2);
    expect(ew.err).toMatch(/relu is element-wise/);
    const alone = await activ(['softmax', '--cotangent', v, 'fixtures/logits.csv']);
    expect(alone.code).toBe(2);
    expect(alone.err).toMatch(/--cotangent goes with --grad/);
  });

  test('describe shows the derivative, its kinks and where PyTorch differs', async () => {
    const r = await activ(['describe', 'selu']);
    expect(r.out).toMatch(/^Derivative \(activ selu --grad \.\.\.\): scale if x > 0 else scale \* alpha \* exp\(x\)$/m);
    expect(r.out).toMatch(/Kinks \(TensorFlow's gradients\): at 0 scale = 1\.0507009873554805/);
    expect(r.out).toMatch(/PyTorch autograd differs: at 0 scale \* alpha = 1\.7580993408473768/);
  });
});
