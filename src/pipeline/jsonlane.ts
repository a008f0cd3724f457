/**
 * JSON and NDJSON input through the JSON lane (src/io/jsonlane/): numeric tensors and numeric
 * NDJSON lines stream from bytes to bytes; every other JSON document is parsed whole and goes
 * through runJsonValue, in its place; NDJSON goes on through the general reader from the first
 * line the lane does not take. The lane's refusals are worded here, by the same functions the
 * general reader uses.
 */
import { ActivError } from '../errors.js';
import { openRows } from '../io/general.js';
import { notATensor, raggedMessage } from '../io/json.js';
import { runJsonAxis0 } from '../io/jsonlane/columns.js';
import type { LanePlan, TensorProblem } from '../io/jsonlane/documents.js';
import { checkedText } from '../io/binary.js';
import { fileChunks } from '../io/jsonlane/fileread.js';
import { runNdjsonFile } from '../io/jsonlane/ndjson-file.js'; // seam (ndjson-speed)
import { runJsonLane, runNdjsonLane } from '../io/jsonlane/run.js';
import { JsonSyntaxError } from '../io/jsonlane/scan.js';
import { rememberTexts } from '../io/jsonlane/texts.js';
import { readNdjson } from '../io/ndjson.js';
import { spill, type Input, type Sink } from '../io/streams.js';
import type { Row } from '../io/table.js';
import { invalidTensorValue, runJsonValue } from './document.js';
import type { Plan } from './plan.js';
import { runTable } from './rows.js';

/** What the lane takes at all: float64 output (no --dtype) and no --na spellings. */
function lanePlan(plan: Plan, tableOut: boolean): LanePlan {
  const k = plan.kernel.kernel;
  const general = plan.read.lane === 'general' || tableOut || plan.write.dtype !== undefined || plan.read.na !== undefined;
  return {
    kernel: k,
    onInvalid: plan.read.onInvalid,
    generalOnly: general,
    precision: plan.write.precision,
    nonfinite: plan.write.nonfinite,
    onNonfinite: () => void plan.report.nonfinite++,
  };
}

/** A JSON input: its documents one after another (jq's streams), each streamed or read whole. */
export async function runJsonStream(input: Input, plan: Plan, sink: Sink): Promise<void> {
  const to = plan.write.to ?? 'json';
  const display = input.display;
  const lane = lanePlan(plan, to !== 'json' && to !== 'ndjson');
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const k = lane.kernel;
    if (k.kind === 'axiswise' && (k.axis === 0 || k.axis < -1) && !lane.generalOnly && input.text === undefined) {
      // Down the first axis: passes over a file (stdin spilled to one first), or the general way.
      if (!input.rereadable) ({ input, cleanup } = await spill(input));
      if (await runJsonAxis0(input.path, lane, (b) => sink.writeBytes(b))) return;
    }
    const file = input.rereadable && input.text === undefined ? fileChunks(input.path) : undefined;
    const given = input;
    const docs = await runJsonLane(file ? checkedText(file, input.display) : input.chunks(), lane, {
      writeBytes: (b) => sink.writeBytes(b),
      general: (v, texts) => {
        rememberTexts(v, texts);
        return runJsonValue(v, given, plan, sink);
      },
      error: (p) => jsonLaneError(display, p, plan),
    });
    if (docs === 0) throw new ActivError(`${display}: empty input, expected a JSON document`, 'data');
  } finally {
    await cleanup?.();
  }
}

export function jsonLaneError(display: string, p: TensorProblem | JsonSyntaxError, plan: Plan): ActivError {
  if (p instanceof JsonSyntaxError) return new ActivError(`${display}:${p.line}:${p.col}: invalid JSON: ${p.message}`, 'data');
  if (p.kind === 'ragged') return new ActivError(raggedMessage(`${display}: `, p.path, p.expected, p.depth), 'data');
  if (p.kind === 'shape') return new ActivError(notATensor(display), 'data');
  return invalidTensorValue(display, p, plan) ?? new ActivError(`${display} ${p.path}: not a number`, 'data');
}

/**
 * NDJSON in and out without -c: numeric lines through the NDJSON lane; from the first line it
 * does not take, the general reader, told the widths already seen by a first row of that many
 * numbers that is read but not written (so it selects the same columns as if it had read every
 * line itself). Returns false when the lane does not apply (the caller runs the general reader).
 */
export async function runNdjsonStream(input: Input, plan: Plan, sink: Sink): Promise<boolean> {
  const lane = lanePlan(plan, (plan.write.to ?? 'ndjson') !== 'ndjson');
  const k = lane.kernel;
  const fits = k.kind === 'elementwise' ? k.width === undefined : k.kind === 'axiswise' && (k.axis === -1 || k.axis === 1) && k.outLength(2) === 2;
  if (lane.generalOnly || plan.read.columns || input.text !== undefined || !fits) return false;
  // seam (ndjson-speed): a large file on worker threads (undefined: one thread, as below)
  const threaded = input.rereadable ? await runNdjsonFile({ path: input.path, display: input.display, plan: lane, recipe: plan.kernel.recipe }, (b) => sink.writeBytes(b)) : undefined;
  const file = input.rereadable && !threaded ? fileChunks(input.path) : undefined;
  const r = threaded ?? (await runNdjsonLane(file ? checkedText(file, input.display) : input.chunks(), lane, (b) => sink.writeBytes(b)));
  // The general reader's note on rows of one value, said of the first data line (after a hand-over
  // the general reader says it, told the first line's width below).
  if (k.kind === 'axiswise' && r.dataLines > 0 && r.firstWidth === 1 && !r.rest) {
    plan.report.note(`${input.display}: ${plan.kernel.name} along rows of one value gives the same for every row; --axis 0 goes down the column`);
  }
  if (!r.rest) return true;
  const rest = r.rest;
  const restInput: Input = { ...input, rereadable: false, chunks: () => rest as AsyncIterable<Buffer> };
  // Rows that only tell the general reader what the lane saw: the first data line's width (for
  // the rows-of-one-value note) and the widest (for the column choice); never written.
  const seen = (n: number): Row => ({ line: r.lines, cells: new Array<number>(n).fill(0), form: 'array', eol: '\n' });
  const told = r.dataLines === 0 ? [] : r.firstWidth === r.width ? [seen(r.width)] : [seen(r.firstWidth), seen(r.width)];
  const reader = async function* (): AsyncIterable<Row[]> {
    if (told.length) yield told;
    yield* readNdjson(restInput, r.lines);
  };
  const place = { format: 'ndjson' as const, display: input.display, inline: false, notes: true };
  await runTable(() => openRows({ reader, place, plan }), plan, told.length ? withoutFirstWrites(sink, told.length) : sink);
  return true;
}

/** The sink, but its first `n` writes (the rows that only told the reader the widths) go nowhere. */
function withoutFirstWrites(sink: Sink, n: number): Sink {
  let dropped = 0;
  return new Proxy(sink, {
    get(target, key) {
      if (key === 'write') {
        return (s: string): void => {
          if (dropped >= n) target.write(s);
          else dropped++;
        };
      }
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
