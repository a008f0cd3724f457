/**
 * `activ plot NAME[,NAME...]`: curves of element-wise activations (or, with --grad, their
 * derivatives) as a braille chart on the terminal, an SVG, or the sampled points as CSV/JSON.
 * Turns the flags into a plan once; the drawing is src/plot/'s, the values the kernels'.
 */
import { Command } from 'commander';
import { ActivError } from '../errors.js';
import { FileOutput, type Sink } from '../io/streams.js';
import { bindParams } from '../kernels/params.js';
import { lookup } from '../kernels/registry.js';
import type { ElementwiseKernel } from '../kernels/spec.js';
import { parseNumber } from '../numbers/parse.js';
import { brailleChart } from '../plot/braille.js';
import { kinksOf } from '../plot/kinks.js';
import { pointsCsv, pointsJson } from '../plot/points.js';
import { sampleCurves, type CurveSource } from '../plot/sample.js';
import type { Range } from '../plot/scale.js';
import { svgChart } from '../plot/svg.js';
import type { TerminalView } from './main.js';
import { paramFlags, parseCallForm, splitArgs } from './options.js';

export const PLOT_HELP = `Usage: activ plot <activation>[,<activation>...] [options]

Draws element-wise activations: a braille chart on the terminal (and when piped, without
colour), an SVG with -o FILE.svg, or the sampled points with --to csv|json. Values come from the
same kernels as 'activ NAME', sampled on an even grid plus every corner and jump of the curve
(relu6 at 0 and 6, hard_sigmoid at -2.5 and 2.5, ...), so the picture is the truth.

Examples:
  activ plot gelu
  activ plot 'relu(max_value=6)',silu,mish --range -6:6
  activ plot sigmoid --grad                 the derivative
  activ plot gelu,silu -o curves.svg        a standalone SVG
  activ plot hard_sigmoid --to csv          the points: x,hard_sigmoid

Options:
  --range <lo:hi>       x range (default: -5:5, wider when a corner lies beyond)
  --y-range <lo:hi>     y range (default: the values' extent, with a little room)
  --grad                plot dy/dx instead of y (at a kink, the value TensorFlow's gradient gives)
  -o, --output <file>   write to FILE (.svg, .csv, .json, .txt; replaced only on success)
  --to <format>         text (braille), svg, csv or json (default: text, or from -o's extension)
  --samples <n>         points of the even grid (default: 4 per dot column, 1201 for SVG, 201 for csv/json)
  --width <n>           chart width: characters (default: the terminal's, else 80) or SVG pixels (720)
  --height <n>          chart height: lines (default: about a quarter of the width) or SVG pixels (450)

Parameters go in the Keras call form: 'relu(alpha=0.1, max_value=6)'. Axis-wise activations
(softmax, log_softmax, softmin, glu, sparsemax) have no curve y = f(x) and are refused.
Colour only on a colour terminal with NO_COLOR unset.
`;

type PlotFormat = 'text' | 'svg' | 'csv' | 'json';

interface PlotCtx {
  out: Sink;
  /** stdout, for its width and colours (main.ts terminalView). */
  terminal: () => TerminalView;
}

/** One curve per item of the comma-separated lists: 'relu(max_value=6)',silu -> two curves. */
export function curveSources(items: readonly string[], grad: boolean): CurveSource[] {
  const texts = items.flatMap((a) => splitArgs(a)).map((s) => s.trim());
  if (texts.length === 0 || texts.some((t) => t === '')) throw new ActivError('activ plot: name one or more activations, e.g. activ plot gelu,silu');
  return texts.map((text) => curveSource(text, grad));
}

function curveSource(text: string, grad: boolean): CurveSource {
  const call = parseCallForm(text);
  const spec = lookup(call ? call.name : text);
  if (spec.family === 'axiswise') {
    throw new ActivError(`activ plot: ${spec.name} is axis-wise (each output depends on the whole vector), so it has no curve y = f(x) to draw`);
  }
  const given = call?.params ?? {};
  // element-wise specs bind element-wise kernels, values and derivatives alike
  const kernel = (grad ? spec.bindGrad(given) : spec.bind(given)) as ElementwiseKernel;
  if (kernel.width !== undefined) throw new ActivError(`activ plot: ${text}: one ${spec.name} parameter per column has no single curve; give one value`);
  // the derivative jumps where the activation has its corners, so the same kinks serve both
  return { label: grad ? `d/dx ${text}` : text, kernel, kinks: kinksOf(spec.name, bindParams(spec.name, spec.params, given)) };
}

export function parseRange(s: string, flag: string): Range {
  const m = /^\s*([^:]+):([^:]+)\s*$/.exec(s);
  const lo = m ? parseNumber(m[1].trim()) : undefined;
  const hi = m ? parseNumber(m[2].trim()) : undefined;
  if (lo === undefined || hi === undefined || !Number.isFinite(hi - lo) || !(lo < hi)) {
    throw new ActivError(`${flag} '${s}': expected lo:hi with finite numbers, lo < hi (e.g. ${flag} -6:6)`);
  }
  return { lo, hi };
}

/** -5:5, or wider and symmetric so every corner lies inside with room to spare. */
export function defaultRange(sources: readonly CurveSource[]): Range {
  const far = Math.max(0, ...sources.flatMap((s) => s.kinks.map(Math.abs)));
  const r = Math.max(5, Math.ceil(far) + 1);
  return { lo: -r, hi: r };
}

function parseCount(s: string, flag: string, min: number): number {
  const n = Number(s);
  if (!/^\d+$/.test(s.trim()) || n < min || n > 1_000_000) throw new ActivError(`${flag} '${s}': expected a whole number from ${min} to 1000000`);
  return n;
}

function formatOf(to: string | undefined, output: string | undefined): PlotFormat {
  if (to !== undefined) {
    const f = to === 'braille' ? 'text' : to;
    if (f === 'text' || f === 'svg' || f === 'csv' || f === 'json') return f;
    throw new ActivError(`--to '${to}': activ plot writes text, svg, csv or json`);
  }
  if (output === undefined) return 'text';
  const ext = /\.([A-Za-z]+)$/.exec(output)?.[1].toLowerCase();
  if (ext === 'svg' || ext === 'csv' || ext === 'json') return ext;
  if (ext === 'txt') return 'text';
  throw new ActivError(`-o '${output}': name a .svg, .csv, .json or .txt file, or say --to svg|csv|json|text`);
}

interface Terminal {
  readonly columns: number;
  readonly colour: boolean;
}

/** Width and colour from stdout: a colour terminal with NO_COLOR unset or empty gets colour. */
export function terminalOf(stdout: TerminalView, env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = stdout.isTTY === true;
  const hasColors = stdout.hasColors;
  const colour = tty && !env.NO_COLOR && (typeof hasColors === 'function' ? hasColors.call(stdout) : true);
  return { columns: tty && stdout.columns ? stdout.columns : 80, colour };
}

/** The chart `activ describe NAME` shows on a terminal; '' for an activation without a curve. */
export function describeChart(name: string, term: Terminal): string {
  let sources: CurveSource[];
  try {
    sources = curveSources([name], false);
  } catch {
    return '';
  }
  const x = defaultRange(sources);
  const columns = Math.min(term.columns, 64);
  return brailleChart({ samples: sampleCurves(sources, { lo: x.lo, hi: x.hi, count: columns * 8 }), x, columns, rows: 12, colour: term.colour });
}

/** `activ plot relu --max-value 6`: parameters belong to one curve, so they go in its call form. */
function refuseParamFlags(argv: readonly string[]): void {
  const flags = new Set(paramFlags().map((f) => f.flag));
  for (const a of argv) {
    if (a === '--') return;
    const flag = a.split('=')[0].replace(/_/g, '-');
    if (flags.has(flag)) {
      const key = flag.slice(2).replace(/-/g, '_');
      throw new ActivError(`activ plot: ${a}: give parameters in each curve's call form, e.g. activ plot 'relu(${key}=...)'`);
    }
  }
}

export async function runPlot(argv: string[], ctx: PlotCtx): Promise<number> {
  refuseParamFlags(argv);
  const cmd = new Command('plot')
    .exitOverride()
    .helpOption(false)
    .configureOutput({ writeOut: () => {}, writeErr: () => {}, outputError: () => {} })
    .argument('[activations...]')
    .option('--range <lo:hi>')
    .option('--y-range <lo:hi>')
    .option('--grad')
    .option('-o, --output <file>')
    .option('--to <format>')
    .option('--samples <n>')
    .option('--width <n>')
    .option('--height <n>')
    .option('-h, --help');
  cmd.parse(argv, { from: 'user' });
  const o = cmd.opts<{ range?: string; yRange?: string; grad?: boolean; output?: string; to?: string; samples?: string; width?: string; height?: string; help?: boolean }>();
  if (o.help) {
    ctx.out.write(PLOT_HELP);
    await ctx.out.finish(false);
    return 0;
  }
  const sources = curveSources(cmd.processedArgs[0] as string[], o.grad === true);
  const format = formatOf(o.to, o.output);
  const x = o.range !== undefined ? parseRange(o.range, '--range') : defaultRange(sources);
  const y = o.yRange !== undefined ? parseRange(o.yRange, '--y-range') : undefined;
  const term = o.output === undefined ? terminalOf(ctx.terminal()) : { columns: 80, colour: false };
  const width = o.width !== undefined ? parseCount(o.width, '--width', 20) : undefined;
  const height = o.height !== undefined ? parseCount(o.height, '--height', 6) : undefined;
  const columns = width ?? term.columns;
  const rows = height ?? Math.max(10, Math.min(24, Math.round(columns / 4)));
  const defaultCount = format === 'text' ? columns * 8 : format === 'svg' ? 1201 : 201;
  const count = o.samples !== undefined ? parseCount(o.samples, '--samples', 2) : defaultCount;
  const samples = sampleCurves(sources, { lo: x.lo, hi: x.hi, count });

  let text: string;
  if (format === 'csv') text = pointsCsv(samples);
  else if (format === 'json') text = pointsJson(samples);
  else if (format === 'svg') text = svgChart({ samples, x, y, width, height, yTitle: o.grad ? 'dy/dx' : 'y', title: `activ plot ${samples.curves.map((c) => c.label).join(', ')}${o.grad ? ' --grad' : ''}` });
  else text = brailleChart({ samples, x, y, columns, rows, colour: term.colour });

  if (o.output === undefined) {
    ctx.out.write(text);
    await ctx.out.finish(false);
    return 0;
  }
  const file = new FileOutput(o.output);
  try {
    file.sink.write(text);
    await file.commit();
  } catch (e) {
    await file.abort();
    throw e;
  }
  return 0;
}
