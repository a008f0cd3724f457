/**
 * A JSON or NDJSON input through the JSON lanes: which lane takes it, and the hand-overs. Numeric
 * tensors and numeric NDJSON lines stream from bytes to bytes; a file that is one array of
 * records is read record by record (json-records.ts); every other JSON document is
 * parsed whole and handed to the pipeline's document step, in its place; NDJSON goes on through
 * the general reader (the pipeline's table step) from the first line the lane does not take,
 * told the widths the lane already saw. The lanes' refusals are worded here, by the same
 * functions the general reader uses.
 *
 * A whitespace-separated stream of documents (jq's output) treats each 1-D document as a row, as
 * an NDJSON line is, under a whole-vector step along the last axis (softmax on each); a lone 1-D
 * document (its input's only one) stays a 1-D tensor (Keras refuses softmax on it). So the first
 * document, when it is 1-D, is held until a second one starts or the input ends.
 */
import { ActivError } from '../../errors.js';
import type { Kernel } from '../../kernels/spec.js';
import { valueStep, vectorsAreRows, type KernelRecipe, type ValueStep } from '../../tensor.js';
import { checkedText } from '../binary.js';
import { openRows } from '../general.js';
import { invalidTensorValue, notATensor, raggedMessage } from '../json.js';
import { isRecordArrayFile, readRecordArray, startsLikeRecordArray } from '../json-records.js';
import { readNdjson } from '../ndjson.js';
import { spill, type Input, type Sink } from '../streams.js';
import { readHead } from '../fastlane/bytes.js';
import type { Format, TablePlan, TableSource } from '../table.js';
import { runJsonAxis0 } from './columns.js';
import type { LanePlan, TensorProblem } from './documents.js';
import { fileChunks } from './fileread.js';
import { runNdjsonFile } from './ndjson-file.js'; // seam (ndjson-speed)
import { runJsonLane, runNdjsonLane } from './run.js';
import { JsonSyntaxError } from './scan.js';
import { rememberTexts } from './texts.js';

/** A records array on stdin this large (parsed whole: ~30x in memory) is copied to a file and read record by record. */
const SPILL_RECORDS_FROM = 1 << 20;

/** The run's plan as the lanes see it: the table plan, and the kernel with its name. */
export interface JsonPlan extends TablePlan {
  readonly kernel: { readonly name: string; readonly kernel: Kernel; readonly recipe?: KernelRecipe }; // seam (ndjson-speed): recipe, for the NDJSON threads
}

/** A table for the pipeline's row step: the input as it is, or a source already opened. */
export type JsonTable = { input: Input; format: Format } | ((passes: 'one' | 'many') => Promise<TableSource>);

/** One JSON or NDJSON input, and the pipeline's steps for what the lanes do not stream. */
export interface JsonJob {
  readonly input: Input;
  readonly format: Format;
  readonly plan: JsonPlan;
  readonly sink: Sink;
  /** A parsed document, in its place; `vectorIsRow`: a 1-D tensor here is a row (not its input's only document). */
  document(value: unknown, at: { vectorIsRow: boolean }): Promise<void>;
  /** Rows through the general reader (NDJSON the lane does not take, records). */
  table(from: JsonTable): Promise<void>;
}

/** Run a JSON or NDJSON input: the lanes where they apply, the pipeline's steps for the rest. */
export async function runJsonInput(job: JsonJob): Promise<void> {
  if (job.format === 'ndjson') {
    if (!(await runNdjsonStream(job))) await job.table({ input: job.input, format: job.format });
  } else await runJsonStream(job);
}

/** What the lane takes at all: float64 output (no --dtype) and no --na spellings. */
function lanePlan(plan: JsonPlan, tableOut: boolean): LanePlan & { step: ValueStep } {
  const general = plan.read.lane === 'general' || tableOut || plan.write.dtype !== undefined || plan.read.na !== undefined;
  const step = valueStep(plan.kernel.kernel);
  return {
    step,
    vectorsAreRows: vectorsAreRows(step),
    onInvalid: plan.read.onInvalid,
    generalOnly: general,
    precision: plan.write.precision,
    nonfinite: plan.write.nonfinite,
    onNonfinite: () => void plan.report.nonfinite++,
  };
}

/** A JSON input: its documents one after another (jq's streams), each streamed or read whole. */
async function runJsonStream(job: JsonJob): Promise<void> {
  const { plan, sink } = job;
  let input = job.input;
  const to = plan.write.to ?? 'json';
  const display = input.display;
  const lane = lanePlan(plan, to !== 'json' && to !== 'ndjson');
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const { step } = lane;
    if (step.wholeVectors && (step.axis === 0 || step.axis < -1) && !lane.generalOnly && input.text === undefined) {
      // Down the first axis: passes over a file (stdin spilled to one first), or the general way.
      if (!input.rereadable) ({ input, cleanup } = await spill(input));
      if (await runJsonAxis0(input, lane, (b) => sink.writeBytes(b))) return;
    }
    if (!input.rereadable && input.text === undefined && plan.read.lane !== 'general') {
      // A one-shot input that starts like an array of records and is not small goes to a file
      // first (as for --axis 0), so that it too is read record by record: parsed whole, a few
      // hundred MB end in V8's fatal out-of-memory. A small one stays in memory, and so does one
      // whose temporary file cannot be created (a read-only TMPDIR): read whole, as before. The head
      // is read no further than the question needs, so a slow pipe's first document goes on at once.
      const records = (head: Buffer): boolean => startsLikeRecordArray(head) === true && head.length >= SPILL_RECORDS_FROM;
      const { head, rest } = await readHead(input.chunks(), (h) => startsLikeRecordArray(h) === false || records(h));
      input = { ...input, chunks: () => rest };
      if (records(head)) ({ input, cleanup } = await spillIfPossible(input));
    }
    if (input.rereadable && input.text === undefined && plan.read.lane !== 'general' && isRecordArrayFile(input.path, input.guard)) {
      // one array of records: record by record (json-records.ts), not parsed whole
      const place = { format: 'json' as const, display, inline: false, notes: true };
      return await job.table(() => openRows({ reader: () => readRecordArray(input.path, display, input.guard), place, plan }));
    }
    const file = input.rereadable && input.text === undefined ? fileChunks(input.path) : undefined;
    const docs = await runJsonLane(file ? checkedText(file, input.display) : input.chunks(), lane, {
      writeBytes: (b) => sink.writeBytes(b),
      general: (doc) => {
        rememberTexts(doc.value, doc.texts);
        return job.document(doc.value, { vectorIsRow: doc.vectorIsRow });
      },
      error: (p) => jsonLaneError(display, p, plan),
    });
    if (docs === 0) throw new ActivError(`${display}: empty input, expected a JSON document`, 'data');
  } finally {
    await cleanup?.();
  }
}

/**
 * The input copied to a temporary file, or the input itself when that file cannot be created
 * (nothing has been read from the input then); a failure part way (a full disk) is an error.
 */
async function spillIfPossible(input: Input): Promise<{ input: Input; cleanup?: () => Promise<void> }> {
  let pulled = false;
  const watched: Input = {
    ...input,
    chunks: () => {
      pulled = true;
      return input.chunks();
    },
  };
  try {
    return await spill(watched);
  } catch (e) {
    if (pulled) throw e;
    return { input };
  }
}

function jsonLaneError(display: string, p: TensorProblem | JsonSyntaxError, plan: JsonPlan): ActivError {
  if (p instanceof JsonSyntaxError) return new ActivError(`${display}:${p.line}:${p.col}: invalid JSON: ${p.message}`, 'data');
  if (p.kind === 'ragged') return new ActivError(raggedMessage(`${display}: `, p.path, p.expected, p.depth), 'data');
  if (p.kind === 'shape') return new ActivError(notATensor(display), 'data');
  return invalidTensorValue(display, p, plan) ?? new ActivError(`${display} ${p.path}: not a number`, 'data');
}

/**
 * NDJSON in and out without -c: numeric lines through the NDJSON lane; from the first line it
 * does not take, the general reader, told the widths already seen (so it selects the same
 * columns, and says the same notes, as if it had read every line itself). Returns false when
 * the lane does not apply (the caller runs the general reader).
 */
async function runNdjsonStream(job: JsonJob): Promise<boolean> {
  const { input, plan, sink } = job;
  const lane = lanePlan(plan, (plan.write.to ?? 'ndjson') !== 'ndjson');
  const { step } = lane;
  if (lane.generalOnly || plan.read.columns || input.text !== undefined || !step.alongRowsInPlace) return false;
  // seam (ndjson-speed): a large file on worker threads (undefined: one thread, as below)
  const threaded = input.rereadable ? await runNdjsonFile({ path: input.path, display: input.display, plan: lane, recipe: plan.kernel.recipe }, (b) => sink.writeBytes(b)) : undefined;
  const file = input.rereadable && !threaded ? fileChunks(input.path) : undefined;
  const r = threaded ?? (await runNdjsonLane(file ? checkedText(file, input.display) : input.chunks(), lane, (b) => sink.writeBytes(b)));
  // The general reader's note on rows of one value, said of the first data line (after a hand-over
  // the general reader says it, told the first line's width below).
  if (step.wholeVectors && r.dataLines > 0 && r.firstWidth === 1 && !r.rest) {
    plan.report.note(`${input.display}: ${plan.kernel.name} along rows of one value gives the same for every row; --axis 0 goes down the column`);
  }
  if (!r.rest) return true;
  const rest = r.rest;
  const restInput: Input = { ...input, rereadable: false, chunks: () => rest as AsyncIterable<Buffer> };
  const seen = r.dataLines === 0 ? undefined : { firstWidth: r.firstWidth, width: r.width };
  const place = { format: 'ndjson' as const, display: input.display, inline: false, notes: true, seen };
  await job.table(() => openRows({ reader: () => readNdjson(restInput, r.lines), place, plan }));
  return true;
}
