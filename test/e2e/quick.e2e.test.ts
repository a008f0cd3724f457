/**
 * `activ NAME NUMBER...` and `activ NAME small.csv` are answered by src/cli/quick.ts without
 * loading the full command line; it must print what main() prints for the same numbers or file
 * (an option forces main()).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const ROOT = new URL('../..', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/activ.js');
const run = (args: string[]) => {
  const p = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8' });
  return { code: p.status, out: p.stdout, err: p.stderr };
};

test.each([
  ['sigmoid', '0'],
  ['softmax', '1', '2', '3'],
  ['glu', '1', '2', '3', '4'],
  ['sparsemax', '0.5', '0.4'],
  ['log_softmax', '-745', '-744', '-700'],
  ['gelu', '-3', '-1', '0', '1e-300', 'NaN', '-inf', '-0'],
  ['hardSigmoid', '-2.5', '2.5', '1e-17'],
])('quick path = main(): %s', (...args) => {
  const quick = run(args);
  const main = run([args[0], '--to', 'text', ...args.slice(1)]);
  expect(quick.code).toBe(0);
  expect(quick.err).toBe('');
  expect(quick).toEqual(main);
});

test('what the quick path does not take goes to main(): errors keep their words and codes', () => {
  expect(run(['glu', '1', '2', '3'])).toEqual({
    code: 1,
    out: '',
    err: 'activ: <arguments>:1: glu: the axis has 3 elements, an odd number; glu splits it into two equal halves\n',
  });
  expect(run(['sigmod', '1']).code).toBe(2);
  expect(run(['threshold', '1']).code).toBe(2); // required parameters
});

test('every example in the catalogue prints what it says', async () => {
  const { catalogue } = await import('../../src/kernels/registry.js');
  const examples = catalogue().filter((s) => s.example);
  expect(examples.length).toBeGreaterThan(0);
  for (const s of examples) {
    const [command, output] = s.example!.split(/\s+->\s+/);
    // split the command line as a shell would: single quotes group
    const words = command.match(/'[^']*'|\S+/g)!.map((w) => w.replace(/^'|'$/g, ''));
    expect(words[0]).toBe('activ');
    expect(run(words.slice(1)), s.name).toEqual({ code: 0, out: output + '\n', err: '' });
  }
});

/**
 * A small table file (src/io/small-table.ts): bin/activ.js's run() with a loader that records
 * which bundles it loaded tells which path answered (quick.cjs alone, or main.cjs after it).
 */
describe('a small file named on the command line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'activ-quick-e2e-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  /** The bundles run(argv) loaded, in order, with what it wrote. */
  const bundlesFor = (argv: string[], stdin?: string) => {
    const script = `const { loadBundle, run } = require(${JSON.stringify(BIN)});
      const loaded = new Map();
      const load = async (name) => loadBundle(name, { loaded }).exports;
      run(${JSON.stringify(argv)}, load).then(() => console.error(JSON.stringify([...loaded.keys()])));`;
    const fd = stdin === undefined ? 'ignore' : openSync(stdin, 'r');
    try {
      const p = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', stdio: [fd, 'pipe', 'pipe'] });
      return { out: p.stdout, loaded: JSON.parse(p.stderr.trimEnd().split('\n').pop()!) as string[] };
    } finally {
      if (typeof fd === 'number') closeSync(fd);
    }
  };

  test('a 3-line CSV is answered by the quick path, with the bytes main() writes', () => {
    const csv = file('small.csv', 'a,b\n1,-2\n-3,4\n');
    expect(run(['relu', csv])).toEqual({ code: 0, out: 'a,b\n1,0\n0,4\n', err: '' });
    expect(bundlesFor(['relu', csv])).toEqual({ out: 'a,b\n1,0\n0,4\n', loaded: ['quick'] });
    expect(run(['relu', '--to', 'csv', csv])).toEqual(run(['relu', csv])); // an option: main() answers
  });

  test('the same CSV as a regular file on stdin is answered by the quick path too', () => {
    const csv = file('stdin.csv', 'a,b\n1,-2\n-3,4\n');
    expect(bundlesFor(['relu', '--alpha', '0.5'], csv)).toEqual({ out: 'a,b\n1,-1\n-1.5,4\n', loaded: ['quick'] });
  });

  test.each([
    ['tsv with parameters, CRLF, no last line end', 'data.tsv', 'x\ty\r\n-1\t2\r\n3\t-4', ['elu', '--alpha', '2'], 'tsv'],
    ['text, softmax along rows', 'data.txt', '1 2 3\n4 5 6\n', ['softmax'], 'text'],
    ['no extension: sniffed', 'data', '1,nan\n-inf,-0\n', ['gelu'], 'csv'],
  ])('%s: quick path, same bytes as main()', (_, name, text, kernel, format) => {
    const path = file(name, text);
    const got = bundlesFor([...kernel, path]);
    expect(got.loaded).toEqual(['quick']);
    expect(run([...kernel, path])).toEqual({ code: 0, out: got.out, err: '' });
    expect(run([...kernel, '--to', format, path])).toEqual({ code: 0, out: got.out, err: '' }); // an option: main() answers
  });

  test('a text column: the quick path, with main()\'s note; what it leaves (a blank line, a missing file) goes to main()', () => {
    const labelled = file('labels.csv', 'id,x\nk1,-1\nk2,2\n');
    expect(bundlesFor(['relu', labelled])).toEqual({ out: 'id,x\nk1,0\nk2,2\n', loaded: ['quick'] });
    const note = run(['relu', labelled]);
    expect(note).toEqual({ code: 0, out: 'id,x\nk1,0\nk2,2\n', err: `activ: ${labelled}: column 1 ('id') holds text in the first data row: passed through (choose columns with -c); transformed: 2 ('x')\n` });
    expect(run(['relu', '--to', 'csv', labelled])).toEqual(note); // main()
    const blank = file('blank.csv', 'a,b\n\n1,-2\n');
    expect(bundlesFor(['relu', blank])).toEqual({ out: 'a,b\n\n1,0\n', loaded: ['quick', 'main'] });
    const missing = run(['relu', join(dir, 'missing.csv')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/^activ: .*missing\.csv/);
    expect(bundlesFor(['relu', join(dir, 'missing.csv')]).loaded).toEqual(['main']); // no stat of a missing file passes mayBeQuick
  });
});
