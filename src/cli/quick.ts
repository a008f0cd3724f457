/**
 * The one-value check, `activ sigmoid 0` or `activ gelu -- -3 -1 0 1 3`, without loading the
 * command-line parser and the I/O: a script calling activ in a loop pays little more than Node's
 * own start-up. Anything else (options, files, errors) returns undefined and goes to main(),
 * which prints the same bytes for these inputs (an end-to-end test compares the two).
 */
import { formatNumber } from '../numbers/format.js';
import { parseNumber } from '../numbers/parse.js';
import type { Kernel } from '../kernels/spec.js';

type Write = (s: string) => void;

/** Exit code, or undefined when the arguments need the full command line. */
export async function quick(argv: readonly string[], write: Write): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || !/^[A-Za-z][\w-]*$/.test(name) || name === 'list' || name === 'describe' || name === 'help') return undefined;
  const operands = rest[0] === '--' ? rest.slice(1) : rest;
  if (operands.length === 0) return undefined;
  const xs = new Float64Array(operands.length);
  for (let i = 0; i < operands.length; i++) {
    const x = parseNumber(operands[i]);
    if (x === undefined) return undefined;
    xs[i] = x;
  }
  const { lookup } = await import('../kernels/registry.js');
  const { alongRows, tableDirection } = await import('../tensor.js');
  let kernel: Kernel;
  try {
    kernel = lookup(name).bind({});
  } catch {
    return undefined; // main() words the error
  }
  // The numbers form one row: element-wise, or along it (down the columns is main()'s to word).
  let ys: Float64Array;
  try {
    if (tableDirection(kernel, name) === 'columns') return undefined;
    const r = alongRows(kernel, name).apply({ values: xs, start: Int32Array.of(0, xs.length), rows: 1 });
    ys = r!.out.subarray(r!.outStart[0], r!.outStart[1]);
  } catch {
    return undefined; // main() words the error (a prelu row of another width, glu on an odd count)
  }
  const out: string[] = new Array(ys.length);
  for (let i = 0; i < ys.length; i++) out[i] = formatNumber(ys[i]);
  write(out.join(' ') + '\n');
  return 0;
}
