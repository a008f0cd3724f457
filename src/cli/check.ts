/**
 * `activ check NAME INPUT RESULTS`: another implementation's outputs against activ's exact values,
 * in ulps of the results' dtype. Flags and call form as for the activation; the work is
 * src/check/ (pure) over tensors read by src/io/tensor-file.ts.
 * Exit status: 0 every value within --tol, 1 some beyond (or bad data), 2 bad usage or shapes.
 */
import type { Readable } from 'node:stream';
import type { Command } from 'commander';
import { check } from '../check/check.js';
import { reportJson, reportText } from '../check/report.js';
import { ActivError } from '../errors.js';
import { fileInput, stdinInput, type Input, type Sink } from '../io/streams.js';
import { readTensorFile } from '../io/tensor-file.js';
import { lookup } from '../kernels/registry.js';
import { DTYPES, isDtype, type Dtype } from '../numbers/dtype.js';
import { givenParams, paramFlags, parseCallForm, preprocessArgv, unwrap } from './options.js';
import { addParamOptions, quietCommand } from './parser.js';

export const CHECK_USAGE = 'activ check <activation> INPUT RESULTS [--tol ULP] [--dtype D] [--to text|json]';

const CHECK_HELP = `activ check: compare another implementation's outputs with activ's exact values.

Examples:
  activ check gelu x.csv theirs.csv                 float64 results, within 4 ulp?
  activ check sigmoid x.csv y32.csv --dtype float32  a float32 implementation, in float32 ulps
  activ check 'elu(alpha=0.5)' x.json y.json --tol 1 parameters as for the activation
  activ check softmax --axis 0 x.csv y.csv --to json the report as JSON, for scripts and CI

Usage:
  ${CHECK_USAGE}

RESULTS holds the other implementation's outputs for INPUT, in the same shape (axes of length 1
aside: a CSV column matches a vector); both may be any format activ reads. activ computes the
exact values (inputs first rounded to the dtype, as the other side held them), rounds them once to
RESULTS' dtype (or --dtype; float64 for text formats) and reports how many values were compared,
the largest and mean distance in ulps of that dtype, a histogram (0, 1, 2, 3-4, 5-16, 17-256,
more, and NaN or sign mismatches), and the worst positions with input, expected and got.

Options:
  --tol <ulp>          largest distance that passes, in ulps (default: 4)
  --dtype <dtype>      float64, float32, float16 or bfloat16 (default: RESULTS' own, else float64)
  --to <format>        text (default) or json
  --worst <n>          how many of the worst values to list (default: 10)
  activation parameters as flags (--alpha 0.5, --axis 0, ...) or in the call form

Exit status: 0 every value within --tol ulp, 1 some are not (or a file holds bad data),
2 bad usage or shapes that differ.
`;

export interface CheckIo {
  readonly out: Sink;
  /** Standard input; none: the process's own, read from fd 0 (creating process.stdin loads Node's net modules). */
  readonly stdin?: Readable;
}

function buildCheckProgram(): Command {
  const cmd = quietCommand('check')
    .argument('[files...]')
    .option('--tol <ulp>')
    .option('--dtype <dtype>')
    .option('--to <format>')
    .option('--worst <n>')
    .option('-h, --help');
  addParamOptions(cmd, paramFlags());
  return cmd;
}

function parseCount(s: string, flag: string, what: string): number {
  const n = Number(s);
  if (!/^\d+(\.\d*)?$/.test(s) || !Number.isFinite(n)) throw new ActivError(`${flag} '${s}': expected ${what}`);
  return n;
}

function openInput(arg: string, io: CheckIo): Input {
  return arg === '-' ? stdinInput(io.stdin) : fileInput(arg);
}

/** Run `activ check` (argv after 'check'); resolves to the exit code. */
export async function runCheck(argv: readonly string[], io: CheckIo): Promise<number> {
  const flags = paramFlags();
  const cmd = buildCheckProgram();
  cmd.parse(preprocessArgv(argv, flags), { from: 'user' });
  const o = cmd.opts<Record<string, string | boolean | undefined>>();
  if (o.help) {
    io.out.write(CHECK_HELP);
    await io.out.finish(false);
    return 0;
  }
  const [activationArg, files = []] = cmd.processedArgs as [string | undefined, string[] | undefined];
  if (activationArg === undefined || files.length !== 2) {
    throw new ActivError(`usage: ${CHECK_USAGE} (activ check --help for more)`);
  }
  const [inputArg, resultsArg] = files.map(unwrap);
  if (inputArg === '-' && resultsArg === '-') throw new ActivError("'-' (stdin) can be named only once");

  const activation = unwrap(activationArg);
  const call = parseCallForm(activation);
  const spec = lookup(call ? call.name : activation);
  const kernel = spec.bind(givenParams(o, flags, call));

  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? unwrap(o[k] as string) : undefined);
  const tolerance = str('tol') === undefined ? 4 : parseCount(str('tol')!, '--tol', 'a number of ulps, 0 or more');
  const keep = str('worst') === undefined ? 10 : parseCount(str('worst')!, '--worst', 'a whole number');
  let dtype: Dtype | undefined;
  if (str('dtype') !== undefined) {
    if (!isDtype(str('dtype')!)) throw new ActivError(`--dtype '${str('dtype')}': expected one of ${DTYPES.join(', ')}`);
    dtype = str('dtype') as Dtype;
  }
  const to = str('to') ?? 'text';
  if (to !== 'text' && to !== 'json') throw new ActivError(`--to '${to}': activ check writes text or json`);

  const input = await readTensorFile(openInput(inputArg, io), {});
  const results = await readTensorFile(openInput(resultsArg, io), {});
  const report = check({
    kernel,
    name: spec.name,
    input,
    results,
    dtype,
    tolerance,
    keep: Math.floor(keep),
    inputName: inputArg,
    resultsName: resultsArg,
  });
  const subject = { call: call ? activation : spec.name, input: inputArg, results: resultsArg };
  io.out.write(to === 'json' ? reportJson(report, subject) : reportText(report, subject));
  await io.out.finish(false);
  return report.pass ? 0 : 1;
}
