/**
 * The quick path (src/cli/quick.ts) against main(), in process, over many argument vectors and
 * generated small files (fast-check): whatever quick() answers, main() answers with the same bytes
 * and exit code, and quick() answers often enough for the comparison to mean something (the
 * start-up forms among them).
 */
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, expect, test } from 'vitest';
import { quick } from '../../src/cli/quick.js';
import { runMain, type MainRun } from './in-process.js';

const viaMain = (argv: string[]): Promise<MainRun> => runMain(argv);

/** quick() on argv; with `stdinFd`, the form without operands reads that descriptor (else it never does). */
async function viaQuick(argv: string[], stdinFd?: number): Promise<MainRun | undefined> {
  let out = '';
  let err = '';
  const code = await quick(argv, (s) => (out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8')), { stdinFd, stderr: (s) => (err += s) });
  return code === undefined ? undefined : { code, out, err };
}

const NAMES = ['relu', 'ReLU', 'leaky_relu', 'elu', 'selu', 'gelu', 'softmax', 'log_softmax', 'prelu', 'thresholded_relu', 'hard_sigmoid', 'sigmoid', 'glu', 'relu6', 'sigmod', 'list', 'plot'];
const FLAGS = ['--alpha', '--negative-slope', '--negative_slope', '--max-value', '--max_value', '--threshold', '--theta', '--axis', '--approximate', '--b', '--default-value', '--to', '--precision', '--grad', '--Alpha', '-q', '--bogus'];
const VALUES = ['0.1', '-0.5', '2', '6', '0', '1e-3', '-1', '1,2', 'true', 'false', 'abc', '', '-x', 'NaN', '--', '--alpha', 'text'];
const NUMBERS = ['0', '-1', '2', '0.5', '-3.25', '1e-300', '-0', 'NaN', '-inf', 'Infinity', '+4', '.5', '1e400', 'x', '-'];

const anyFlag = fc.oneof(
  fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => [f, v]),
  fc.tuple(fc.constantFrom(...FLAGS), fc.constantFrom(...VALUES)).map(([f, v]) => [`${f}=${v}`]),
  fc.constantFrom(...FLAGS).map((f) => [f]),
);
// the relu family's parameters with values it takes: the flags quick() answers for
const reluFlag = fc
  .tuple(fc.constantFrom('--alpha', '--max-value', '--max_value', '--threshold'), fc.constantFrom('0.1', '0', '2', '6', '1e-3', '-1'), fc.boolean())
  .map(([f, v, joined]) => (joined ? [`${f}=${v}`] : [f, v]));
const flagArg = fc.oneof({ arbitrary: anyFlag, weight: 1 }, { arbitrary: reluFlag, weight: 2 });
const argvs = fc
  .tuple(fc.constantFrom(...NAMES), fc.array(flagArg, { maxLength: 3 }), fc.boolean(), fc.array(fc.constantFrom(...NUMBERS), { maxLength: 5 }))
  .map(([name, flags, dashes, numbers]) => [name, ...flags.flat(), ...(dashes ? ['--'] : []), ...numbers]);

test('whatever quick() answers, main() answers the same', { timeout: 120_000 }, async () => {
  let taken = 0;
  let withFlags = 0;
  await fc.assert(
    fc.asyncProperty(argvs, async (argv) => {
      const q = await viaQuick(argv);
      if (q === undefined) return;
      taken++;
      if (argv.slice(1).some((a) => a.startsWith('--') && a !== '--')) withFlags++;
      expect(await viaMain(argv), argv.join(' ')).toEqual(q);
    }),
    { numRuns: 3000 },
  );
  expect(taken).toBeGreaterThan(200); // about 350 expected
  expect(withFlags).toBeGreaterThan(30); // about 60 expected
});

test.each([
  [['relu', '--alpha', '0.1', '--', '-1', '2'], '-0.1 2\n'],
  [['relu', '--alpha=0.1', '--max_value', '6', '-10', '3', '10'], '-1 3 6\n'],
  [['relu', '--threshold', '-1', '--', '-2', '3'], '0 3\n'],
  [['leaky_relu', '--negative-slope', '0.5', '--', '-2'], '-1\n'],
  [['sigmoid', '0'], '0.5\n'],
])('quick takes %j', async (argv, out) => {
  expect(await viaQuick(argv)).toEqual({ code: 0, out, err: '' });
  expect(await viaMain(argv)).toEqual({ code: 0, out, err: '' });
});

test.each([
  ['relu', '--alpha', '0.1', '--alpha', '0.2', '1'], // given twice
  ['relu', '--alpha', '0.1', '--negative_slope', '0.1', '--', '1'], // canonical clash left to main()
  ['gelu', '--approximate', '1'], // a boolean flag
  ['relu', '--precision', '3', '1'], // not a parameter
  ['relu', '--alpha', '-x', '1'], // a value that looks like an option
  ['relu', '1', '--alpha', '0.1'], // flags after the numbers
  ['sigmoid', '--alpha', '1', '0'], // not sigmoid's parameter: main() words it
  ['softmax', '--axis', '0', '1', '2'], // down the columns
  ['softmax', '3'], // one value along a row: main() adds a note
])('quick leaves %j to main()', async (...argv) => {
  expect(await viaQuick(argv)).toBeUndefined();
});

// ---------------------------------------------------------------------------------------------
// A small file named on the command line (src/io/small-table.ts): generated files of every shape.

const dir = mkdtempSync(join(tmpdir(), 'activ-quick-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

const NUMBER_CELLS = ['0', '-0', '1', '-2', '0.5', '-3.25', '1e-300', '1e309', '-1e309', '5e-324', '.5', '5.', '+4', 'nan', 'NaN', 'inf', '-Infinity', '1E5', '123456789012345678901'];
const ODD_CELLS = ['', 'abc', ' 1', '12abc', '0x10', '"1"', 'x y', 'é', '\ufffd', 'na"me'];
const WORDS = ['a', 'b', 'x y', 'name', 'é', 'nan', '1', '', 'h"q', 'c d'];
const cell = fc.oneof({ arbitrary: fc.constantFrom(...NUMBER_CELLS), weight: 40 }, { arbitrary: fc.constantFrom(...ODD_CELLS), weight: 1 });

/** A table's text: a header maybe, rows of numbers (mostly of one width), separators, line ends, BOM, blank lines. */
const SEPS: Record<string, string[]> = { '.csv': [','], '.tsv': ['\t'], '.tab': ['\t'], '.txt': [' ', '  ', ' \t', '\t'], '': [',', '\t', ' '], '.dat': [',', '\t', ' '], '.json': [','] };
const tables = (ext: string) =>
  fc
  .record({
    width: fc.integer({ min: 1, max: 4 }),
    rows: fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 0, maxLength: 6 }),
    sameWidth: fc.integer({ min: 0, max: 6 }).map((k) => k > 0),
    header: fc.option(fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 }), { nil: undefined }),
    sep: fc.oneof({ arbitrary: fc.constantFrom(...SEPS[ext]), weight: 8 }, { arbitrary: fc.constantFrom(',', '\t', ' ', '  ', ' \t'), weight: 1 }),
    eol: fc.constantFrom('\n', '\n', '\r\n', '\r'),
    mixedEol: fc.integer({ min: 0, max: 9 }),
    lastEol: fc.boolean(),
    bom: fc.integer({ min: 0, max: 9 }),
    blank: fc.integer({ min: -24, max: 6 }), // sometimes a blank line, at 0..6
    leading: fc.integer({ min: 0, max: 9 }),
    labels: fc.integer({ min: 0, max: 3 }), // 0: a first column of labels (passed through, with main()'s note)
    label: fc.constantFrom('k1', 'id-2', 'é', 'x y', 'nan', ''),
  })
  .map((t) => {
    const rows = t.rows
      .map((r) => (t.sameWidth ? Array.from({ length: t.width }, (_, i) => r[i % r.length]) : r))
      .map((r, i) => (t.labels === 0 ? [i % 2 ? 'k' + i : t.label, ...r] : r));
    const lines = [...(t.header ? [t.header.join(t.sep)] : []), ...rows.map((r) => (t.leading === 0 ? ' ' : '') + r.join(t.sep))];
    if (t.blank >= 0 && t.blank <= lines.length) lines.splice(t.blank, 0, t.blank % 2 ? '' : ' ');
    const eols = lines.map((_, i) => (t.mixedEol === 0 && i % 2 ? '\r\n' : t.eol));
    let text = lines.map((l, i) => l + (i < lines.length - 1 || t.lastEol ? eols[i] : '')).join('');
    if (t.bom === 0) text = '\ufeff' + text;
    return text;
  });

const EXTS = ['.csv', '.csv', '.tsv', '.txt', '.tab', '', '.dat', '.json'];
const KERNELS = [
  ['relu'],
  ['relu', '--alpha', '0.1'],
  ['relu', '--max-value', '6', '--threshold=0.5'],
  ['elu'],
  ['elu', '--alpha', '2'],
  ['sigmoid'],
  ['gelu'],
  ['softmax'],
  ['log_softmax'],
  ['softmax', '--axis', '0'],
  ['softmax', '--axis', '1'],
  ['prelu', '--alpha', '0.1,0.2'],
  ['prelu', '--alpha', '0.25'],
  ['glu'],
  ['sparsemax'],
  ['hard_sigmoid'],
];

async function fileArgv(text: string, ext: string, kernel: string[]): Promise<string[]> {
  const path = join(dir, `t${files++}${ext}`);
  await writeFile(path, text);
  return [...kernel, path];
}

test('a small file, named or on stdin: whatever quick() answers, main() answers the same', { timeout: 240_000 }, async () => {
  let taken = 0;
  let takenOnStdin = 0;
  let withNotes = 0;
  const shapes = new Set<string>();
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...EXTS).chain((ext) => fc.tuple(tables(ext), fc.constant(ext))), fc.constantFrom(...KERNELS), async ([text, ext], kernel) => {
      const argv = await fileArgv(text, ext, kernel);
      // the same bytes on standard input (a regular file on a descriptor, no name: sniffed)
      const fd = openSync(argv[argv.length - 1], 'r');
      try {
        const viaStdin = await viaQuick(kernel, fd);
        if (viaStdin !== undefined) {
          takenOnStdin++;
          expect(await runMain(kernel, { stdin: text }), `stdin: ${kernel.join(' ')}: ${JSON.stringify(text)}`).toEqual(viaStdin);
        }
      } finally {
        closeSync(fd);
      }
      const q = await viaQuick(argv);
      if (q === undefined) return;
      taken++;
      if (q.err !== '') withNotes++;
      shapes.add(`${ext} ${kernel[0]} ${text.includes('\r\n') ? 'crlf' : 'lf'} ${/\d\r?\n?$/.test(text) && !/\n$/.test(text) ? 'no-last-eol' : 'last-eol'}`);
      expect(await viaMain(argv), `${argv.join(' ')}: ${JSON.stringify(text)}`).toEqual(q);
    }),
    { numRuns: 2000 },
  );
  expect(taken).toBeGreaterThan(250); // about 350 expected
  expect(takenOnStdin).toBeGreaterThan(150);
  expect(withNotes).toBeGreaterThan(30); // text columns passed through, noted as main() notes them
  expect(shapes.size).toBeGreaterThan(40); // formats, kernels, line ends all met among the answered
});

test.each([
  ['a,b\n1,-2\n-3,4\n', '.csv', ['relu'], 'a,b\n1,0\n0,4\n'],
  ['a,b\r\n1,-2\r\n-3,4', '.csv', ['relu', '--alpha', '0.5'], 'a,b\r\n1,-1\r\n-1.5,4\r\n'],
  ['\ufeffx\ty\n-0\t1e309\nnan\t-inf\n', '.tsv', ['elu'], 'x\ty\n-0\tInfinity\nNaN\t-1\n'],
  ['1 2\n  3\t4  \n', '.txt', ['relu', '--alpha', '1'], '1 2\n3 4\n'],
  ['1,2\n3,4', '', ['softmax'], '0.2689414213699951,0.7310585786300049\n0.2689414213699951,0.7310585786300049\n'],
])('quick takes the file %j (%s)', async (text, ext, kernel, out) => {
  const argv = await fileArgv(text, ext, kernel);
  expect(await viaQuick(argv)).toEqual({ code: 0, out, err: '' });
  expect(await viaMain(argv)).toEqual({ code: 0, out, err: '' });
});

test('quick takes a file with a text column, with main()\'s note on stderr', async () => {
  const argv = await fileArgv('id,x\nk\u00e9,-1\n\u00ff,2\n', '.csv', ['relu']);
  const q = await viaQuick(argv);
  expect(q).toEqual({ code: 0, out: 'id,x\nk\u00e9,0\n\u00ff,2\n', err: `activ: ${argv[1]}: column 1 ('id') holds text in the first data row: passed through (choose columns with -c); transformed: 2 ('x')\n` });
  expect(await viaMain(argv)).toEqual(q);
});

test.each([
  ['"a",b\n1,2\n', ['relu'], '.csv'], // a quote: csv-parse's
  ['a,b\n\n1,2\n', ['relu'], '.csv'], // a blank line first
  ['a,b\nx,y\n', ['relu'], '.csv'], // no column holds a number: main()'s error
  ['a,b\n1,2\n3\n', ['relu'], '.csv'], // a row of another width
  ['a,b\n1,2\n\n', ['relu'], '.csv'], // a blank line at the end
  ['a\n1\n2\n', ['softmax'], '.csv'], // one value along rows: a note
  ['1,2\n', ['softmax', '--axis', '0'], '.csv'], // down the columns
  ['1,2\n3,4\n', ['glu'], '.csv'], // a step that halves rows
  ['1,2,3\n', ['prelu', '--alpha', '0.1,0.2'], '.csv'], // alpha of another width
  ['a\r1\r', ['relu'], '.csv'], // lone CR line ends
  ['[1,2]\n', ['relu'], '.json'],
  ['', ['relu'], '.csv'], // empty
  ['BZh91AY&SY,1\n2,3\n', ['relu'], '.csv'], // bzip2's magic
  ['a,b\n1,2\0\n', ['relu'], '.csv'], // a NUL byte
])('quick leaves the file %j to main()', async (text, kernel, ext) => {
  expect(await viaQuick(await fileArgv(text, ext, kernel))).toBeUndefined();
});

test('quick leaves to main() a missing file, a folder, two files and a file over 64 KiB', async () => {
  expect(await viaQuick(['relu', join(dir, 'missing.csv')])).toBeUndefined();
  expect(await viaQuick(['relu', dir])).toBeUndefined();
  const small = await fileArgv('1,2\n', '.csv', ['relu']);
  expect(await viaQuick([...small, small[1]])).toBeUndefined();
  const rows = Array.from({ length: 7000 }, (_, i) => `${i},${-i / 3}`).join('\n') + '\n';
  expect(rows.length).toBeGreaterThan(1 << 16);
  expect(await viaQuick(await fileArgv(rows, '.csv', ['relu']))).toBeUndefined();
  // just under the bound: answered, and main() (whose byte lane is then in WebAssembly) agrees
  const under = rows.slice(0, rows.lastIndexOf('\n', 60_000) + 1);
  const argv = await fileArgv(under, '.csv', ['sigmoid']);
  const q = await viaQuick(argv);
  expect(q?.code).toBe(0);
  expect(await viaMain(argv)).toEqual(q);
});
