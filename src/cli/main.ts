/**
 * The activ command: `activ <activation> [options] [inputs...]`, `activ list`, `activ describe`.
 * main() returns the exit code and never calls process.exit, so queued output is never cut.
 * Errors are one line on stderr: ActivError kinds map to exit codes (usage 2, data and I/O 1);
 * anything else is an internal error (exit 1, one line, no stack trace). A closed output pipe
 * ends quietly with 0.
 */
import { statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { ActivError, exitCodeFor } from '../errors.js';
import type { Format, OnInvalid } from '../io/table.js';
import { parseColumns } from '../io/select.js';
import { outputFormatFromPath, parseFormat } from '../io/formats.js';
import { fileInput, FileOutput, PipeClosed, Sink, stdinInput, textInput, type Input } from '../io/streams.js';
import { escapeControls } from '../io/escape.js';
import { inputThatIsStdout } from '../io/same-file.js';
import { stdoutStream } from '../io/stdio.js';
import { mayBeTerminal } from '../io/direct-out.js';
import { kernelInDtype } from '../kernels/dtype.js';
import { lookup } from '../kernels/registry.js';
import { DTYPES, type Dtype } from '../numbers/dtype.js';
import { parseNumber } from '../numbers/parse.js';
import { makePlan, runPipeline } from '../pipeline/index.js';
import { gradPlan, runVjp } from './grad.js';
import { parseArgs } from './args.js';
import { givenParams, parseCallForm, unwrap } from './options.js';
import { paramFlags } from './param-flags.js';
import { helpWidth } from './wrap.js';
import { MAX_DECIMALS } from '../numbers/fixed.js';
import type { Digits } from '../numbers/format.js';

export interface Io {
  stdout: Writable & { isTTY?: boolean; columns?: number };
  stderr: Writable;
  stdin: Readable & { isTTY?: boolean };
}

/**
 * This process's standard streams, each created only when used: creating one loads Node's stream
 * modules (and a pipe's or terminal's the network ones), milliseconds that a small run need not
 * pay. main() writes stdout directly (stdoutStream), reads a small file on stdin directly
 * (stdinInput) and asks a descriptor whether it may be a terminal before creating its stream for
 * the question (isTerminal).
 */
export const PROCESS_IO: Io = {
  get stdout() {
    return process.stdout;
  },
  get stderr() {
    return process.stderr;
  },
  get stdin() {
    return process.stdin;
  },
};

/** Whether one of io's streams is a terminal; for PROCESS_IO an fstat first, the stream only if that cannot tell. */
function isTerminal(io: Io, which: 'stdin' | 'stdout' | 'stderr'): boolean {
  if (io === PROCESS_IO && !mayBeTerminal(['stdin', 'stdout', 'stderr'].indexOf(which))) return false;
  return (io[which] as { isTTY?: boolean }).isTTY === true;
}

/** What list, describe, help and plot ask of stdout (a terminal? how wide? colours?). */
export type TerminalView = { isTTY?: boolean; columns?: number; hasColors?: () => boolean };

const NOT_A_TERMINAL: TerminalView = { isTTY: false };

/**
 * stdout for questions about the terminal: the stream itself only when it may be one, so that
 * `activ list > file` or `activ --help | less` does not create process.stdout (its stream modules
 * cost ~1.5 ms of start-up) just to learn that it is not.
 */
function terminalView(io: Io): TerminalView {
  return isTerminal(io, 'stdout') ? io.stdout : NOT_A_TERMINAL;
}

interface Ctx {
  io: Io;
  out: Sink;
  /** stdout as terminalView gives it. */
  terminal: () => TerminalView;
}

async function writeOut(ctx: Ctx, text: string): Promise<void> {
  ctx.out.write(text);
  await ctx.out.finish(false);
}

function parseDelimiter(s: string): string {
  const d = s === '\\t' || s.toLowerCase() === 'tab' ? '\t' : s;
  if (d === '' || /["\r\n]/.test(d)) throw new ActivError(`--delimiter '${s}': must be a character other than a quote or a line end`);
  return d;
}

/** `-o -` is stdout; an empty name or a folder that does not exist is named before any work. */
function outputTarget(name: string | undefined): string | undefined {
  if (name === undefined || name === '-') return undefined;
  if (name === '') throw new ActivError("-o '': an empty file name; use -o - (or no -o) for stdout");
  const dir = dirname(name);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new ActivError(`-o ${name}: the folder '${dir}' does not exist`, 'io');
  }
  if (!isDir) throw new ActivError(`-o ${name}: '${dir}' is not a folder`, 'io');
  return name;
}

function parsePrecision(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n < 1 || n > 21) throw new ActivError(`--precision '${s}': expected a whole number of significant digits, 1 to 21`);
  return n;
}

function parseDtype(s: string): Dtype {
  return parseEnum(s, '--dtype', DTYPES);
}

function parseDecimals(s: string): number {
  const n = Number(s);
  if (!/^\d+$/.test(s) || n > MAX_DECIMALS) throw new ActivError(`--decimals '${s}': expected a whole number of digits after the point, 0 to ${MAX_DECIMALS}`);
  return n;
}

/** --precision (significant digits) or --decimals (digits after the point), not both. */
function digits(precision: string | undefined, decimals: string | undefined): Digits | undefined {
  if (precision !== undefined && decimals !== undefined) throw new ActivError('--precision and --decimals: give one of them (significant digits, or digits after the point)');
  if (decimals !== undefined) return { decimals: parseDecimals(decimals) };
  return precision !== undefined ? parsePrecision(precision) : undefined;
}

function parseEnum<T extends string>(s: string, flag: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(s)) throw new ActivError(`${flag} '${s}': expected one of ${values.join(', ')}`);
  return s as T;
}

async function runList(argv: string[], ctx: Ctx): Promise<number> {
  const { Command } = await import('commander');
  const cmd = new Command('list').exitOverride().helpOption(false).configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} });
  cmd.option('--to <format>').option('-h, --help');
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{ to?: string; help?: boolean }>();
  if (o.help) {
    await writeOut(ctx, 'Usage: activ list [--to table|csv|json]\nThe catalogue: name, parameters with defaults, formula. A table on a terminal, CSV when piped.\n');
    return 0;
  }
  const { listText, parseListFormat } = await import('./commands.js');
  const term = ctx.terminal();
  const fmt = parseListFormat(o.to, term.isTTY === true);
  await writeOut(ctx, listText(fmt, term.columns ?? 120));
  return 0;
}

async function runDescribe(argv: string[], ctx: Ctx): Promise<number> {
  const names = argv.filter((a) => !a.startsWith('-'));
  if (names.length !== 1) throw new ActivError('usage: activ describe <activation> (activ list shows them all)');
  const call = parseCallForm(names[0]);
  const { describeText } = await import('./commands.js');
  const text = describeText(call ? call.name : names[0]);
  // on a terminal, the curve too (activ plot's chart, small)
  const term = ctx.terminal();
  if (!term.isTTY) return writeOut(ctx, text).then(() => 0);
  // loaded only here and for `activ plot`: start-up pays for the commands it runs
  const { describeChart, terminalOf } = await import('./plot.js');
  await writeOut(ctx, text + '\n' + describeChart(names[0], terminalOf(term)));
  return 0;
}

async function runActivation(argv: string[], ctx: Ctx): Promise<number> {
  // commander parses only vectors with an option in them (args.ts)
  const { o, activation: activationArg, inputs: inputArgs, flags } = await parseArgs(argv);
  const activation = activationArg === undefined ? undefined : unwrap(activationArg);
  const operands = inputArgs.map(unwrap);

  if (o.version) {
    const { version } = await import('./program.js');
    await writeOut(ctx, `activ ${version()}\n`);
    return 0;
  }
  if (o.help) {
    const { describeText } = await import('./commands.js');
    const { helpText } = await import('./program.js');
    await writeOut(ctx, activation ? describeText(parseCallForm(activation)?.name ?? activation) : helpText(helpWidth(ctx.terminal())));
    return 0;
  }
  if (activation === undefined) {
    const { EXAMPLES, USAGE } = await import('./program.js');
    ctx.io.stderr.write(`activ: no activation named\n\nUsage: ${USAGE}\n\n${EXAMPLES}\n\nRun 'activ --help' for all options, 'activ list' for the catalogue.\n`);
    return 2;
  }

  const call = parseCallForm(activation);
  const spec = lookup(call ? call.name : activation);
  const params = givenParams(o, flags, call);
  const str = (k: string): string | undefined => (typeof o[k] === 'string' ? unwrap(o[k] as string) : undefined);
  // --grad (issue 13): the derivative's kernel in place of the activation's; axis-wise needs --cotangent
  const grad = gradPlan(spec, params, o.grad === true, str('cotangent'));
  const dtype = parseDtype(str('dtype') ?? 'float64');
  // --dtype: inputs rounded to the dtype, the result rounded once (the byte lane steps aside)
  const kernel = kernelInDtype(grad && 'derivative' in grad ? grad.derivative : spec.bind(params), dtype);

  const from = str('from') !== undefined ? parseFormat(str('from')!, '--from') : undefined;
  const to: Format | undefined = str('to') !== undefined ? parseFormat(str('to')!, '--to') : undefined;
  const onInvalid = parseEnum<OnInvalid>(str('onInvalid') ?? 'fail', '--on-invalid', ['fail', 'skip', 'keep', 'null']);
  const nonfinite = parseEnum(str('jsonNonfinite') ?? 'null', '--json-nonfinite', ['null', 'string'] as const);
  const precision = digits(str('precision'), str('decimals'));
  const headerOut = parseEnum(str('headerOut') ?? 'auto', '--header-out', ['auto', 'never'] as const);
  const delimiter = str('delimiter') !== undefined ? parseDelimiter(str('delimiter')!) : undefined;
  const columns = str('columns') !== undefined ? parseColumns(str('columns')!) : undefined;
  const header = typeof o.header === 'boolean' ? o.header : undefined;
  const na = str('na') !== undefined ? new Set(str('na')!.split(',')) : undefined;

  // seam (shell, #14): the progress line (started below, once the output is known) is cleared before a note
  let progress: { clear(): void; stop(): void } | undefined;

  // Inputs: numbers on the command line form one row; otherwise files, '-' for stdin.
  let inputs: Input[];
  const isNum = operands.map((a) => parseNumber(a) !== undefined);
  if (operands.length > 0 && isNum.every(Boolean)) {
    inputs = [textInput(operands.join(' '))];
  } else {
    const k = isNum.indexOf(true);
    if (k >= 0) {
      const file = operands.find((_, i) => !isNum[i]);
      throw new ActivError(`'${operands[k]}' is a number but '${file}' is not: give either numbers (one row) or files`);
    }
    if (operands.length === 0) {
      if (isTerminal(ctx.io, 'stdin')) {
        ctx.io.stderr.write(
          `activ: no input: name files, pipe data in, or give numbers, e.g.\n  activ ${spec.name} data.csv\n  cat data.csv | activ ${spec.name}\n  activ ${spec.name} -- -1 0 1\n`,
        );
        return 2;
      }
      operands.push('-');
    }
    if (operands.filter((a) => a === '-').length > 1) throw new ActivError("'-' (stdin) can be named only once");
    // PROCESS_IO's stdin is read from fd 0 (stdin-fd.ts: process.stdin is created only when needed)
    inputs = operands.map((a) => (a === '-' ? stdinInput(ctx.io === PROCESS_IO ? undefined : ctx.io.stdin) : fileInput(a)));
    // seam (shell, #14): gzip in, zstd/xz/bzip2 refused; loaded here so numbers on the command line skip it
    const { decompressed } = await import('../io/compression.js');
    inputs = await Promise.all(inputs.map(decompressed));
  }
  const target = outputTarget(str('output'));
  if (target === undefined && ctx.io === PROCESS_IO) {
    const same = inputThatIsStdout(operands.filter((_, i) => !isNum[i]));
    if (same !== undefined) {
      const name = same === '-' ? '<stdin>' : same;
      throw new ActivError(`${name}: input file is also standard output, so activ would read back what it writes; write to another file, or replace it with -o ${same === '-' ? 'FILE' : same}`, 'io');
    }
  }
  const plain = target !== undefined ? new FileOutput(target) : undefined;
  const file = plain && /\.gz$/i.test(target!) ? await (await import('../io/compression.js')).gzipOutput(plain) : plain; // seam (shell, #14): -o NAME.gz
  // The kernel is bound above, before any input is opened; -o x.npy / x.npz implies --to (npy seam).
  const plan = makePlan({
    spec,
    params,
    kernel,
    grad: grad !== undefined,
    from,
    to: to ?? outputFormatFromPath(target, from === 'npy' || from === 'npz' || inputs.every((i) => i.ext === 'npy' || i.ext === 'npz')),
    header,
    delimiter,
    columns,
    onInvalid,
    na,
    precision,
    headerOut,
    dtype: dtype === 'float64' ? undefined : dtype,
    nonfinite,
    note: (m) => {
      progress?.clear();
      if (!o.quiet) ctx.io.stderr.write(`activ: ${escapeControls(m)}\n`);
    },
  });
  const sink = file ? file.sink : ctx.out;
  // seam (shell, #14): the progress line, loaded only when it may be shown
  const showProgress = typeof o.progress === 'boolean' ? o.progress : !o.quiet && isTerminal(ctx.io, 'stderr') && (!isTerminal(ctx.io, 'stdout') || file !== undefined);
  if (showProgress && inputs[0].text === undefined) progress = (await import('./progress.js')).startProgress(ctx.io.stderr);
  try {
    await (grad && 'vjp' in grad ? runVjp(grad, inputs, plan, sink) : runPipeline(inputs, plan, sink));
    if (file) await file.commit();
    else await sink.finish(false);
  } catch (e) {
    if (file) await file.abort();
    // stdout keeps every row finished before the error, whichever lane wrote it
    else if (!(e instanceof PipeClosed)) await sink.finish(false).catch(() => undefined);
    throw e;
  } finally {
    progress?.stop(); // before main() writes any error
  }
  return 0;
}

/** "unknown option '--alpah'" with the nearest options and parameter flags. */
async function unknownOptionMessage(msg: string): Promise<string> {
  const { nearestFlags } = await import('./suggest.js');
  const { optionDocs } = await import('./program.js');
  const typed = /'([^']*)'/.exec(msg)?.[1];
  if (!typed) return msg;
  const known = [...optionDocs().flatMap((o) => o.names), ...paramFlags().map((f) => f.flag)].filter((n) => n.startsWith('--'));
  const near = nearestFlags(typed, known);
  return `unknown option '${typed}'${near.length ? `; did you mean ${near.join(', ')}?` : ''}`;
}

/** Run the command line (without node and script); resolves to the exit code. */
export async function main(argv: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const ctx: Ctx = { io, out: new Sink(io === PROCESS_IO || io.stdout === process.stdout ? stdoutStream() : io.stdout, 'stdout'), terminal: () => terminalView(io) };
  const args = [...argv];
  try {
    if (args[0] === 'list') return await runList(args.slice(1), ctx);
    if (args[0] === 'describe') return await runDescribe(args.slice(1), ctx);
    // check reads the process's stdin from fd 0 (stdin-fd.ts), as main() does: io.stdin's getter would create process.stdin
    const checkIo = { out: ctx.out, stdin: io === PROCESS_IO ? undefined : io.stdin };
    if (args[0] === 'check') return await (await import('./check.js')).runCheck(args.slice(1), checkIo);
    if (args[0] === 'help' && args[1] === 'check') return await (await import('./check.js')).runCheck(['--help'], checkIo);
    if (args[0] === 'completion') {
      const { completionScript } = await import('./completion.js');
      await writeOut(ctx, completionScript(args[1]));
      return 0;
    }
    if (args[0] === 'plot') return await (await import('./plot.js')).runPlot(args.slice(1), ctx); // activ plot (src/cli/plot.ts)
    if (args[0] === 'help') {
      return await runActivation(args.length > 1 ? [args[1], '--help'] : ['--help'], ctx);
    }
    return await runActivation(args, ctx);
  } catch (e) {
    if (e instanceof PipeClosed) return 0;
    if (e instanceof ActivError) {
      io.stderr.write(`activ: ${escapeControls(e.message)}\n`); // a file name may hold a newline: still one line
      return exitCodeFor(e.kind);
    }
    // a CommanderError comes only from commander, loaded by then (args.ts)
    if (e instanceof (await import('commander')).CommanderError) {
      let msg = e.message.replace(/^error: /, '').replace(/\n/g, ' ');
      if (e.code === 'commander.unknownOption') msg = await unknownOptionMessage(msg);
      io.stderr.write(`activ: ${escapeControls(msg)}\nRun 'activ --help' for usage.\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    io.stderr.write(`activ: internal error: ${escapeControls(msg.split('\n')[0])}\n`);
    return 1;
  }
}
