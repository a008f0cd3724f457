/**
 * NumPy files through the pipeline: a .npy array in (file or stream) to .npy, a table or JSON out;
 * a .npz archive (np.savez, np.savez_compressed) array by array, names kept, chosen with -c like
 * JSON keys; and a JSON tensor (or an object of tensors) out as .npy (.npz).
 *
 * Depends on the rest of the pipeline only through NpyOptions (what it needs of the run's options,
 * and two services: text writers and JSON tensor evaluation); npy-options.ts builds them from the
 * run's Plan. Hooked into src/pipeline/index.ts's loop by two lines: npy/npz inputs go to
 * runNpy, other inputs with --to npy/npz to runToArray.
 */
import { unzipSync, zipSync, type Zippable } from 'fflate';
import { ActivError } from '../errors.js';
import type { Format } from '../io/table.js';
import type { TableWriter, WriteOptions } from '../io/table.js';
import type { Selection } from '../io/select.js';
import { isNumericTensor, parseJsonDocument, readJsonText } from '../io/json.js';
import { isRecord } from '../io/ndjson.js';
import { FLOAT64, type NpyDtype } from '../io/npy-dtype.js';
import { checkTextRank, NpyOut, textArrayOut, type ArrayOut, type ArrayShape, type ByteSink } from '../io/npy-out.js';
import { memorySource, openNpy, type NpySource } from '../io/npy-source.js';
import type { Input, Sink } from '../io/streams.js';
import type { Kernel } from '../kernels/spec.js';
import type { Dtype } from '../numbers/dtype.js';
import type { Tensor } from '../tensor.js';
import { axisGeometry, runArray } from './npy-array.js';

/** What a NumPy run needs of the pipeline's options. */
export interface NpyOptions {
  /** The activation's name (for messages, and for worker threads to look it up). */
  readonly name: string;
  readonly kernel: Kernel;
  /** The parameters as given, so worker threads bind the same kernel; none: one thread. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly to?: Format;
  /** -c: arrays of a .npz (or keys of a JSON object written as .npz). */
  readonly columns?: Selection;
  /** --dtype narrower than float64 (the kernel is already wrapped in it). */
  readonly dtype?: Dtype;
  /** The write options and, for CSV/TSV/text/NDJSON, the table writer of a text output. */
  textWriter(to: Format, sink: Sink): Promise<{ w: WriteOptions; table?: TableWriter }>;
  /** A JSON value as a tensor through the kernel (a data error when it is not numbers). */
  tensor(doc: unknown, where: string): Tensor;
}

/** Sinks that have received one .npy array: a second would make the output unreadable. */
const holding = new WeakSet<object>();

function binaryTarget(sink: Sink, to: 'npy' | 'npz', where: string): void {
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

interface OutPlan {
  readonly to: Format;
  readonly sink: Sink;
  readonly opt: NpyOptions;
  /** The input file, when worker threads may read it (element-wise over a big file). */
  readonly path?: string;
  /** After a JSON array (default '\n'; '' inside an object of arrays). */
  readonly eol?: string;
}

/** The writer for one array: .npy bytes, table rows or nested JSON. */
async function arrayOut(plan: OutPlan, array: ArrayShape & { dtype: NpyDtype }, bytes?: ByteSink): Promise<ArrayOut> {
  const { to, sink, opt } = plan;
  if (to === 'npy' || to === 'npz') return new NpyOut(bytes ?? sink, outputDtype(array.dtype, opt.dtype), array);
  const { w, table } = await opt.textWriter(to, sink);
  return textArrayOut({ to, sink, w, table, eol: plan.eol }, array);
}

/** Transform one opened array into `out`: checks, a spill for stdin when needed, then the run. */
async function transform(source: NpySource & { spill?: () => Promise<NpySource> }, plan: OutPlan, bytes?: ByteSink): Promise<void> {
  const { opt } = plan;
  const h = source.header;
  const geometry = opt.kernel.kind === 'axiswise' ? axisGeometry({ kernel: opt.kernel, shape: h.shape, fortran: h.fortran, name: opt.name }) : undefined;
  const outShape = geometry ? geometry.outShape : h.shape;
  checkTextRank(plan.to, outShape.length, source.where);
  let src: NpySource = source;
  if (geometry?.random && !source.at) src = await source.spill!();
  try {
    const out = await arrayOut(plan, { shape: outShape, fortran: h.fortran, dtype: h.dtype }, bytes);
    const parallel = plan.path && opt.params ? { path: plan.path, activation: opt.name, params: opt.params, dtype: opt.dtype } : undefined;
    await runArray({ source: src, kernel: opt.kernel, out, name: opt.name, parallel }, geometry);
  } finally {
    if (src !== source) await src.close();
  }
}

/** One input of the pipeline's loop. */
export interface NpyJob {
  readonly input: Input;
  readonly format: Format;
  readonly opt: NpyOptions;
  readonly sink: Sink;
}

/** A .npy or .npz input, written as --to says (default: the input's own format). */
export async function runNpy(job: NpyJob): Promise<void> {
  const { input, format, opt, sink } = job;
  if (format === 'npz') return runNpz(job);
  if (opt.columns) throw new ActivError(`--columns: ${input.display} is a .npy file, one array; -c chooses arrays in .npz files`);
  const to = opt.to ?? 'npy';
  if (to === 'npz') throw new ActivError(`${input.display}: --to npz takes .npz or JSON objects; write a .npy array with --to npy`);
  if (to === 'npy') binaryTarget(sink, to, input.display);
  const source = await openNpy(input);
  try {
    const path = input.rereadable && input.text === undefined ? input.path : undefined;
    await transform(source, { to, sink, opt, path });
  } finally {
    await source.close();
  }
}

async function readAll(input: Input): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  for await (const c of input.chunks()) parts.push(c);
  return Buffer.concat(parts);
}

/** Collects bytes in memory (one .npz entry). */
class MemorySink implements ByteSink {
  private parts: Uint8Array[] = [];
  async writeBytes(b: Uint8Array): Promise<void> {
    this.parts.push(b.slice());
  }
  bytes(): Uint8Array {
    return Buffer.concat(this.parts);
  }
}

/** The entries of a .npz archive, each array held in memory (zip entries are not random access). */
function unzipArchive(bytes: Uint8Array, where: string): { entries: Record<string, Uint8Array>; compressed: boolean } {
  if (!(bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4)) {
    throw new ActivError(`${where}: not a .npz file (not a zip archive)`, 'data');
  }
  try {
    // Local header method field: 8 = deflate (np.savez_compressed), 0 = stored (np.savez).
    return { entries: unzipSync(bytes), compressed: bytes[8] === 8 };
  } catch (e) {
    throw new ActivError(`${where}: broken .npz archive: ${(e as Error).message}`, 'data');
  }
}

async function runNpz(job: NpyJob): Promise<void> {
  const { input, opt, sink } = job;
  const where = input.display;
  const to = opt.to ?? 'npz';
  if (to === 'npz' || to === 'npy') binaryTarget(sink, to, where);
  const { entries, compressed } = unzipArchive(await readAll(input), where);
  const files = Object.keys(entries);
  const arrays = files.filter((f) => f.endsWith('.npy'));
  const names = arrays.map((f) => f.slice(0, -4));
  const chosen = new Set((opt.columns ? opt.columns.indices(names.length, names) : names.map((_, i) => i)).map((i) => arrays[i]));
  const plan = { to, sink, opt };
  const open = (f: string): NpySource => memorySource(entries[f], `${where}: '${f.slice(0, -4)}'`);
  if (to === 'npz') {
    const out: Zippable = {};
    for (const f of files) {
      if (!chosen.has(f)) {
        out[f] = entries[f];
        continue;
      }
      const mem = new MemorySink();
      await transform(open(f), plan, mem);
      out[f] = mem.bytes();
    }
    await sink.writeBytes(zipSync(out, { level: compressed ? 6 : 0 }));
    return;
  }
  const picked = arrays.filter((f) => chosen.has(f));
  if (to === 'json') {
    // An object of nested arrays, one per chosen array, as a JSON object of tensors is written.
    sink.write('{');
    for (const [i, f] of picked.entries()) {
      sink.write(`${i ? ',' : ''}${JSON.stringify(f.slice(0, -4))}:`);
      await transform(open(f), { ...plan, eol: '' });
    }
    sink.write('}\n');
    return;
  }
  if (picked.length !== 1) {
    throw new ActivError(`${where}: holds ${picked.length} arrays (${names.join(', ')}): choose one with -c NAME to write ${to}, or write npz or json`);
  }
  await transform(open(picked[0]), plan);
}

/** A JSON tensor (or, for .npz, an object of tensors) written as .npy / .npz, in float64. */
export async function runToArray(job: NpyJob): Promise<void> {
  const { input, format, opt, sink } = job;
  const to = opt.to as 'npy' | 'npz';
  const where = input.display;
  if (format !== 'json') {
    throw new ActivError(`${where}: --to ${to} takes .npy, .npz or JSON input (nested arrays); a ${format} table cannot be written as ${to} yet`);
  }
  binaryTarget(sink, to, where);
  const doc = parseJsonDocument(where, await readJsonText(input));
  const toBytes = async (v: unknown, at: string, bytes: ByteSink): Promise<void> => {
    const result = opt.tensor(v, at);
    const out = new NpyOut(bytes, outputDtype(FLOAT64, opt.dtype), { shape: result.shape, fortran: false });
    await out.write(result.data, result.data.length);
    await out.end();
  };
  if (to === 'npy') return toBytes(doc, where, sink);
  if (!isRecord(doc)) throw new ActivError(`${where}: --to npz takes a JSON object of tensors ({"name": [[...]], ...})`);
  const keys = Object.keys(doc);
  const chosen = opt.columns ? opt.columns.indices(keys.length, keys).map((i) => keys[i]) : keys.filter((k) => isNumericTensor(doc[k]));
  const out: Zippable = {};
  for (const k of chosen) {
    const mem = new MemorySink();
    await toBytes(doc[k], `${where}: '${k}'`, mem);
    out[`${k}.npy`] = mem.bytes();
  }
  await sink.writeBytes(zipSync(out, { level: 0 }));
}
