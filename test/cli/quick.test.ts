/**
 * The quick path (src/cli/quick.ts) against main(), in process, over many argument vectors
 * (fast-check): whatever quick() answers, main() answers with the same bytes and exit code, and
 * quick() answers often enough for the comparison to mean something (the start-up forms among them).
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { quick } from '../../src/cli/quick.js';
import { runMain, type MainRun } from './in-process.js';

const viaMain = (argv: string[]): Promise<MainRun> => runMain(argv);

async function viaQuick(argv: string[]): Promise<MainRun | undefined> {
  let out = '';
  const code = await quick(argv, (s) => (out += s));
  return code === undefined ? undefined : { code, out, err: '' };
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
