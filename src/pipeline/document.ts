/**
 * JSON documents: a tensor of its own shape held in memory, records as a table, or an object of
 * tensors. The JSON lanes (src/io/jsonlane/) read the input and hand over what they do not stream.
 */
import { ActivError } from '../errors.js';
import { createOutput, tableOfRows } from '../io/formats.js';
import { invalidTensorValue, isNumericTensor, jsonTensor, notATensor, recordRows, tensorText, type JsonTensor } from '../io/json.js';
import { recordsOf, writeObject, writesJson, writeTensorTable } from '../io/json-out.js';
import { isRecord } from '../io/ndjson.js';
import type { Input, Sink } from '../io/streams.js';
import type { Format, WriteOptions } from '../io/table.js';
import { applyKernel, valueStep, vectorsAreRows, type Tensor } from '../tensor.js';
import type { Plan } from './plan.js';
import { runTable } from './rows.js';

/** A JSON or NDJSON input: the JSON lanes, with this file's document step and the row step for what they hand over. */
export async function runDocuments(given: { input: Input; format: Format }, plan: Plan, sink: Sink): Promise<void> {
  // The lanes load only for JSON input (the array runner uses evaluateTensor alone).
  const { runJsonInput } = await import('../io/jsonlane/stream.js');
  await runJsonInput({
    ...given,
    plan,
    sink,
    document: (doc, at) => runJsonValue(doc, { input: given.input, plan, sink, vectorIsRow: at.vectorIsRow }),
    table: (from) => runTable(from, plan, sink),
  });
}

/** Where a document goes, and whether a 1-D tensor there is a row (a document of a stream, not its input's only one). */
interface DocumentRun {
  readonly input: Input;
  readonly plan: Plan;
  readonly sink: Sink;
  readonly vectorIsRow: boolean;
}

/** One parsed JSON document: records as a table, an object of tensors, or a tensor of its own shape. */
async function runJsonValue(doc: unknown, run: DocumentRun): Promise<void> {
  const { input, plan, sink, vectorIsRow } = run;
  const display = input.display;
  const records = recordsOf(doc, plan.write.to);
  if (records) return runTable(() => tableOfRows(recordRows(records), display, plan), plan, sink);
  const output = await createOutput(sink, plan, { format: 'json' });
  const w = output.options;
  if (isRecord(doc)) {
    const keys = Object.keys(doc);
    const chosen = new Set(plan.read.columns ? plan.read.columns.indices(keys.length, keys).map((i) => keys[i]) : keys.filter((k) => isNumericTensor(doc[k])));
    if (chosen.size === 0) plan.report.note(`${display}: no key holds numbers or arrays of numbers; the object is written unchanged`);
    writeObject(output, doc, { chosen, display, text: (k) => tensorOut(doc[k], { where: `${display}: '${k}'`, plan, w }) });
  } else if (writesJson(output.format)) {
    sink.write(tensorOut(doc, { where: display, plan, w, vectorIsRow }) + '\n');
  } else {
    const { t, result } = evaluate(doc, { where: display, plan, vectorIsRow });
    writeTensorTable(output, { doc, t, result, display }, plan.read.onInvalid);
  }
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
