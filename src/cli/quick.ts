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
  let kernel: Kernel;
  try {
    kernel = lookup(name).bind({});
  } catch {
    return undefined; // main() words the error
  }
  let ys = xs;
  if (kernel.kind === 'elementwise') {
    if (kernel.width !== undefined) return undefined;
    kernel.map(xs, xs, 0, xs.length);
  } else {
    // the numbers form one row: axis -1 or 1 runs along it; others are main()'s to refuse
    if (kernel.axis !== -1 && kernel.axis !== 1) return undefined;
    let m: number;
    try {
      m = kernel.outLength(xs.length);
    } catch {
      return undefined;
    }
    ys = new Float64Array(m);
    kernel.vector(xs, 0, 1, ys, 0, 1, xs.length);
  }
  const out: string[] = new Array(ys.length);
  for (let i = 0; i < ys.length; i++) out[i] = formatNumber(ys[i]);
  write(out.join(' ') + '\n');
  return 0;
}
