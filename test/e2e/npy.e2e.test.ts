/**
 * End to end for NumPy files: spawn bin/activ.js on the NumPy-written fixtures. Byte-identical
 * round trips, dtype kept, text and JSON out, stdin and stdout, one-line errors with nothing
 * half-written, the terminal refusal, and (when python3 has numpy) np.load reading what activ writes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { main } from '../../src/cli/main.js';
import { arrayPath, manifest, NPY_DIR } from '../io/npy-fixtures.js';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/activ.js');
const tmp = mkdtempSync(join(tmpdir(), 'activ-npy-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Result {
  code: number | null;
  out: Buffer;
  err: string;
}

function activ(args: string[], stdin?: Buffer | string, env: Record<string, string> = {}): Promise<Result> {
  return new Promise((res, rej) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out: Buffer[] = [];
    let err = '';
    p.stdout.on('data', (c: Buffer) => out.push(c));
    p.stderr.setEncoding('utf8').on('data', (c) => (err += c));
    p.on('error', rej);
    p.on('close', (code) => res({ code, out: Buffer.concat(out), err }));
    p.stdin.on('error', () => {});
    p.stdin.end(stdin ?? '');
  });
}

const rel = (name: string): string => `fixtures/npy/arrays/${name}.npy`;

describe.concurrent('.npy on the command line', { timeout: 60_000 }, () => {
  test.each(['f8-le-c', 'f8-r0', 'f8-r1', 'f8-r3-c', 'f8-r4-f', 'f8-empty2', 'f4-le-c', 'f2-be-f', 'f8-be-c'])(
    'float %s through linear is byte-identical to its input (np.save header, dtype and order kept)',
    async (name) => {
      const out = join(tmp, `lin-${name}.npy`);
      const r = await activ(['linear', rel(name), '-o', out]);
      expect(r).toMatchObject({ code: 0, err: '' });
      expect(readFileSync(out).equals(readFileSync(arrayPath(name)))).toBe(true);
    },
  );

  test('stdin to stdout, format from the magic bytes, equals the file run', async () => {
    const bytes = readFileSync(arrayPath('f8-r3-c'));
    const piped = await activ(['softmax', '--axis', '1'], bytes);
    const fromFile = await activ(['softmax', '--axis', '1', rel('f8-r3-c'), '--to', 'npy']);
    expect(piped.code).toBe(0);
    expect(piped.out.equals(fromFile.out)).toBe(true);
    const axis0 = await activ(['softmax', '--axis', '0', '--from', 'npy'], bytes);
    expect(axis0.out.equals((await activ(['softmax', '--axis', '0', rel('f8-r3-c')])).out)).toBe(true);
  });

  test('integers give float64, float32 stays float32', async () => {
    const i = await activ(['relu', rel('i4-le-c')]);
    expect(i.out.subarray(10, 30).toString('latin1')).toContain("'<f8'");
    const f = await activ(['sigmoid', rel('f4-be-c')]);
    expect(f.out.subarray(10, 30).toString('latin1')).toContain("'>f4'");
  });

  test('a 2-D array as CSV rows, 1-D as one column, 0-d as one cell, >2-D refused; JSON nested', async () => {
    const two = await activ(['relu', rel('i2-le-c'), '--to', 'csv']);
    expect(two.out.toString()).toBe('0,0,0,0\n0,0,0,0\n6,13,20,27\n');
    const fortran = await activ(['relu', rel('i2-le-f'), '--to', 'csv']);
    expect(fortran.out.toString()).toBe(two.out.toString());
    expect((await activ(['relu', rel('f8-r1'), '--to', 'csv'])).out.toString().split('\n').length).toBe(8);
    expect((await activ(['linear', rel('f8-r0'), '--to', 'text'])).out.toString()).toBe('-1.25\n');
    const three = await activ(['relu', rel('f8-r3-c'), '--to', 'csv']);
    expect(three.code).toBe(2);
    expect(three.err).toBe('activ: fixtures/npy/arrays/f8-r3-c.npy: a 3-D array cannot be written as csv (2-D at most); use --to json or --to npy\n');
    const json = await activ(['relu', rel('i2-le-c'), '--to', 'json']);
    expect(JSON.parse(json.out.toString())).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [6, 13, 20, 27],
    ]);
    expect((await activ(['linear', rel('f8-empty2'), '--to', 'json'])).out.toString()).toBe('[[],[]]\n');
  });

  test('-o y.csv from a .npy input writes CSV', async () => {
    const out = join(tmp, 'y.csv');
    expect((await activ(['relu', rel('i2-le-c'), '-o', out])).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('0,0,0,0\n0,0,0,0\n6,13,20,27\n');
  });

  test('a JSON tensor written as .npy, and read back', async () => {
    const json = join(tmp, 't.json');
    writeFileSync(json, '[[[-1,2],[3,-4]]]');
    const out = join(tmp, 't.npy');
    expect(await activ(['relu', json, '-o', out])).toMatchObject({ code: 0, err: '' });
    expect(readFileSync(out).subarray(0, 128).toString('latin1')).toContain("{'descr': '<f8', 'fortran_order': False, 'shape': (1, 2, 2), }");
    expect((await activ(['linear', out, '--to', 'json'])).out.toString()).toBe('[[[0,2],[3,0]]]\n');
  });

  test('.npz: arrays chosen with -c, written as JSON or one of them as CSV', async () => {
    const all = await activ(['relu', 'fixtures/npy/compressed.npz', '--to', 'json']);
    expect(Object.keys(JSON.parse(all.out.toString()))).toEqual(['a', 'b', 'c']);
    const one = await activ(['relu', 'fixtures/npy/arrays.npz', '-c', 'c', '--to', 'csv']);
    expect(one.out.toString()).toBe('0,0\n0,0\n');
    const many = await activ(['relu', 'fixtures/npy/arrays.npz', '--to', 'csv']);
    expect(many.code).toBe(2);
    expect(many.err).toMatch(/holds 3 arrays \(a, b, c\): choose one with -c NAME/);
  });

  test.each(Object.entries(manifest.bad))('refused: %s (exit 1, one line, nothing written)', async (file, words) => {
    const out = join(tmp, `bad-${file}`);
    const r = await activ(['sigmoid', `fixtures/npy/bad/${file}`, '-o', out]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`activ: fixtures/npy/bad/${file}: `);
    expect(r.err).toContain(words);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).some((f) => f.includes(`bad-${file}.activ-`))).toBe(false);
  });
});

/** main() in this process; resolves to what it wrote on stderr. */
async function inProcess(argv: string[], tty = false): Promise<string> {
  const stdout = Object.assign(new PassThrough(), { isTTY: tty });
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (c) => (err += c));
  stdout.on('data', (c) => (err += `stdout: ${c}`));
  const code = await main(argv, { stdout, stderr, stdin: new PassThrough() });
  return code === 0 ? err : `exit ${code}: ${err}`;
}

describe('a file of 8 MiB and more: element-wise on two threads gives the one-thread bytes', { timeout: 120_000 }, () => {
  test.each([
    ['gelu', []],
    ['prelu', ['--alpha', '0.1,0.2,0.3']],
    ['sigmoid', ['--dtype', 'float16']],
  ])('%s %o', async (name, extra) => {
    const rows = 800_003; // 9.6 MB of float32 in rows of 3: ranges end inside the file's last row block
    const path = join(tmp, `big-${name}.npy`);
    if (!existsSync(path)) {
      const { headerBytes } = await import('../../src/io/npy-header.js');
      const data = new Float32Array(rows * 3).map((_, i) => Math.sin(i) * 8);
      writeFileSync(path, Buffer.concat([headerBytes({ kind: 'f', size: 4, little: true }, false, [rows, 3]), Buffer.from(data.buffer)]));
    }
    const one = await activ([name, ...extra, path], undefined, { ACTIV_THREADS: '1' });
    const two = await activ([name, ...extra, path], undefined, { ACTIV_THREADS: '2' });
    expect(one.code).toBe(0);
    expect(two.err).toBe('');
    expect(two.out.length).toBe(one.out.length);
    expect(two.out.equals(one.out)).toBe(true);
  });
});

describe('binary output to a terminal', () => {
  test('is refused with a one-line hint, exit 2', async () => {
    expect(await inProcess(['relu', arrayPath('f8-le-c')], true)).toBe(
      'exit 2: activ: binary .npy data not written to a terminal: use -o FILE.npy, redirect stdout, or --to csv to see the numbers\n',
    );
    expect(await inProcess(['relu', arrayPath('f8-le-c'), '--to', 'csv'], true)).not.toMatch(/^exit/);
  });
});

describe('--grad over a big .npy', { timeout: 300_000 }, () => {
  test('worker threads compute the derivative too: two threads give the one-thread bytes', async () => {
    const { headerBytes } = await import('../../src/io/npy-header.js');
    const n = (9 << 20) / 8; // over the 8 MiB from which element-wise .npy runs use worker threads
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = (i % 2001) / 100 - 10;
    const file = join(tmp, 'grad-big.npy');
    writeFileSync(file, Buffer.concat([Buffer.from(headerBytes({ kind: 'f', size: 8, little: true }, false, [n])), Buffer.from(x.buffer)]));
    const one = join(tmp, 'grad-one.npy');
    const two = join(tmp, 'grad-two.npy');
    expect(await activ(['sigmoid', '--grad', file, '-o', one], undefined, { ACTIV_THREADS: '1' })).toMatchObject({ code: 0, err: '' });
    expect(await activ(['sigmoid', '--grad', file, '-o', two], undefined, { ACTIV_THREADS: '2' })).toMatchObject({ code: 0, err: '' });
    const a = readFileSync(one);
    expect(a.equals(readFileSync(two))).toBe(true);
    // sigmoid'(x) = s(1 - s): at x = 0 (i = 1000) a quarter, not the activation's one half
    const data = new Float64Array(a.buffer.slice(a.byteOffset + a.length - n * 8, a.byteOffset + a.length));
    expect(data[1000]).toBe(0.25);
    expect(data[2001 + 1000]).toBe(0.25);
    expect(data[n - 1]).toBeCloseTo(1 / (1 + Math.exp(-x[n - 1])) * (1 - 1 / (1 + Math.exp(-x[n - 1]))), 15);
  });
});

describe.concurrent('activ check on .npy files', { timeout: 60_000 }, () => {
  test("a float32 .npy of results is compared in float32, its own dtype; Fortran order read as NumPy's", async () => {
    const results = join(tmp, 'check-f32.npy');
    expect(await activ(['sigmoid', '--dtype', 'float32', rel('f8-le-f'), '-o', results])).toMatchObject({ code: 0, err: '' });
    const r = await activ(['check', 'sigmoid', rel('f8-le-f'), results]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.toString()).toMatch(/in float32\n.*all within/);
    const wrong = await activ(['check', 'tanh', rel('f8-le-f'), results]);
    expect(wrong.code).toBe(1);
    expect(wrong.out.toString()).toMatch(/FAIL/);
  });

  test('an .npz archive is refused in one line, exit 2 (a usage error, as runNpy refuses an archive where one array is needed)', async () => {
    const r = await activ(['check', 'tanh', join(NPY_DIR, 'compressed.npz'), rel('f8-le-c')]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^activ: .*compressed\.npz: a \.npz archive holds several arrays.*\n$/);
  });
});

// np.load must read what activ writes: run where python3 has numpy, else say so and skip.
const hasNumpy = spawnSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' }).status === 0;
if (!hasNumpy) console.log('note: python3 with numpy not found; skipping the np.load tests of activ-written files');

describe.skipIf(!hasNumpy)('np.load reads what activ writes', { timeout: 60_000 }, () => {
  test('every fixture through sigmoid and softmax, and .npz archives', async () => {
    const written: string[] = [];
    for (const name of Object.keys(manifest.arrays)) {
      for (const act of name.includes('r0') || name.includes('r1') || name.includes('edges') || name.includes('empty') ? ['sigmoid'] : ['sigmoid', 'softmax']) {
        // In process (main), as a spawn per file is slow on a busy machine; python3 reads them all at once.
        const out = join(tmp, `np-${act}-${name}.npy`);
        expect(await inProcess([act, arrayPath(name), '-o', out])).toBe('');
        written.push(`${name}|${act}|${out}`);
      }
    }
    const npz = join(tmp, 'np.npz');
    expect(await inProcess(['tanh', join(NPY_DIR, 'compressed.npz'), '-o', npz])).toBe('');
    const script = `
import sys, numpy as np
np.seterr(all="ignore")
bad = []
for line in sys.argv[1:]:
    name, act, path = line.split('|')
    src = np.load('${NPY_DIR}/arrays/' + name + '.npy')
    got = np.load(path)
    x = src.astype(np.float64)
    if act == 'sigmoid':
        want = 1 / (1 + np.exp(-x))
    else:
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        want = e / e.sum(axis=-1, keepdims=True)
    dt = src.dtype if src.dtype.kind == 'f' else np.dtype('<f8')
    tol = {2: 1e-3, 4: 1e-6, 8: 1e-13}[dt.itemsize]
    if got.dtype != dt or got.shape != src.shape or got.flags.f_contiguous != src.flags.f_contiguous and src.ndim > 1 or not np.allclose(got, want.astype(dt), rtol=tol, atol=tol):
        bad.append(name + ' ' + act)
z = np.load('${npz}')
for k in 'abc':
    if not np.allclose(z[k], np.tanh(np.load('${NPY_DIR}/compressed.npz')[k].astype(np.float64)), rtol=1e-6):
        bad.append('npz ' + k)
print(' '.join(bad) or 'ok')
`;
    const p = spawnSync('python3', ['-c', script, ...written], { encoding: 'utf8' });
    expect(p.stderr).toBe('');
    expect(p.stdout.trim()).toBe('ok');
  });
});
