import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';

async function run(argv: string[], stdin = '', tty = false): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const input = new PassThrough() as PassThrough & { isTTY?: boolean };
  if (tty) input.isTTY = true;
  else input.end(stdin);
  let out = '';
  let err = '';
  stdout.on('data', (c) => (out += c));
  stderr.on('data', (c) => (err += c));
  const code = await main(argv, { stdout, stderr, stdin: input });
  return { code, out, err };
}

describe('main', () => {
  test('inline numbers, negative ones included, form one text row', async () => {
    expect(await run(['relu', '-2', '-0.5', '3'])).toEqual({ code: 0, out: '0 0 3\n', err: '' });
    expect((await run(['linear', '-Infinity', '-inf', 'NaN', '1e-3'])).out).toBe('-Infinity -Infinity NaN 0.001\n');
  });
  test('parameters as flags, in both spellings, and as a call', async () => {
    expect((await run(['relu', '--max_value', '6', '--', '-10', '3', '10'])).out).toBe('0 3 6\n');
    expect((await run(['relu', '--max-value=6', '--alpha', '0.1', '-10', '3', '10'])).out).toBe('-1 3 6\n');
    expect((await run(['relu(alpha=0.1, max_value=6)', '-10', '3', '10'])).out).toBe('-1 3 6\n');
    expect((await run(['relu', '--negative-slope', '0.5', '-2'])).out).toBe('-1\n');
    expect((await run(['leaky_relu', '--alpha', '0.5', '-2'])).out).toBe('-1\n');
  });
  test('stdin', async () => {
    expect(await run(['relu'], 'a,b\n-1,2\n')).toEqual({ code: 0, out: 'a,b\n0,2\n', err: '' });
  });
  test('usage errors exit 2 with one line', async () => {
    const r = await run(['sigmoidd', '1']);
    expect(r).toMatchObject({ code: 2, out: '' });
    expect(r.err).toMatch(/^activ: unknown activation 'sigmoidd'; did you mean sigmoid\?\n$/);
    const p = await run(['sigmoid', '--alpha', '1', '0']);
    expect(p.code).toBe(2);
    expect(p.err).toMatch(/sigmoid: unknown parameter 'alpha'/);
    const u = await run(['relu', '--bogus', '1']);
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^activ: unknown option '--bogus'/);
    expect((await run(['relu', '--precision', 'x', '1'])).code).toBe(2);
    expect((await run(['relu', '--on-invalid', 'maybe', '1'])).err).toMatch(/--on-invalid 'maybe': expected one of fail, skip, keep, null/);
    expect((await run(['relu', '1', 'file.csv'])).err).toMatch(/give either numbers \(one row\) or files/);
    expect((await run([])).code).toBe(2);
  });
  test('an interactive terminal with no input gets a usage hint', async () => {
    const r = await run(['sigmoid'], '', true);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/no input/);
  });
  test('list, describe, help, version', async () => {
    const list = await run(['list']);
    expect(list.out.split('\n')[0]).toBe('name,parameters,formula');
    expect(list.out).toMatch(/\nrelu,alpha=0 max_value=none threshold=0,/);
    expect(JSON.parse((await run(['list', '--to', 'json'])).out)[0]).toHaveProperty('formula');
    const d = await run(['describe', 'relu']);
    expect(d.out).toMatch(/--max-value <x>\s+default none/);
    expect(d.out).toMatch(/Origin: /);
    expect(d.out).toMatch(/Example: /);
    expect((await run(['softmax', '--help'])).out).toMatch(/^softmax: axis-wise/);
    const h = await run(['--help']);
    expect(h.out).toMatch(/^activ: apply/);
    expect(h.out.indexOf('Examples:')).toBeLessThan(h.out.indexOf('Options:'));
    expect((await run(['--version'])).out).toMatch(/^activ \d+\.\d+\.\d+\n$/);
    expect((await run(['describe', 'nope'])).code).toBe(2);
  });
});
