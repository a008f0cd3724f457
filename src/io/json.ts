/**
 * JSON documents. A document is read whole and is one of:
 *  - a number, or nested rectangular arrays of any rank: a tensor, written back in its shape;
 *  - an array of objects: records, a table whose columns are the keys (`--columns` names keys);
 *  - an object: its numeric values (numbers or rectangular numeric arrays) are each a tensor,
 *    selected by `--columns` (by key), other keys pass through.
 * Output is compact, one document per line. JSON has no NaN or Infinity: they are written as
 * null (and counted on stderr) or, with --json-nonfinite string, as "NaN", "Infinity", "-Infinity".
 * On input, those three strings are read as numbers so that such output reads back.
 */
import { ActivError } from '../errors.js';
import type { Kernel } from '../kernels/spec.js';
import { sizeOf, valueStep, type Tensor } from '../tensor.js';
import { jsonValueNumber, quoteValue, type OnInvalid, type OutCell, type Row, type TableWriter, type TextSink, type WriteOptions } from './table.js';
import { isRecord, jsonErrorMessage, jsonNumber, jsonRow, jsonRowText } from './ndjson.js';
import { decodeUtf8, type Input } from './streams.js';

export async function readJsonText(input: Input): Promise<string> {
  let text = '';
  for await (const s of decodeUtf8(input.chunks())) text += s;
  return text;
}

export function parseJsonDocument(display: string, text: string): unknown {
  if (/^\s*$/.test(text)) throw new ActivError(`${display}: empty input, expected a JSON document`, 'data');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ActivError(jsonErrorMessage(display, text, e), 'data');
  }
}

export { jsonValueNumber };

/** What the words for a tensor's invalid value depend on. */
export interface InvalidPlan {
  readonly read: { readonly onInvalid: OnInvalid };
  readonly kernel: { readonly name: string; readonly kernel: Kernel };
}

/** The error for a tensor's first value that is not a number, or undefined when --on-invalid keeps or nulls it (both JSON lanes say it). */
export function invalidTensorValue(where: string, first: { path: string; value: unknown }, plan: InvalidPlan): ActivError | undefined {
  const { onInvalid } = plan.read;
  const { kernel, name } = plan.kernel;
  const at = `${where}${first.path ? ' ' + first.path : ''}`;
  if (onInvalid === 'fail') return new ActivError(`${at}: not a number: ${quoteValue(first.value)}`, 'data');
  if (onInvalid === 'skip') {
    return new ActivError(`${at}: not a number: ${quoteValue(first.value)} (--on-invalid skip drops table rows; a JSON tensor has none: use keep or null)`, 'data');
  }
  if (valueStep(kernel).wholeVectors) {
    return new ActivError(`${at}: not a number: ${quoteValue(first.value)} (${name} needs every value along its axis)`, 'data');
  }
  return undefined;
}

export function isRecords(v: unknown): v is Record<string, unknown>[] {
  return Array.isArray(v) && v.length > 0 && v.every(isRecord);
}

/**
 * Records as rows (line numbers are record numbers; `where` names them in messages); `before`:
 * records that came before these (the records reader's earlier batches).
 */
export function recordRows(records: readonly Record<string, unknown>[], before = 0): Row[] {
  return records.map((r, i) => jsonRow(r, { line: before + i + 1, eol: '', where: `record ${before + i + 1}` }));
}

export interface JsonTensor extends Tensor {
  /** Flat indices of values that are not numbers, with the values. */
  readonly invalid: { index: number; value: unknown; path: string }[];
}

/** Nested rectangular arrays (or a number) to a tensor; undefined if `v` has another structure. */
export function jsonTensor(v: unknown, strictShape = true, where = ''): JsonTensor | undefined {
  const shape: number[] = [];
  for (let x: unknown = v; Array.isArray(x); x = x[0]) {
    shape.push(x.length);
    if (x.length === 0) break;
  }
  const data = new Float64Array(sizeOf(shape));
  const invalid: JsonTensor['invalid'] = [];
  let k = 0;
  let ok = true;
  const walk = (x: unknown, depth: number, path: string): void => {
    if (!ok) return;
    if (depth === shape.length) {
      if (Array.isArray(x)) {
        ok = false;
        return;
      }
      const n = jsonValueNumber(x);
      if (n === undefined) {
        invalid.push({ index: k, value: x, path });
        data[k++] = NaN;
      } else data[k++] = n;
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[depth]) {
      ok = false;
      if (strictShape) throw new ActivError(raggedMessage(where, path, shape[depth], depth), 'data');
      return;
    }
    for (let i = 0; i < x.length; i++) walk(x[i], depth + 1, `${path}[${i}]`);
  };
  walk(v, 0, '');
  return ok ? { data, shape, invalid } : undefined;
}

/** The words for a tensor whose arrays differ in length (`where` ends with ': '). */
export function raggedMessage(where: string, path: string, expected: number, depth: number): string {
  return `${where}${path || '(top)'}: ragged array: expected ${expected} elements at depth ${depth}, as the first row has`;
}

/** The words for a document that is neither a number nor nested rectangular arrays. */
export function notATensor(where: string): string {
  return `${where}: expected a number or nested arrays of numbers`;
}

/** True for a number or a rectangular array of numbers (the values an object's keys select). */
export function isNumericTensor(v: unknown): boolean {
  if (!(typeof v === 'number' || Array.isArray(v))) return false;
  const t = jsonTensor(v, false);
  return t !== undefined && t.invalid.length === 0;
}

/**
 * A tensor as compact JSON. `cell(index)` may override a value's text (invalid cells kept or
 * nulled); undefined means write the number.
 */
export function tensorText(t: Tensor, opt: WriteOptions, cell?: (index: number) => string | undefined): string {
  const { data, shape } = t;
  let k = 0;
  const parts: string[] = [];
  const build = (depth: number): void => {
    if (depth === shape.length) {
      const o = cell?.(k);
      parts.push(o ?? jsonNumber(data[k], opt));
      k++;
      return;
    }
    parts.push('[');
    for (let i = 0; i < shape[depth]; i++) {
      if (i) parts.push(',');
      build(depth + 1);
    }
    parts.push(']');
  };
  build(0);
  return parts.join('');
}

/** A table as one JSON document: an array of its rows (records when there is a header). */
export class JsonTableWriter implements TableWriter {
  private names: string[] | undefined;
  private first = true;
  constructor(
    private readonly sink: TextSink,
    private readonly opt: WriteOptions,
  ) {}

  begin(header: Row | undefined): void {
    this.names = header?.cells.map((c) => String(c));
    this.sink.write('[');
  }

  row(row: Row, cells: OutCell[]): void {
    if (row.cells.length === 0 && row.form === undefined) return; // empty line
    this.sink.write((this.first ? '' : ',') + jsonRowText(row, cells, this.opt, this.names));
    this.first = false;
  }

  end(): void {
    this.sink.write(']\n');
  }
}
