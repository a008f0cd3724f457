/**
 * A .npy array in (a file, or a stream spilled when an axis needs random access) through the
 * step, out as .npy, a table or nested JSON; and `transform`, the one way any array (a .npy
 * input, a .npz member) is checked, opened for writing and run. Owns the output's dtype, the
 * refusals of a binary output (a terminal, a second array), and when worker threads take a file.
 */
import { ActivError } from '../errors.js';
import type { Dtype } from '../numbers/dtype.js';
import { passArray, planWalk } from './array-pass.js';
import type { ArrayJob, ArrayOut, ArrayPlan, ArrayValues, Ranges } from './arrays.js';
import { createOutput } from './formats.js';
import { ElementDecoder, FLOAT64, type NpyDtype } from './npy-dtype.js';
import { checkTextRank, NpyOut, textArrayOut, type ByteSink } from './npy-out.js';
import { parallelWorthIt, runParallel } from './npy-parallel.js';
import { openNpy, type NpySource } from './npy-source.js';
import type { Sink } from './streams.js';
import type { Format } from './table.js';

/** Sinks that have received one .npy array: a second would make the output unreadable. */
const holding = new WeakSet<object>();

/** A binary output goes to a file or a pipe, once per sink. */
export function binaryTarget(sink: Sink, to: 'npy' | 'npz', where: string): void {
  if ((sink.stream as { isTTY?: boolean }).isTTY) {
    throw new ActivError(`binary .${to} data not written to a terminal: use -o FILE.${to}, redirect stdout, or --to csv to see the numbers`);
  }
  if (holding.has(sink)) {
    throw new ActivError(`${where}: a .${to} output holds one ${to === 'npy' ? 'array' : 'archive'}: give one input, or one -o per run`);
  }
  holding.add(sink);
}

/**
 * The dtype written: --dtype when given (bfloat16, which .npy has no descr for, as float32 holding
 * bfloat16 values exactly); else a float input keeps its dtype and byte order; integers and bool
 * give float64.
 */
export function outputDtype(input: NpyDtype, dtype?: Dtype): NpyDtype {
  if (dtype) return { kind: 'f', size: dtype === 'float16' ? 2 : dtype === 'float64' ? 8 : 4, little: true };
  return input.kind === 'f' ? input : FLOAT64;
}

/** Where one array's results go. */
export interface OutPlan {
  readonly to: Format;
  readonly sink: Sink;
  readonly plan: ArrayPlan;
  /** The input file, when worker threads may read it (runs cut anywhere over a big file). */
  readonly path?: string;
  /** After a JSON array (default '\n'; '' inside an object of arrays). */
  readonly eol?: string;
  /** .npy bytes go here instead of the sink (a .npz member). */
  readonly bytes?: ByteSink;
}

/** The writer for one array: .npy bytes, table rows or nested JSON. */
async function arrayOut(o: OutPlan, array: { shape: readonly number[]; fortran: boolean; dtype: NpyDtype }): Promise<ArrayOut> {
  const { to, sink, plan } = o;
  if (to === 'npy' || to === 'npz') return new NpyOut(o.bytes ?? sink, outputDtype(array.dtype, plan.write.dtype), array);
  // The input format is 'npy': never the same CSV dialect, so the delimiter is the output's own.
  const out = await createOutput(sink, { ...plan, write: { ...plan.write, to } }, { format: 'npy' });
  return textArrayOut({ to, sink, w: out.options, table: to === 'json' ? undefined : out.writer, eol: o.eol }, array);
}

/** How worker threads bind the kernel: from the activation's parameters; a derivative stays on one thread. */
function workerParams(plan: ArrayPlan): Readonly<Record<string, unknown>> | undefined {
  const r = plan.kernel.recipe;
  return r && !r.grad ? r.params : undefined;
}

/** An array's values decoded to float64: in order, or at an element's place when the source can. */
export function decoded(source: NpySource): ArrayValues {
  const h = source.header;
  const decoder = new ElementDecoder(h.dtype);
  const size = h.dtype.size;
  const at = source.at;
  return {
    where: source.where,
    shape: h.shape,
    fortran: h.fortran,
    count: h.count,
    next: async (dst) => decoder.decode(await source.next(dst.length * size), dst),
    at: at && (async (from, dst) => decoder.decode(await at(from * size, dst.length * size), dst)),
  };
}

/** The values, and over a big file worker threads for runs cut anywhere. */
function valuesOf(source: NpySource, o: OutPlan): ArrayValues {
  const values = decoded(source);
  const h = source.header;
  const params = workerParams(o.plan);
  if (!o.path || !params || !source.at || !parallelWorthIt(h.dataBytes)) return values;
  const job = { path: o.path, params, activation: o.plan.kernel.name, dtype: o.plan.write.dtype, dataOffset: h.dataOffset, element: h.dtype };
  const inRanges = (r: Ranges): Promise<void> => runParallel({ job, count: h.count, step: r.length, out: r.out, where: source.where, local: r.local });
  return { ...values, inRanges };
}

/** One opened array into its output: checks, a spill for stdin when needed, then the pass. */
export async function transform(source: NpySource & { spill?: () => Promise<NpySource> }, o: OutPlan): Promise<void> {
  const h = source.header;
  const pass = { step: o.plan.step, name: o.plan.kernel.name };
  const walk = planWalk(pass, h);
  checkTextRank(o.to, walk.outShape.length, source.where);
  let src: NpySource = source;
  if (walk.random && !source.at) src = await source.spill!();
  try {
    const out = await arrayOut(o, { shape: walk.outShape, fortran: h.fortran, dtype: h.dtype });
    await passArray(pass, walk, { values: valuesOf(src, o), out });
  } finally {
    if (src !== source) await src.close();
  }
}

/** A .npy input, written as --to says (default: .npy). */
export async function runNpy(job: ArrayJob): Promise<void> {
  const { input, plan, sink } = job;
  if (plan.read.columns) throw new ActivError(`--columns: ${input.display} is a .npy file, one array; -c chooses arrays in .npz files`);
  const to = plan.write.to ?? 'npy';
  if (to === 'npz') throw new ActivError(`${input.display}: --to npz takes .npz or JSON objects; write a .npy array with --to npy`);
  if (to === 'npy') binaryTarget(sink, to, input.display);
  const source = await openNpy(input);
  try {
    const path = input.rereadable && input.text === undefined ? input.path : undefined;
    await transform(source, { to, sink, plan, path });
  } finally {
    await source.close();
  }
}
