/**
 * A JSON document's results written out, once the pipeline has evaluated its tensors: an object of
 * tensors as one JSON line (untouched members keep their source text), a tensor as JSON text, or a
 * tensor of rank 0 to 2 as a table in any table format. Which formats take which is decided here.
 */
import { ActivError } from '../errors.js';
import { memberTexts } from './jsonlane/texts.js';
import { DROP_CELL, NULL, PASS_CELL, type Format, type OnInvalid, type OutCell, type TableOutput } from './table.js';
import { isRecords, type JsonTensor } from './json.js';
import { isRecord } from './ndjson.js';
import type { Tensor } from '../tensor.js';

/** Whether the output is a JSON form (a document keeps its shape) rather than a table. */
export function writesJson(to: Format | undefined): boolean {
  return to === undefined || to === 'json' || to === 'ndjson';
}

/** An object: the chosen members through `member` (their JSON text), the others as they were read. */
export function writeObject(output: TableOutput, doc: Record<string, unknown>, member: { chosen: ReadonlySet<string>; text(key: string): string; display: string }): void {
  if (!writesJson(output.format)) {
    throw new ActivError(`${member.display}: a JSON object can only be written as JSON (--to json or ndjson), not ${output.format}`);
  }
  const parts: string[] = [];
  for (const k of Object.keys(doc)) {
    const text = member.chosen.has(k) ? member.text(k) : (memberTexts.get(doc)?.get(k) ?? JSON.stringify(doc[k]));
    parts.push(JSON.stringify(k) + ':' + text);
  }
  output.sink.write('{' + parts.join(',') + '}\n');
}

/** A tensor's source document and its evaluation, for writing as a table. */
export interface EvaluatedTensor {
  readonly doc: unknown;
  readonly t: JsonTensor;
  readonly result: Tensor;
  readonly display: string;
}

/** A tensor of rank 0, 1 or 2 as a table: one row per row of the source, invalid values kept or nulled. */
export function writeTensorTable(output: TableOutput, e: EvaluatedTensor, onInvalid: OnInvalid): void {
  const { doc, t, result, display } = e;
  if (t.shape.length > 2) {
    throw new ActivError(`${display}: a ${t.shape.length}-D tensor cannot be written as ${output.format}; use --to json`);
  }
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  const outCols = result.shape.length === 0 ? 1 : result.shape[result.shape.length - 1];
  const nrows = t.shape.length === 2 ? t.shape[0] : 1;
  const outRows = result.shape.length === 2 ? result.shape[0] : 1;
  const src = (t.shape.length === 0 ? [[doc]] : t.shape.length === 1 ? [doc] : doc) as unknown[][];
  const invalidAt = new Set(t.invalid.map((x) => x.index));
  const writer = output.writer;
  writer.begin(undefined, undefined);
  for (let i = 0; i < Math.min(nrows, outRows); i++) {
    const cells: OutCell[] = [];
    for (let j = 0; j < cols; j++) {
      if (j >= outCols) cells.push(DROP_CELL);
      else if (invalidAt.has(i * cols + j)) cells.push(onInvalid === 'null' ? { tag: NULL } : PASS_CELL);
      else cells.push(result.data[i * outCols + j]);
    }
    writer.row({ line: i + 1, cells: src[i], form: 'array', eol: '\n' }, cells);
  }
  writer.end();
}

/** Records, or one object of plain values written as a table: a table of records, as NDJSON objects are. */
export function recordsOf(doc: unknown, to: Format | undefined): readonly Record<string, unknown>[] | undefined {
  if (isRecords(doc)) return doc;
  const flat = isRecord(doc) && Object.values(doc).every((x) => x === null || typeof x !== 'object');
  return flat && !writesJson(to) ? [doc as Record<string, unknown>] : undefined;
}
