/**
 * JSON documents: a tensor of its own shape held in memory, records as a table, or an object of
 * tensors. The JSON lanes (src/io/jsonlane/) read the input and hand over what they do not stream.
 */
import { ActivError } from '../errors.js';
import { createOutput, tableOfRows } from '../io/formats.js';
import {
  invalidTensorValue,
  isNumericTensor,
  isRecords,
  jsonTensor,
  notATensor,
  recordRows,
  tensorText,
  type JsonTensor,
} from '../io/json.js';
import { isRecord } from '../io/ndjson.js';
import { memberTexts } from '../io/jsonlane/texts.js';
import type { Input, Sink } from '../io/streams.js';
import { DROP_CELL, NULL, PASS_CELL, type Format, type OutCell, type WriteOptions } from '../io/table.js';
import { applyKernel, valueStep, vectorsAreRows, type Tensor } from '../tensor.js';
import type { Plan } from './plan.js';
import { runTable } from './rows.js';

/** A JSON or NDJSON input: the JSON lanes, with this file's document step and the row step for what they hand over. */
export async function runDocuments(given: { input: Input; format: Format }, plan: Plan, sink: Sink): Promise<void> {
  // The lanes load only for JSON input (npy-options.ts uses evaluateTensor alone).
  const { runJsonInput } = await import('../io/jsonlane/stream.js');
  await runJsonInput({
    ...given,
    plan,
    sink,
    document: (doc, at) => runJsonValue(doc, { input: given.input, plan, sink, vectorIsRow: at.vectorIsRow }),
    table: (from) => runTable(from, plan, sink),
  });
}

/** An object whose values are numbers, strings, booleans or null: one record. */
function isFlatRecord(v: unknown): v is Record<string, unknown> {
  return isRecord(v) && Object.values(v).every((x) => x === null || typeof x !== 'object');
}

function isTable(to: Format | undefined): boolean {
  return to !== undefined && to !== 'json' && to !== 'ndjson';
}

/** Where a document goes, and whether a 1-D tensor there is a row (a document of a stream, not its input's only one). */
interface DocumentRun {
  readonly input: Input;
  readonly plan: Plan;
  readonly sink: Sink;
  readonly vectorIsRow: boolean;
}

/** One parsed JSON document. */
async function runJsonValue(doc: unknown, run: DocumentRun): Promise<void> {
  const { input, plan, sink } = run;
  const display = input.display;
  if (isRecords(doc) || (isFlatRecord(doc) && isTable(plan.write.to))) {
    // Records, or one object of plain values written as a table: a table of records, as NDJSON objects are.
    const rows = recordRows(Array.isArray(doc) ? doc : [doc]);
    return runTable(() => tableOfRows(rows, display, plan), plan, sink);
  }
  const output = await createOutput(sink, plan, { format: 'json' });
  const to = output.format;
  const w = output.options;
  if (isRecord(doc)) {
    if (to !== 'json' && to !== 'ndjson') {
      throw new ActivError(`${display}: a JSON object can only be written as JSON (--to json or ndjson), not ${to}`);
    }
    const keys = Object.keys(doc);
    const chosen = new Set(plan.read.columns ? plan.read.columns.indices(keys.length, keys).map((i) => keys[i]) : keys.filter((k) => isNumericTensor(doc[k])));
    if (chosen.size === 0) plan.report.note(`${display}: no key holds numbers or arrays of numbers; the object is written unchanged`);
    const parts: string[] = [];
    for (const k of keys) {
      const v = doc[k];
      const text = chosen.has(k) ? tensorOut(v, { where: `${display}: '${k}'`, plan, w }) : (memberTexts.get(doc)?.get(k) ?? JSON.stringify(v));
      parts.push(JSON.stringify(k) + ':' + text);
    }
    sink.write('{' + parts.join(',') + '}\n');
    return;
  }
  if (to === 'json' || to === 'ndjson') {
    sink.write(tensorOut(doc, { where: display, plan, w, vectorIsRow: run.vectorIsRow }) + '\n');
    return;
  }
  // A tensor of rank 0, 1 or 2 as a table.
  const { t, result } = evaluate(doc, { where: display, plan, vectorIsRow: run.vectorIsRow });
  if (t.shape.length > 2) {
    throw new ActivError(`${display}: a ${t.shape.length}-D tensor cannot be written as ${to}; use --to json`);
  }
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  const outCols = result.shape.length === 0 ? 1 : result.shape[result.shape.length - 1];
  const nrows = t.shape.length === 2 ? t.shape[0] : 1;
  const outRows = result.shape.length === 2 ? result.shape[0] : 1;
  const src = (t.shape.length === 0 ? [[doc]] : t.shape.length === 1 ? [doc] : doc) as unknown[][];
  const invalidAt = new Map(t.invalid.map((x) => [x.index, x]));
  const writer = output.writer;
  writer.begin(undefined, undefined);
  for (let i = 0; i < Math.min(nrows, outRows); i++) {
    const cells: OutCell[] = [];
    for (let j = 0; j < cols; j++) {
      if (j >= outCols) cells.push(DROP_CELL);
      else if (invalidAt.has(i * cols + j)) cells.push(plan.read.onInvalid === 'null' ? { tag: NULL } : PASS_CELL);
      else cells.push(result.data[i * outCols + j]);
    }
    writer.row({ line: i + 1, cells: src[i], form: 'array', eol: '\n' }, cells);
  }
  writer.end();
}

/** A value evaluated as a tensor: where it is (for messages), and whether a 1-D one is a row. */
interface TensorPlace {
  readonly where: string;
  readonly plan: Plan;
  readonly vectorIsRow?: boolean;
}

/** Evaluate a JSON value as a tensor; invalid values fail, or (element-wise only) are kept or nulled. */
export function evaluateTensor(v: unknown, where: string, plan: Plan): { t: JsonTensor; result: Tensor } {
  return evaluate(v, { where, plan });
}

function evaluate(v: unknown, at: TensorPlace): { t: JsonTensor; result: Tensor } {
  const { where, plan } = at;
  const { kernel, name } = plan.kernel;
  const t = jsonTensor(v, true, `${where}: `);
  if (!t) throw new ActivError(notATensor(where), 'data');
  if (t.invalid.length) {
    const failure = invalidTensorValue(where, t.invalid[0], plan);
    if (failure) throw failure;
  }
  if (at.vectorIsRow && t.shape.length === 1 && vectorsAreRows(valueStep(kernel))) {
    // A row of a stream of documents, as an NDJSON line is: [n] -> [1, n] -> [m].
    const row = applyKernel(kernel, { data: t.data, shape: [1, t.shape[0]] }, name);
    return { t, result: { data: row.data, shape: [row.shape[1]] } };
  }
  return { t, result: applyKernel(kernel, t, name) };
}

function tensorOut(v: unknown, at: TensorPlace & { readonly w: WriteOptions }): string {
  const { plan, w } = at;
  const { t, result } = evaluate(v, at);
  if (!t.invalid.length) return tensorText(result, w);
  const bad = new Map(t.invalid.map((x) => [x.index, x.value]));
  return tensorText(result, w, (i) => (bad.has(i) ? (plan.read.onInvalid === 'null' ? 'null' : JSON.stringify(bad.get(i))) : undefined));
}
