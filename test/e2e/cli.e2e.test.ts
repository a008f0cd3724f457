/**
 * End to end: spawn the built command (`node bin/activ.js`, dist/ from `npm test`'s build) on the
 * fixtures and on stdin, and compare stdout, stderr and the exit code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { activ, BIN, ROOT, sh } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-e2e-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const nums = (line: string, sep = ','): number[] => line.split(sep).map(Number);

describe.concurrent('formats in and out', { timeout: 60_000 }, () => {
  test('CSV: header kept, text columns passed through with a note', async () => {
    const r = await activ(['relu', 'fixtures/data.csv']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('id,x,y,label\na1,0,0.5,neg\na2,0,1.5,zero\na3,3,0,pos\n');
    expect(r.err).toBe("activ: fixtures/data.csv: columns 1 ('id'), 4 ('label') hold text in the first data row: passed through (choose columns with -c); transformed: 2 ('x'), 3 ('y')\n");
  });
  test('CSV: softmax along rows sums to one', async () => {
    const r = await activ(['softmax', 'fixtures/logits.csv']);
    expect(r.code).toBe(0);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toBe('cat,dog,bird');
    for (const l of lines.slice(1)) expect(nums(l).reduce((a, b) => a + b)).toBeCloseTo(1, 14);
    expect(lines[4]).toBe('0.3333333333333333,0.3333333333333333,0.3333333333333333');
  });
  test('CSV: CRLF line ends and quoted cells kept', async () => {
    const r = await activ(['relu', 'fixtures/crlf.csv']);
    expect(r.out).toBe('x,y\r\n1,0\r\n2,0\r\n');
    const q = await activ(['relu', '-c', '2'], 'name,v\n"Smith, J",-1\n"a ""b""",2\n');
    expect(q.out).toBe('name,v\n"Smith, J",0\n"a ""b""",2\n');
  });
  test('CSV: header forced or refused', async () => {
    expect((await activ(['relu', '--header'], '-1,2\n-3,4\n')).out).toBe('-1,2\n0,4\n');
    expect((await activ(['relu'], '-1,2\n-3,4\n')).out).toBe('0,2\n0,4\n');
    expect((await activ(['relu', '--no-header', '-c', '1-'], 'a,b\n1,2\n')).err).toMatch(/:1:1: not a number: 'a'/);
  });
  test('TSV in and out, and --delimiter', async () => {
    const r = await activ(['linear', 'fixtures/scores.tsv']);
    expect(r.out).toBe(readFileSync(join(ROOT, 'fixtures/scores.tsv'), 'utf8'));
    expect((await activ(['relu', '--from', 'csv', '-d', ';'], 'a;b\n-1;2\n')).out).toBe('a;b\n0;2\n');
  });
  test('text: one space between numbers, empty lines kept', async () => {
    const r = await activ(['relu', 'fixtures/numbers.txt']);
    expect(r.out).toBe('1 2 3\n0 0 1\n\n4 5\n');
  });
  test('NDJSON: numbers, arrays and records line by line', async () => {
    const r = await activ(['relu', 'fixtures/rows.ndjson']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('[1,2,3]\n{"id":"r2","x":0,"y":2}\n0.5\n');
    expect(r.err).toMatch(/key 'id' holds text/);
  });
  test('JSON: a tensor keeps its shape; records; an object of arrays', async () => {
    expect((await activ(['relu', 'fixtures/tensor.json'])).out).toBe('[[1,2,3],[0,0,1]]\n');
    expect((await activ(['relu'], '[[[-1,2]],[[3,-4]]]')).out).toBe('[[[0,2]],[[3,0]]]\n');
    expect((await activ(['relu'], '-5')).out).toBe('0\n');
    expect((await activ(['relu', 'fixtures/records.json'])).out).toBe('[{"id":"a","score":1.5},{"id":"b","score":0}]\n');
    expect((await activ(['relu', '--from', 'json'], '{"w":[[-1,1]],"b":-2,"name":"layer"}')).out).toBe('{"w":[[0,1]],"b":0,"name":"layer"}\n');
    expect((await activ(['relu', '--from', 'json', '-c', 'b'], '{"w":[-1],"b":-2}')).out).toBe('{"w":[-1],"b":0}\n');
  });
  test('conversions with --to', async () => {
    expect((await activ(['relu', '--to', 'ndjson', 'fixtures/data.csv', '-q'])).out).toBe(
      '{"id":"a1","x":0,"y":0.5,"label":"neg"}\n{"id":"a2","x":0,"y":1.5,"label":"zero"}\n{"id":"a3","x":3,"y":0,"label":"pos"}\n',
    );
    expect((await activ(['relu', '--to', 'json'], '1 -2\n3 4\n')).out).toBe('[[1,0],[3,4]]\n');
    expect((await activ(['relu', '--to', 'csv', 'fixtures/tensor.json'])).out).toBe('1,2,3\n0,0,1\n');
    expect((await activ(['relu', '--to', 'tsv', 'fixtures/records.json'])).out).toBe('id\tscore\na\t1.5\nb\t0\n');
    expect((await activ(['relu', '--to', 'text', 'fixtures/logits.csv'])).out.split('\n').slice(0, 2)).toEqual(['cat dog bird', '2 1 0.1']);
  });
  test('JSON has no NaN or Infinity: null with a count, or strings', async () => {
    const r = await activ(['exponential', '--to', 'json', '1000', '0']);
    expect(r.out).toBe('[[null,1]]\n');
    expect(r.err).toMatch(/wrote 1 NaN\/Infinity value as null/);
    expect((await activ(['exponential', '--to', 'json', '--json-nonfinite', 'string', '1000'])).out).toBe('[["Infinity"]]\n');
    expect((await activ(['linear'], '["NaN","-Infinity"]\n')).out).toBe('[null,null]\n');
  });
  test('--precision', async () => {
    expect((await activ(['sigmoid', '--precision', '3', '1', '2'])).out).toBe('0.731 0.881\n');
  });
});

describe.concurrent('inline numbers and parameters', { timeout: 60_000 }, () => {
  test('numbers on the command line, negative ones included', async () => {
    const r = await activ(['gelu', '-3', '-1', '0', '1', '3']);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const v = nums(r.out.trim(), ' ');
    expect(v).toHaveLength(5);
    expect(v[2]).toBe(0);
    expect(v[4]).toBeCloseTo(2.99595, 5);
  });
  test('flags in both spellings and the Keras call form', async () => {
    expect((await activ(['relu', '--max_value', '6', '--', '-10', '3', '10'])).out).toBe('0 3 6\n');
    expect((await activ(['relu(alpha=0.1, max_value=6)', '-10', '3', '10'])).out).toBe('-1 3 6\n');
    expect((await activ(['threshold', '--threshold', '0', '--default-value', '-7', '-1', '2'])).out).toBe('-7 2\n');
    expect((await activ(['squareplus', '--b', '0', '-1', '2'])).out).toBe('0 2\n');
    expect((await activ(['thresholded_relu', '--theta', '1', '0.5', '2'])).out).toBe('0 2\n');
  });
  test('prelu: one alpha per selected column', async () => {
    const r = await activ(['prelu', '--alpha', '0.5,0.25', '-c', 'x,y', '-q', 'fixtures/data.csv']);
    expect(r.out).toBe('id,x,y,label\na1,-1,0.5,neg\na2,0,1.5,zero\na3,3,-0.0625,pos\n');
  });
  test('a flag the activation does not take names the ones it does', async () => {
    const r = await activ(['relu', '--theta', '1', '0']);
    expect(r).toEqual({ code: 2, out: '', err: "activ: relu: unknown parameter 'theta'; relu takes alpha, max_value, threshold\n" });
  });
});

describe.concurrent('column selection', { timeout: 60_000 }, () => {
  test('by name, number, range and negation; the rest passes through', async () => {
    expect((await activ(['relu', '-c', 'x', 'fixtures/data.csv'])).out).toBe('id,x,y,label\na1,0,0.5,neg\na2,0,1.5,zero\na3,3,-0.25,pos\n');
    expect((await activ(['relu', '-c', '3', 'fixtures/data.csv'])).out).toBe('id,x,y,label\na1,-2,0.5,neg\na2,0,1.5,zero\na3,3,0,pos\n');
    expect((await activ(['relu', '-c', '2-3', 'fixtures/data.csv'])).out).toBe('id,x,y,label\na1,0,0.5,neg\na2,0,1.5,zero\na3,3,0,pos\n');
    expect((await activ(['relu', '-c', '!id,!label', 'fixtures/data.csv'])).err).toBe('');
    expect((await activ(['relu', '-c', 'score', 'fixtures/records.json'])).out).toBe('[{"id":"a","score":1.5},{"id":"b","score":0}]\n');
  });
  test('a name that is not there is a usage error listing the columns', async () => {
    const r = await activ(['relu', '-c', 'z', 'fixtures/data.csv']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("activ: --columns: no column named 'z'; the columns are 'id', 'x', 'y', 'label'\n");
    expect(r.out).toBe('');
  });
});

describe.concurrent('axes', { timeout: 60_000 }, () => {
  const matrix = '[[1,2,3],[4,5,6],[-1,0,1]]';
  test('--axis 0 down columns on a file, on stdin, and on a JSON tensor agree', async () => {
    const file = await activ(['softmax', '--axis', '0', 'fixtures/scores.tsv']);
    const stdin = await activ(['softmax', '--axis', '0', '--from', 'tsv'], readFileSync(join(ROOT, 'fixtures/scores.tsv'), 'utf8'));
    const json = await activ(['softmax', '--axis', '0', '--to', 'tsv'], matrix);
    expect(file.code).toBe(0);
    expect(stdin.out).toBe(file.out);
    expect(file.out.split('\n').slice(1).join('\n')).toBe(json.out);
    const rows = file.out.trim().split('\n').slice(1).map((l) => nums(l, '\t'));
    for (let j = 0; j < 3; j++) expect(rows.reduce((s, r) => s + r[j], 0)).toBeCloseTo(1, 14);
  });
  test('--axis -1 and 1 along rows; log_softmax, softmin and sparsemax down columns', async () => {
    const a = await activ(['softmax', '--axis', '1', 'fixtures/logits.csv']);
    expect(a.out).toBe((await activ(['softmax', 'fixtures/logits.csv'])).out);
    for (const name of ['log_softmax', 'softmin', 'sparsemax']) {
      const t = await activ([name, '--axis', '0', '--to', 'csv'], matrix);
      const c = await activ([name, '--axis', '0', '--from', 'csv'], '1,2,3\n4,5,6\n-1,0,1\n');
      expect(c.code).toBe(0);
      expect(c.out).toBe(t.out);
    }
  });
  test('glu halves the selected columns (rows) or the rows (--axis 0)', async () => {
    const g = JSON.parse((await activ(['glu', '--to', 'json'], '[[1,2,3,4]]')).out) as number[][];
    expect(g[0]).toHaveLength(2);
    expect(g[0][0]).toBeCloseTo(1 / (1 + Math.exp(-3)), 15);
    expect(g[0][1]).toBeCloseTo(2 / (1 + Math.exp(-4)), 15);
    const rows = await activ(['glu'], 'a,b,c,d\n1,2,0,0\n');
    expect(rows.out).toBe('a,b\n0.5,1\n');
    const down = await activ(['glu', '--axis', '0'], 'a\n1\n2\n0\n0\n');
    expect(down.out).toBe('a\n0.5\n1\n');
    expect((await activ(['glu', '1', '2', '3'])).code).toBe(1);
  });
  test('--axis 0 needs equal rows and reports the first ragged line', async () => {
    const r = await activ(['softmax', '--axis', '0', 'fixtures/ragged.csv']);
    expect(r).toEqual({
      code: 1,
      out: '',
      err: 'activ: fixtures/ragged.csv:3: 2 values in a row where line 2 has 3; --axis 0 works down columns and needs rows of equal length\n',
    });
    const along = await activ(['softmax', 'fixtures/ragged.csv']);
    expect(along.code).toBe(0);
  });
  test('a 1-D JSON input to softmax gets the Keras error and the fix', async () => {
    const r = await activ(['softmax'], '[1,2,3]');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^activ: softmax: Cannot apply softmax to a tensor that is 1D\. Wrap the values in a row/);
    expect((await activ(['softmax'], '[[1,2,3]]')).code).toBe(0);
  });
  test('an axis out of range', async () => {
    const r = await activ(['softmax', '--axis', '2', 'fixtures/logits.csv']);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/axis 2 is out of range/);
  });
});

describe.concurrent('bad input', { timeout: 60_000 }, () => {
  test('not a number: file, line, column and the value', async () => {
    // the rows before the bad one are written, as a stream writes what it has done; none after it
    const r = await activ(['relu', 'fixtures/bad.csv']);
    expect(r).toEqual({ code: 1, out: 'a,b\n1,2\n', err: "activ: fixtures/bad.csv:3:2: not a number: 'abc'\n" });
    const g = await activ(['relu', 'fixtures/bad.csv'], undefined, { ACTIV_LANE: 'general' });
    expect(g).toEqual(r);
    const s = await activ(['relu', '--from', 'csv'], 'a\n1\n 12 \n');
    expect(s.err).toBe("activ: <stdin>:3:1: not a number: ' 12 '\n");
    for (const bad of ['0x10', '1,5', '12abc']) {
      expect((await activ(['relu', '--from', 'text'], `1\n${bad}\n`)).err).toMatch(/:2:1: not a number: /);
    }
  });
  test('--on-invalid skip, keep, null', async () => {
    const skip = await activ(['relu', '--on-invalid', 'skip', 'fixtures/bad.csv']);
    expect(skip).toEqual({ code: 0, out: 'a,b\n1,2\n5,6\n', err: 'activ: skipped 1 row with values that are not numbers\n' });
    expect((await activ(['relu', '--on-invalid', 'keep', 'fixtures/bad.csv'])).out).toBe('a,b\n1,2\n3,abc\n5,6\n');
    expect((await activ(['relu', '--on-invalid', 'null', 'fixtures/bad.csv'])).out).toBe('a,b\n1,2\n3,\n5,6\n');
    expect((await activ(['relu', '--on-invalid', 'null', '--to', 'ndjson', 'fixtures/bad.csv'])).out).toBe('{"a":1,"b":2}\n{"a":3,"b":null}\n{"a":5,"b":6}\n');
    expect((await activ(['relu', '--on-invalid', 'keep'], '[[1,"x"]]')).out).toBe('[[1,"x"]]\n');
    const skipped = await activ(['softmax', '--axis', '0', '--on-invalid', 'skip', 'fixtures/bad.csv']);
    expect(skipped.out).toBe('a,b\n' + (await activ(['softmax', '--axis', '0', '--to', 'csv'], '[[1,2],[5,6]]')).out);
    expect((await activ(['softmax', '--axis', '0', '--on-invalid', 'keep', 'fixtures/bad.csv'])).code).toBe(2);
  });
  test('usage errors exit 2, data and I/O errors 1, never a stack trace', async () => {
    const cases: [string[], number, RegExp][] = [
      [['nosuch', '1'], 2, /unknown activation 'nosuch'/],
      [['relu', '--frm', 'csv'], 2, /unknown option '--frm'/],
      [['relu', 'fixtures/none.csv'], 1, /fixtures\/none\.csv: no such file/],
      [['relu', 'fixtures'], 1, /fixtures: is a directory/],
      [['relu', '--from', 'json', 'fixtures/data.csv'], 1, /invalid JSON/],
      [['relu', '--to', 'xml', '1'], 2, /--to 'xml'/],
      [['celu', '--alpha', '0', '1'], 2, /alpha must not be 0/],
      [['relu', '--alpha', 'abc', '1'], 2, /alpha must be a finite number/],
      [['prelu', '1'], 2, /missing required parameter 'alpha'/],
    ];
    for (const [args, code, re] of cases) {
      const r = await activ(args);
      expect(r.code, args.join(' ')).toBe(code);
      expect(r.err).toMatch(re);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    const j = await activ(['relu', '--from', 'ndjson'], '[1]\n[2,\n');
    expect(j.err).toMatch(/^activ: <stdin>:2(:\d+)?: invalid JSON/);
  });
});

describe('pipes, big outputs and files', { timeout: 60_000 }, () => {
  const big = join(tmp, 'big.csv');
  const lines: string[] = ['a,b,c,d'];
  for (let i = 0; i < 80000; i++) lines.push([i, i / 7, -i / 3, Math.sin(i)].map(String).join(','));
  const text = lines.join('\n') + '\n';
  writeFileSync(big, text);

  test('| head -1 ends quietly with exit 0', async () => {
    const r = await sh(`node ${BIN} sigmoid ${big} | head -1`);
    expect(r.out.split('\n')[0]).toBe('a,b,c,d');
    expect(r.err).toBe('');
    const s = await sh(`bash -c 'node ${BIN} sigmoid ${big} | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"'`);
    expect(s.out.trim()).toBe('0');
    expect(s.err).toBe('');
  });
  test('output far above 64 KiB through a pipe is complete', async () => {
    expect(text.length).toBeGreaterThan(2 ** 21);
    const r = await sh(`node ${BIN} linear ${big} | cat`);
    expect(r.err).toBe('');
    expect(r.out.length).toBe(text.length);
    expect(r.out).toBe(text);
    const j = await sh(`node ${BIN} linear --to ndjson -q ${big} | wc -l`);
    expect(j.out.trim()).toBe('80000');
  });
  test('-o onto the input file; a failure leaves the file and no temporary', async () => {
    const f = join(tmp, 'inplace.csv');
    writeFileSync(f, 'x\n-1\n2\n');
    const r = await activ(['relu', f, '-o', f]);
    expect(r).toEqual({ code: 0, out: '', err: '' });
    expect(readFileSync(f, 'utf8')).toBe('x\n0\n2\n');
    writeFileSync(f, 'x\n-1\nabc\n');
    const bad = await activ(['relu', f, '-o', f]);
    expect(bad.code).toBe(1);
    expect(readFileSync(f, 'utf8')).toBe('x\n-1\nabc\n');
    expect(readdirSync(tmp).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(existsSync(join(tmp, 'nothing.csv'))).toBe(false);
  });
  test('several files in order, each with its own header', async () => {
    const r = await activ(['relu', '-q', 'fixtures/data.csv', 'fixtures/bad.csv', '--on-invalid', 'keep']);
    expect(r.out).toBe('id,x,y,label\na1,0,0.5,neg\na2,0,1.5,zero\na3,3,0,pos\na,b\n1,2\n3,abc\n5,6\n');
    const s = await activ(['relu', 'fixtures/numbers.txt', '-'], '-5\n');
    expect(s.out).toBe('1 2 3\n0 0 1\n\n4 5\n0\n');
  });
});

describe.concurrent('catalogue and help', { timeout: 60_000 }, () => {
  test('list is CSV when piped, JSON on request', async () => {
    const r = await activ(['list']);
    expect(r.out.split('\n')[0]).toBe('name,parameters,formula');
    expect(JSON.parse((await activ(['list', '--to', 'json'])).out).length).toBeGreaterThan(20);
    expect((await activ(['list', '--to', 'table'])).out).toMatch(/^NAME\s+PARAMETERS\s+FORMULA/);
  });
  test('describe and NAME --help; --help leads with examples; --version', async () => {
    expect((await activ(['describe', 'gelu'])).out).toMatch(/--approximate\s+default false/);
    expect((await activ(['gelu', '--help'])).out).toBe((await activ(['describe', 'gelu'])).out);
    const h = await activ(['--help']);
    expect(h.out.split('\n').slice(0, 5).join('\n')).toMatch(/Examples:/);
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await activ(['--version'])).out).toBe(`activ ${pkg.version}\n`);
  });
});
