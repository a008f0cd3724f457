/**
 * End to end: `activ check` and `--dtype`, spawning the built command (dist/ from `npm test`'s
 * build) on files written to a temporary directory.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rng } from '../support.js';
import { activ as run, ROOT } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-check-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const activ = (args: string[], env?: Record<string, string>) => run(args, undefined, env);

/** x moved by k float64 ulps away from zero. */
function ulpsAway(x: number, k: number): number {
  const f = new Float64Array([x]);
  new BigInt64Array(f.buffer)[0] += BigInt(k);
  return f[0];
}

const file = (name: string, text: string): string => {
  const p = join(tmp, name);
  writeFileSync(p, text);
  return p;
};

describe('activ check on a million values', { timeout: 120_000 }, () => {
  const x = join(tmp, 'million.csv');
  const y = join(tmp, 'million-sigmoid.csv');
  const bad = join(tmp, 'million-bad.csv');
  const ROW = 617;
  const COL = 402;
  let original = 0;
  let changed = 0;
  beforeAll(async () => {
    const r = rng(11);
    const lines: string[] = [];
    for (let i = 0; i < 1000; i++) lines.push(Array.from({ length: 1000 }, () => String((r() - 0.5) * 40)).join(','));
    writeFileSync(x, lines.join('\n') + '\n');
    const made = await activ(['sigmoid', x, '-o', y]);
    expect(made.code).toBe(0);
    const out = readFileSync(y, 'utf8').split('\n');
    const cells = out[ROW].split(',');
    original = Number(cells[COL]);
    changed = ulpsAway(original, 3);
    cells[COL] = String(changed);
    out[ROW] = cells.join(',');
    writeFileSync(bad, out.join('\n'));
  }, 120_000);

  test('the exact file passes (exit 0)', async () => {
    const r = await activ(['check', 'sigmoid', x, y, '--tol', '2']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('1000000 values compared, all within 2 ulp: pass');
  });

  test('one value 3 ulp off is caught with --tol 2 (exit 1), with its place, input, expected and got', async () => {
    const r = await activ(['check', 'sigmoid', x, bad, '--tol', '2', '--to', 'json']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out);
    expect(rep).toMatchObject({ compared: 1_000_000, pass: false, beyond: 1, max_ulp: 3 });
    expect(rep.histogram['3-4']).toBe(1);
    expect(rep.histogram['0']).toBe(999_999);
    const inputs = readFileSync(x, 'utf8').split('\n')[ROW].split(',');
    expect(rep.worst).toEqual([{ index: [ROW, COL], input: Number(inputs[COL]), expected: original, got: changed, ulp: 3 }]);
  });
});

describe('activ check', { timeout: 60_000 }, () => {
  const x = file('x.csv', 'x\n-10\n-3\n-1\n0\n1\n3\n');

  test('a shape that differs is a usage error (exit 2), one line', async () => {
    const r = await activ(['check', 'gelu', x, join(ROOT, 'fixtures/logits.csv')]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`activ: shapes differ: gelu of ${x} [6, 1] gives [6, 1], ${join(ROOT, 'fixtures/logits.csv')} holds [4, 3]\n`);
  });

  test('--to json: the report for scripts', async () => {
    const y = file('gelu-near.csv', '-0\n-0.0040496940948902835\n-0.15865525393145705\n0\n0.8413447460685429\n2.9959503059051\n');
    const r = await activ(['check', 'gelu', x, y, '--to', 'json', '--worst', '1']);
    expect(r.code).toBe(1);
    const rep = JSON.parse(r.out);
    expect(Object.keys(rep)).toEqual(['activation', 'input', 'results', 'dtype', 'tolerance', 'compared', 'pass', 'beyond', 'max_ulp', 'mean_ulp', 'histogram', 'worst']);
    expect(rep).toMatchObject({ activation: 'gelu', dtype: 'float64', tolerance: 4, compared: 6, pass: false, beyond: 2 });
    expect(Object.keys(rep.histogram)).toEqual(['0', '1', '2', '3-4', '5-16', '17-256', 'more', 'NaN or sign']);
    expect(rep.histogram).toMatchObject({ '0': 4, '17-256': 1, more: 1 });
    expect(rep.worst).toEqual([{ index: [0, 0], input: -10, expected: -7.619853024160525e-23, got: -0, ulp: rep.max_ulp }]);
    expect(rep.max_ulp).toBeGreaterThan(1e18);
  });

  test('float32 results: far off in float64 ulps, exact with --dtype float32; parameters as flags or call form', async () => {
    const made = await activ(['elu', '--alpha', '0.5', '--dtype', 'float32', x]);
    expect(made.code).toBe(0);
    const y = file('elu32.csv', made.out);
    const in64 = await activ(['check', 'elu', '--alpha', '0.5', x, y]);
    expect(in64.code).toBe(1);
    const in32 = await activ(['check', 'elu(alpha=0.5)', x, y, '--dtype', 'float32', '--tol', '0']);
    expect(in32.err).toBe('');
    expect(in32.code).toBe(0);
    expect(in32.out).toContain('in float32');
  });

  test("the README's example prints what the README shows (PyTorch's elu formula, reproduced)", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const command = 'activ check elu fixtures/check/x.csv fixtures/check/torch-elu-float64.csv';
    const start = readme.indexOf(`$ ${command}\n`);
    expect(start).toBeGreaterThan(0);
    const shown = readme.slice(start + command.length + 3, readme.indexOf('```', start));
    const r = await activ(command.split(' ').slice(1));
    expect([r.code, r.out]).toEqual([1, shown]);
  });

  test("RESULTS from stdin ('-')", async () => {
    const made = await activ(['gelu', x]);
    const r = await run(['check', 'gelu', x, '-', '--tol', '0'], made.out);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(r.out).toContain('6 values compared, all within 0 ulp: pass');
  });

  test('usage errors exit 2', async () => {
    for (const args of [['check', 'gelu', x], ['check', 'gelu', x, x, '--tol', 'x'], ['check', 'gelu', x, x, '--dtype', 'float8'], ['check', 'gelux', x, x], ['check', 'gelu', x, x, '--to', 'csv']]) {
      const r = await activ(args);
      expect([args.join(' '), r.code, r.err.split('\n').length]).toEqual([args.join(' '), 2, 2]);
    }
  });

  test('--help shows examples', async () => {
    const r = await activ(['check', '--help']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('activ check sigmoid x.csv y32.csv --dtype float32');
    expect((await activ(['help', 'check'])).out).toBe(r.out);
    expect((await activ(['--help'])).out).toContain('activ check <activation> INPUT RESULTS');
  });
});

describe('--dtype', { timeout: 60_000 }, () => {
  test("float32 prints NumPy's digits: sigmoid(1) is 0.7310586", async () => {
    const r = await activ(['sigmoid', '--dtype', 'float32', '1']);
    expect([r.code, r.out]).toEqual([0, '0.7310586\n']);
  });

  test('float16 overflows to Infinity above 65504 and underflows to signed zero', async () => {
    const r = await activ(['linear', '--dtype', 'float16', '--', '70000', '65504', '1e-8', '-1e-8', '0.1']);
    expect(r.out).toBe('Infinity 65500 0 -0 0.1\n');
  });

  test('bfloat16 keeps float32 range', async () => {
    const r = await activ(['linear', '--dtype', 'bfloat16', '--', '3e38', '1e-40', '1.00390625']);
    expect(r.out).toBe('3e+38 9e-41 1\n'); // 1e-40 is the smallest subnormal, 2^-133; 1 + 2^-8 ties to even
  });

  test('both lanes and every format print the dtype digits', async () => {
    const csv = join(ROOT, 'fixtures/logits.csv');
    const fast = await activ(['softmax', '--dtype', 'float32', csv]);
    const general = await activ(['softmax', '--dtype', 'float32', csv], { ACTIV_LANE: 'general' });
    expect(fast.out).toBe(general.out);
    expect(fast.out.split('\n')[1]).toBe('0.6590011,0.24243297,0.09856589');
    const json = await activ(['softmax', '--dtype', 'float16', join(ROOT, 'fixtures/tensor.json')]);
    expect(json.out).toBe('[[0.09,0.2448,0.665],[0.09,0.2448,0.665]]\n');
    const nd = await activ(['sigmoid', '--dtype', 'bfloat16', '--to', 'ndjson', '--', '1', '2']);
    expect(nd.out).toBe('[0.73,0.88]\n');
  });

  test('--axis 0 down a CSV (column passes) gives what the same tensor gives in JSON', async () => {
    const csv = join(ROOT, 'fixtures/logits.csv');
    const rows = (out: string): number[][] => JSON.parse(out).map((r: Record<string, number>) => Object.values(r));
    const down = await activ(['softmax', '--axis', '0', '--dtype', 'float16', '--to', 'json', csv]);
    const json = file('logits.json', JSON.stringify(rows((await activ(['linear', '--to', 'json', csv])).out)));
    const same = await activ(['softmax', '--axis', '0', '--dtype', 'float16', json]);
    expect(down.code).toBe(0);
    expect(rows(down.out)).toEqual(JSON.parse(same.out));
    // NumPy: x.astype(float16).astype(float64), softmax over axis 0, .astype(float16), str() of each
    expect(same.out).toBe('[[0.7324,0.1609,0.04898],[0.1635,0.7207,0.01631],[0.004936,0.05917,0.89],[0.09924,0.05923,0.04437]]\n');
  });

  test('--precision still rounds the digits; a bad dtype is a usage error', async () => {
    expect((await activ(['sigmoid', '--dtype', 'float32', '--precision', '3', '1'])).out).toBe('0.731\n');
    const bad = await activ(['sigmoid', '--dtype', 'float8', '1']);
    expect([bad.code, bad.err]).toEqual([2, "activ: --dtype 'float8': expected one of float64, float32, float16, bfloat16\n"]);
  });
});
