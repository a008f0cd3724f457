/** A JSON document: a tensor of its own shape held in memory, records as a table, or an object of tensors. */
import { ActivError } from '../errors.js';
import { createOutput, tableOfRows } from '../io/formats.js';
import {
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
import { DROP_CELL, NULL, PASS_CELL, quoteValue, type OutCell, type WriteOptions } from '../io/table.js';
import { applyKernel, needsWholeVectors, type Tensor } from '../tensor.js';
import type { Plan } from './plan.js';
import { runTable } from './rows.js';

// ---------------------------------------------------------------------------------------------
// JSON documents

/** One parsed JSON document (the JSON lane, pipeline/jsonlane.ts, reads the input and hands over those it does not stream). */
export async function runJsonValue(doc: unknown, input: Input, plan: Plan, sink: Sink): Promise<void> {
  const display = input.display;
  if (isRecords(doc)) {
    const rows = recordRows(doc);
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
      const text = chosen.has(k) ? tensorOut(v, `${display}: '${k}'`, plan, w) : (memberTexts.get(doc)?.get(k) ?? JSON.stringify(v));
      parts.push(JSON.stringify(k) + ':' + text);
    }
    sink.write('{' + parts.join(',') + '}\n');
    return;
  }
  if (to === 'json' || to === 'ndjson') {
    sink.write(tensorOut(doc, display, plan, w) + '\n');
    return;
  }
  // A tensor of rank 0, 1 or 2 as a table.
  const { t, result } = evaluateTensor(doc, display, plan);
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

/** Evaluate a JSON value as a tensor; invalid values fail, or (element-wise only) are kept or nulled. */
export function evaluateTensor(v: unknown, where: string, plan: Plan): { t: JsonTensor; result: Tensor } {
  const { kernel, name } = plan.kernel;
  const t = jsonTensor(v, true, `${where}: `);
  if (!t) throw new ActivError(notATensor(where), 'data');
  if (t.invalid.length) {
    const failure = invalidTensorValue(where, t.invalid[0], plan);
    if (failure) throw failure;
  }
  return { t, result: applyKernel(kernel, t, name) };
}

/** The error for a tensor's first value that is not a number, or undefined when --on-invalid keeps or nulls it. */
export function invalidTensorValue(where: string, first: { path: string; value: unknown }, plan: Plan): ActivError | undefined {
  const { onInvalid } = plan.read;
  const { kernel, name } = plan.kernel;
  const at = `${where}${first.path ? ' ' + first.path : ''}`;
  if (onInvalid === 'fail') return new ActivError(`${at}: not a number: ${quoteValue(first.value)}`, 'data');
  if (onInvalid === 'skip') {
    return new ActivError(`${at}: not a number: ${quoteValue(first.value)} (--on-invalid skip drops table rows; a JSON tensor has none: use keep or null)`, 'data');
  }
  if (needsWholeVectors(kernel)) {
    return new ActivError(`${at}: not a number: ${quoteValue(first.value)} (${name} needs every value along its axis)`, 'data');
  }
  return undefined;
}

export function tensorOut(v: unknown, where: string, plan: Plan, w: WriteOptions): string {
  const { t, result } = evaluateTensor(v, where, plan);
  if (!t.invalid.length) return tensorText(result, w);
  const bad = new Map(t.invalid.map((x) => [x.index, x.value]));
  return tensorText(result, w, (i) => (bad.has(i) ? (plan.read.onInvalid === 'null' ? 'null' : JSON.stringify(bad.get(i))) : undefined));
}
