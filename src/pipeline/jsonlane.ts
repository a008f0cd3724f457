/**
 * JSON input through the JSON lane (src/io/jsonlane/): numeric tensors stream from bytes to
 * bytes; every other document is parsed whole and goes through runJsonValue, in its place. The
 * lane's refusals are worded here, by the same functions the general reader uses.
 */
import { ActivError } from '../errors.js';
import { notATensor, raggedMessage } from '../io/json.js';
import { rememberTexts } from '../io/jsonlane/texts.js';
import type { TensorProblem } from '../io/jsonlane/documents.js';
import { fileChunks } from '../io/jsonlane/fileread.js';
import { runJsonLane, runNdjsonLane } from '../io/jsonlane/run.js';
import { JsonSyntaxError } from '../io/jsonlane/scan.js';
import { readNdjson } from '../io/ndjson.js';
import type { Row } from '../io/block.js';
import { spill, type Input, type Sink } from '../io/streams.js';
import { runJsonAxis0 } from '../io/jsonlane/columns.js';
import { laneAccepts } from '../fastlane/table.js';
import { writeOptions, type PipelineOptions, type Stats } from './common.js';
import { invalidTensorValue, runJsonValue } from './document.js';
import { runRows } from './rows.js';

export async function runJsonStream(input: Input, opt: PipelineOptions, sink: Sink, stats: Stats): Promise<void> {
  const to = opt.to ?? 'json';
  const display = input.display;
  const w = writeOptions(opt, stats, 'json', to);
  const plan = {
    kernel: opt.kernel,
    onInvalid: opt.onInvalid,
    generalOnly: opt.lane === 'general' || (to !== 'json' && to !== 'ndjson'),
    precision: opt.precision,
    nonfinite: opt.nonfinite,
    onNonfinite: w.onNonfinite,
  };
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const k = opt.kernel;
    if (k.kind === 'axiswise' && (k.axis === 0 || k.axis < -1) && !plan.generalOnly && input.text === undefined) {
      // Down axis 0: passes over a file (stdin spilled to one first), or the general way.
      if (!input.rereadable) ({ input, cleanup } = await spill(input));
      if (await runJsonAxis0(input.path, plan, (b) => sink.writeBytes(b))) return;
    }
    const file = input.rereadable && input.text === undefined ? fileChunks(input.path) : undefined;
    const given = input;
    const docs = await runJsonLane(file ?? input.chunks(), plan, {
      writeBytes: (b) => sink.writeBytes(b),
      general: (v, texts) => {
        rememberTexts(v, texts);
        return runJsonValue(v, given, opt, sink, stats);
      },
      error: (p) => jsonLaneError(display, p, opt),
    });
    if (docs === 0) throw new ActivError(`${display}: empty input, expected a JSON document`, 'data');
  } finally {
    await cleanup?.();
  }
}

export function jsonLaneError(display: string, p: TensorProblem | JsonSyntaxError, opt: PipelineOptions): ActivError {
  if (p instanceof JsonSyntaxError) return new ActivError(`${display}:${p.line}:${p.col}: invalid JSON: ${p.message}`, 'data');
  if (p.kind === 'ragged') return new ActivError(raggedMessage(`${display}: `, p.path, p.expected, p.depth), 'data');
  if (p.kind === 'shape') return new ActivError(notATensor(display), 'data');
  return invalidTensorValue(display, p, opt) ?? new ActivError(`${display} ${p.path}: not a number`, 'data');
}

/**
 * NDJSON in and out without -c: numeric lines through the NDJSON lane; from the first line it
 * does not take, the general reader, told the widths already seen by a first row of that many
 * numbers that is read but not written (so it selects the same columns as if it had read every
 * line itself). Returns false when the lane does not apply (the caller runs the general reader).
 */
export async function runNdjsonStream(input: Input, opt: PipelineOptions, sink: Sink, stats: Stats): Promise<boolean> {
  const k = opt.kernel;
  const fits = k.kind === 'elementwise' ? k.width === undefined : k.axis !== 0 && laneAccepts(k);
  if (opt.lane === 'general' || opt.columns || (opt.to ?? 'ndjson') !== 'ndjson' || input.text !== undefined || !fits) return false;
  const w = writeOptions(opt, stats, 'ndjson', 'ndjson');
  const file = input.rereadable ? fileChunks(input.path) : undefined;
  const r = await runNdjsonLane(file ?? input.chunks(), { kernel: k, precision: opt.precision, nonfinite: opt.nonfinite, onNonfinite: w.onNonfinite }, (b) => sink.writeBytes(b));
  if (!r.rest) return true;
  const rest = r.rest;
  const restInput: Input = { ...input, rereadable: false, chunks: () => rest as AsyncIterable<Buffer> };
  const seen: Row = { line: r.lines, cells: new Array<number>(r.width).fill(0), form: 'array', eol: '\n' };
  const source = async function* (): AsyncIterable<Row[]> {
    if (r.dataLines > 0) yield [seen];
    yield* readNdjson(restInput, r.lines);
  };
  await runRows(restInput, 'ndjson', opt, r.dataLines > 0 ? withoutFirstWrite(sink) : sink, stats, source);
  return true;
}

/** The sink, but its first write (the row that only told the reader the widths) goes nowhere. */
function withoutFirstWrite(sink: Sink): Sink {
  let dropped = false;
  return new Proxy(sink, {
    get(target, key) {
      if (key === 'write') {
        return (s: string): void => {
          if (dropped) target.write(s);
          dropped = true;
        };
      }
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
