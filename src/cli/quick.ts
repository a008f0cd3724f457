/**
 * The one-row check, `activ sigmoid 0`, `activ gelu -- -3 -1 0 1 3` or `activ relu --alpha 0.1
 * -- -1 2`, and a small table file, `activ relu small.csv` (or `< small.csv`: a regular file on
 * standard input), without loading the command-line
 * parser and the I/O: a script calling activ in a loop pays little more than Node's own
 * start-up. It takes only activation parameters given as flags (`--name value`, `--name=value`)
 * before the numbers or the one file; anything else (other options, several files, errors, a file
 * src/io/small-table.ts leaves to main()) returns undefined and goes to main(), which prints the
 * same bytes for what is taken here (test/cli/quick.test.ts compares the two over many argument
 * vectors and generated files).
 */
import { escapeControls } from '../io/escape.js';
import { formatNumber } from '../numbers/format.js';
import { parseNumber } from '../numbers/parse.js';
import type { Kernel } from '../kernels/spec.js';
import type { SmallTableOutput } from '../io/small-table.js';

/** Standard output's writer (stdio.ts quickWrite). */
type Write = (s: string | Uint8Array) => void;

/**
 * Where the stdin form (no operand) reads: a descriptor (fd 0), or none (the tests' main() reads a
 * stream); where notes go (process.stderr, as main() writes them).
 */
export interface QuickIo {
  readonly stdinFd?: number;
  readonly stderr?: (s: string) => void;
}

/** Commands main() dispatches by their first word. */
const COMMANDS = new Set(['list', 'describe', 'help', 'check', 'completion', 'plot']);

/** The arguments after the name: parameter flags (name, value as typed), then the operands. */
interface Operands {
  readonly flags: ReadonlyMap<string, string>;
  readonly operands: readonly string[];
}

/** `--name value` / `--name=value` pairs, an optional `--`, then the operands; else undefined. */
function splitArgs(rest: readonly string[]): Operands | undefined {
  const flags = new Map<string, string>();
  let i = 0;
  for (; i < rest.length && rest[i].startsWith('--') && rest[i] !== '--'; i++) {
    const a = rest[i];
    const eq = a.indexOf('=');
    let value: string;
    if (eq >= 0) value = a.slice(eq + 1);
    else {
      value = rest[++i];
      // a value that looks like an option is commander's to judge
      if (value === undefined || (value.startsWith('-') && parseNumber(value) === undefined)) return undefined;
    }
    const name = eq >= 0 ? a.slice(0, eq) : a;
    if (flags.has(name)) return undefined; // given twice: main() decides which counts
    flags.set(name, value);
  }
  return { flags, operands: rest[i] === '--' ? rest.slice(i + 1) : rest.slice(i) };
}

/** The operands as one row of numbers, or undefined when one is not a number (or there are none). */
function numbersOf(operands: readonly string[]): Float64Array | undefined {
  if (operands.length === 0) return undefined;
  const numbers = new Float64Array(operands.length);
  for (let k = 0; k < operands.length; k++) {
    const x = parseNumber(operands[k]);
    if (x === undefined) return undefined;
    numbers[k] = x;
  }
  return numbers;
}

/** One operand that main() reads as a file: not a number, not stdin ('-'), not option-like. */
function fileOperand(operands: readonly string[]): string | undefined {
  const [path] = operands;
  return operands.length === 1 && path !== '' && !path.startsWith('-') && parseNumber(path) === undefined ? path : undefined;
}

/** The parameters the flags give, as main() collects them (catalogue order); undefined if one is not a parameter flag. */
async function givenParams(flags: ReadonlyMap<string, string>): Promise<Record<string, string> | undefined> {
  if (flags.size === 0) return {};
  const { flagName, paramFlags } = await import('./param-flags.js');
  const typed = new Map<string, string>();
  for (const [name, value] of flags) {
    const canonical = flagName(name);
    if (typed.has(canonical)) return undefined; // --max_value and --max-value
    typed.set(canonical, value);
  }
  const params: Record<string, string> = {};
  let found = 0;
  for (const f of paramFlags()) {
    const value = typed.get(f.flag);
    if (value === undefined) continue;
    if (f.boolean) return undefined; // bare booleans and their values are commander's (preprocessArgv)
    params[f.key] = value;
    found++;
  }
  return found === typed.size ? params : undefined;
}

/** Exit code, or undefined when the arguments need the full command line. */
export async function quick(argv: readonly string[], write: Write, io: QuickIo = { stdinFd: 0 }): Promise<number | undefined> {
  const [name, ...rest] = argv;
  if (!name || !/^[A-Za-z][\w-]*$/.test(name) || COMMANDS.has(name)) return undefined;
  const args = splitArgs(rest);
  if (!args) return undefined;
  const numbers = numbersOf(args.operands);
  const file = numbers ? undefined : args.operands.length === 0 ? io.stdinFd : fileOperand(args.operands);
  if (!numbers && file === undefined) return undefined;
  const params = await givenParams(args.flags);
  if (!params) return undefined;
  const { findActivation } = await import('../kernels/names.js');
  let kernel: Kernel;
  try {
    kernel = findActivation(name).bind(params);
  } catch {
    return undefined; // main() words the error
  }
  let output: SmallTableOutput | string | undefined;
  try {
    output = numbers ? await oneRow(kernel, name, numbers) : await smallFile(kernel, name, file!);
  } catch {
    return undefined; // main() words the error (a prelu row of another width, glu on an odd count)
  }
  if (output === undefined) return undefined;
  if (typeof output === 'string') write(output);
  else {
    // as main(): its notes when the head is read, before any output
    const stderr = io.stderr ?? ((s: string) => void process.stderr.write(s));
    for (const note of output.notes) stderr(`activ: ${escapeControls(note)}\n`);
    if (output.head) write(output.head);
    write(output.body);
  }
  return 0;
}

/** The numbers as one row: element-wise, or along it (down the columns is main()'s to word). */
async function oneRow(kernel: Kernel, name: string, xs: Float64Array): Promise<string | undefined> {
  const { alongRows, tableDirection, valueStep } = await import('../tensor.js');
  if (tableDirection(kernel, name) === 'columns') return undefined;
  if (valueStep(kernel).wholeVectors && xs.length === 1) return undefined; // main() notes that a row of one value says little
  const r = alongRows(kernel, name).apply({ values: xs, start: Int32Array.of(0, xs.length), rows: 1 });
  const ys = r!.out.subarray(r!.outStart[0], r!.outStart[1]);
  const out: string[] = new Array(ys.length);
  for (let i = 0; i < ys.length; i++) out[i] = formatNumber(ys[i]);
  return out.join(' ') + '\n';
}

/**
 * A small CSV/TSV/text file (named, or a descriptor) along its rows: src/io/small-table.ts decides
 * whether it is one. In quick.cjs with the rest (a bundle of its own, measured, cost the file form
 * ~0.9 ms and saved the number forms ~0.35 ms of their code cache).
 */
async function smallFile(kernel: Kernel, name: string, file: string | number): Promise<SmallTableOutput | undefined> {
  // progress.ts's test hook: with no delay, main() may draw its line even for a small file (stderr a terminal)
  if (process.env.ACTIV_PROGRESS_DELAY_MS !== undefined) return undefined;
  const { smallTable } = await import('../io/small-table.js');
  return smallTable({ from: typeof file === 'number' ? { fd: file } : { path: file }, kernel, name });
}
