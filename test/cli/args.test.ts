/**
 * args.ts: the plain reading of an argument vector without options equals commander's parse of
 * it (options at their defaults, the activation, the inputs), so main() may skip loading commander.
 */
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { commanderArgs, parseArgs, plainArgs } from '../../src/cli/args.js';
import { givenParams } from '../../src/cli/options.js';

const WORDS = ['relu', 'sigmoid', 'small.csv', 'x.json', '1', '2.5', 'NaN', 'inf', 'relu(alpha=0.1)', 'help', 'list', 'describe', '', ' ', 'a b', '=', 'x=1', '+1', 'é', '--', '-', '-1', '--to', '-o', '--alpha=1'];
const word = fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 6 }), fc.string({ unit: 'grapheme', maxLength: 4 }));

test('where the plain reading applies, commander reads the same', { timeout: 120_000 }, async () => {
  let plain = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(word, { maxLength: 5 }), async (argv) => {
      const p = plainArgs(argv);
      if (p === undefined) {
        expect(argv.some((a) => a.startsWith('-'))).toBe(true);
        return;
      }
      plain++;
      const c = await commanderArgs(argv);
      expect({ ...p, flags: undefined }, JSON.stringify(argv)).toEqual({ ...c, flags: undefined });
      // the same parameters (none) whichever flags each reading knew
      expect(givenParams(p.o, p.flags, undefined)).toEqual(givenParams(c.o, c.flags, undefined));
    }),
    { numRuns: 1500 },
  );
  expect(plain).toBeGreaterThan(800); // about 1200 expected
});

test('the start-up form is read plainly; an option anywhere goes to commander', async () => {
  expect(plainArgs(['relu', 'small.csv'])).toEqual({ o: { headerOut: 'auto', dtype: 'float64', onInvalid: 'fail', jsonNonfinite: 'null' }, activation: 'relu', inputs: ['small.csv'], flags: [] });
  expect(plainArgs(['relu', 'small.csv', '-o', 'x'])).toBeUndefined();
  expect(plainArgs(['relu', '-'])).toBeUndefined();
  expect((await parseArgs(['relu', '--to', 'json', 'x.csv'])).o.to).toBe('json');
  expect((await parseArgs(['relu', '--max_value', '6', 'x.csv'])).o.maxValue).toBe('6');
});
