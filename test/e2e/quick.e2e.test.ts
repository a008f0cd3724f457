/**
 * `activ NAME NUMBER...` is answered by src/cli/quick.ts without loading the full command line;
 * it must print what main() prints for the same numbers (an option forces main()).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { expect, test } from 'vitest';

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
