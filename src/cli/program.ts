/**
 * The command line's one definition: the commander program with every option, the examples and
 * the help text. --help, the man page (man.ts) and the completion scripts (completion.ts) are all
 * generated from what is defined here and from the catalogue, so they cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { OPTION_DEFAULTS } from './args.js';
import { paramFlags } from './param-flags.js';
import { addParamOptions, quietCommand } from './parser.js';
import { wrapText } from './wrap.js';

export const NAME = 'activ';

export const USAGE = 'activ <activation> [options] [inputs...]';

export const SYNOPSIS = [
  USAGE,
  'activ list [--to table|csv|json]',
  'activ describe <activation>        (or: activ <activation> --help)',
  'activ check <activation> INPUT RESULTS [--tol ULP]   another implementation against the exact values',
  'activ plot <activation>[,...]      curves on the terminal, as SVG or points (activ plot --help)',
  'activ completion bash|zsh|fish',
];

/** Each example: the command and what it does. */
export const EXAMPLE_LIST: readonly (readonly [string, string])[] = [
  ['activ sigmoid data.csv', 'every numeric column of a CSV, header kept'],
  ['cat data.csv | activ relu --max-value 6', 'stdin to stdout'],
  ['activ softmax --axis 0 scores.tsv -o p.tsv', 'down each column, written to p.tsv'],
  ['activ gelu -3 -1 0 1 3', 'numbers on the command line form one row'],
  ["activ 'relu(alpha=0.1, max_value=6)' x.csv", 'the Keras call form'],
  ['activ prelu --alpha 0.1,0.2 -c 2-3 x.csv', 'one alpha per selected column'],
  ["activ tanh -c 'x,!id' --to ndjson x.csv", 'choose columns, convert the format'],
  ['activ gelu --grad -- -10 0 1', 'the derivative dy/dx (axis-wise: --cotangent v.csv)'],
  ['activ sigmoid --dtype float32 1', 'as float32 holds it: 0.7310586'],
  ['activ check gelu x.csv theirs.csv', 'another implementation against the exact values'],
  ['activ list', 'the catalogue; activ describe softmax for one'],
];

export const EXAMPLES = 'Examples:\n' + EXAMPLE_LIST.map(([cmd, what]) => `  ${cmd.padEnd(43)} ${what}`).join('\n');

export const DESCRIPTION = 'apply neural-network activations (as Keras defines them) to numbers in CSV, TSV, JSON, NDJSON, text, or on the command line.';

/** One paragraph (wrapped at the terminal's width by helpText). */
export const INPUTS_TEXT =
  "Inputs are files, '-' for stdin, or stdin when none is named; numbers instead of files form one row. " +
  'Formats come from --from, the extension (.csv .tsv .tab .json .ndjson .jsonl .txt, each also with .gz), or the content; ' +
  "output is in the input's format unless --to says otherwise. " +
  // json2 (#10): jq's output
  "JSON may be several documents as jq prints them (jq '.[]' x.json | activ softmax): each 1-D array there is a row, as an NDJSON line is; a lone one stays 1-D. " +
  'Gzip input (a file or stdin) is decompressed as it is read; -o FILE.gz writes gzip.';

export const EXIT_TEXT = 'Exit status: 0 success, 1 bad data or I/O failure, 2 bad usage.';

export function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The last program built: its option definitions (not its parse) serve optionDocs, so --help builds one program, not two. */
let built: Command | undefined;

export function buildProgram(): Command {
  const program = quietCommand(NAME)
    .argument('[inputs...]')
    .allowExcessArguments(true)
    .option('-c, --columns <list>', "columns to transform: 1-based numbers, header names, ranges 2-5 or 3-, negation !id")
    .option('--from <format>', 'input format: csv, tsv, json, ndjson, text')
    .option('--to <format>', 'output format (default: the input format)')
    .option('--header', 'the first row is a header (default: detected)')
    .option('--no-header', 'the first row is data')
    .option('--header-out <when>', 'write the header: auto (when the input has one) or never (chunks that concatenate)', OPTION_DEFAULTS.headerOut)
    .option('-d, --delimiter <char>', "CSV/TSV input delimiter ('\\t' for tab)")
    .option('--precision <digits>', 'significant digits (default: shortest round trip)')
    .option('--decimals <digits>', 'digits after the point, 0 to 100, rounded half to even (never exponent form)')
    .option('--dtype <dtype>', 'float32, float16, bfloat16: inputs and results rounded to it, printed in its digits', OPTION_DEFAULTS.dtype)
    .option('--on-invalid <mode>', 'a selected cell that is not a number: fail, skip (the row), keep (the cell), null', OPTION_DEFAULTS.onInvalid)
    .option('--na <tokens>', "comma-separated spellings of a missing value (e.g. NA,-99999): they follow --on-invalid")
    .option('--json-nonfinite <mode>', 'NaN/Infinity in JSON output: null (counted on stderr) or string', OPTION_DEFAULTS.jsonNonfinite)
    .option('--grad', 'write the derivative dy/dx instead of y (axis-wise: with --cotangent)')
    .option('--cotangent <file>', "with --grad on an axis-wise activation: the output's gradient v, in the output's shape; writes v^T J")
    .option('-o, --output <file>', 'write to FILE (replaced only on success; may be an input; .gz compresses)')
    .option('--progress', 'show a progress line on stderr (default: on long runs when stderr is a terminal)')
    .option('--no-progress', 'never show the progress line')
    .option('-q, --quiet', 'no notes on stderr')
    .option('-h, --help', 'show help (with an activation: describe it)')
    .option('-V, --version', 'show the version');
  addParamOptions(program, paramFlags());
  built = program;
  return program;
}

export interface OptionDoc {
  /** '-c, --columns <list>' */
  readonly flags: string;
  readonly description: string;
  /** Every name: ['-c', '--columns']. */
  readonly names: readonly string[];
  /** Takes a value. */
  readonly value: boolean;
}

/** The program's visible options, as help, man page and completion show them. */
export function optionDocs(program: Command = built ?? buildProgram()): OptionDoc[] {
  return program.options
    .filter((o) => !o.hidden)
    .map((o) => ({
      flags: o.flags,
      description: `${o.description}${o.defaultValue !== undefined && o.defaultValue !== false && o.defaultValue !== true ? ` (default: ${o.defaultValue})` : ''}`,
      names: [o.short, o.long].filter((n): n is string => n !== undefined),
      value: o.required || o.optional,
    }));
}

export function helpText(width: number): string {
  const options = optionDocs()
    .map((o) => `  ${o.flags.padEnd(28)} ${o.description}`)
    .join('\n');
  const text = `activ: ${DESCRIPTION}

${EXAMPLES}

Usage:
${SYNOPSIS.map((s) => '  ' + s).join('\n')}

${INPUTS_TEXT}

Options:
${options}

Activation parameters (each activation takes some of them; see activ describe <activation>):
  ${paramFlags()
    .map((f) => f.flag)
    .join(' ')}

${EXIT_TEXT}
`;
  return wrapText(text, width);
}
