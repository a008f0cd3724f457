/**
 * Any file activ reads, as one tensor in memory: {data, shape, dtype?}. For `activ check`, which
 * needs a whole input and a whole result side by side.
 *
 * Tables (CSV, TSV, text, NDJSON, JSON records) are read as the activation reads them (header
 * detected, text columns left out) and give shape [rows, values per row]; every row must hold the
 * same number of values. A JSON tensor keeps its own shape. Text formats carry no dtype. A binary
 * format that knows its dtype (.npy) plugs in as one entry of READERS.
 */
import { ActivError } from '../errors.js';
import type { Dtype } from '../numbers/dtype.js';
import type { PipelineOptions } from '../pipeline/common.js';
import { tableSource, type RowSource } from '../pipeline/common.js';
import { fillBlock, openTable } from '../pipeline/table.js';
import { sizeOf } from '../tensor.js';
import type { Format, Row } from './block.js';
import { detectFormat } from './formats.js';
import { isRecords, jsonTensor, parseJsonDocument, readJsonText, recordRows } from './json.js';
import type { Input } from './streams.js';

export interface TensorFile {
  readonly data: Float64Array;
  readonly shape: readonly number[];
  /** Set by formats that store one (.npy); text formats leave it unset. */
  readonly dtype?: Dtype;
}

export interface TensorReadPlan {
  /** --from; otherwise the extension or the content decides. */
  readonly from?: Format;
  readonly delimiter?: string;
  readonly header?: boolean;
}

/** A reader for a format that is not a table of text (the .npy reader goes here). */
export type TensorReader = (input: Input) => Promise<TensorFile>;

/** Readers by the input's extension, tried before the text formats. */
const READERS: Record<string, TensorReader> = {};

/** Read a whole input as one tensor. */
export async function readTensorFile(given: Input, plan: TensorReadPlan): Promise<TensorFile> {
  const special = plan.from === undefined ? READERS[given.ext] : undefined;
  if (special) return special(given);
  const { input, format } = await detectFormat(given, given.text !== undefined ? 'text' : plan.from);
  if (format === 'json') {
    const doc = parseJsonDocument(input.display, await readJsonText(input));
    if (isRecords(doc)) {
      const rows = recordRows(doc);
      return readTable(input, 'ndjson', plan, async function* () {
        yield rows;
      });
    }
    const t = jsonTensor(doc, true, input.display);
    if (!t) throw new ActivError(`${input.display}: expected numbers in nested arrays (a tensor) or records`, 'data');
    if (t.invalid.length) {
      const bad = t.invalid[0];
      throw new ActivError(`${input.display}: ${bad.path}: not a number: '${JSON.stringify(bad.value)}'`, 'data');
    }
    return { data: t.data, shape: t.shape };
  }
  return readTable(input, format, plan, undefined);
}

/** The reading half of the activation's options: header detection and strict numbers only. */
function tableOptions(plan: TensorReadPlan): PipelineOptions {
  const reading: Pick<PipelineOptions, 'name' | 'header' | 'delimiter' | 'onInvalid' | 'nonfinite' | 'note'> = {
    name: 'check',
    header: plan.header,
    delimiter: plan.delimiter,
    onInvalid: 'fail',
    nonfinite: 'null',
    note: () => undefined,
  };
  // openTable and fillBlock read only these; no kernel runs while reading.
  return reading as PipelineOptions;
}

async function readTable(input: Input, format: Format, plan: TensorReadPlan, rows: RowSource | undefined): Promise<TensorFile> {
  const opt = tableOptions(plan);
  const o = await openTable(rows ?? tableSource(input, format, opt), format, input, opt, false);
  const parts: Float64Array[] = [];
  let width = -1;
  let count = 0;
  let first: Row | undefined;
  for await (const batch of o.batches) {
    const b = fillBlock(batch, o, opt, input.display, undefined);
    if (b.failure) throw b.failure;
    for (let r = 0; r < batch.length; r++) {
      const n = b.start[r + 1] - b.start[r];
      if (n === 0) continue; // a blank line
      if (width < 0) {
        width = n;
        first = batch[r];
      } else if (n !== width) {
        const where = batch[r].where ?? `line ${batch[r].line}`;
        throw new ActivError(`${input.display}: ${where} holds ${n} values, the first data row (line ${first?.line}) ${width}: a tensor needs rows of equal length`, 'data');
      }
    }
    const k = b.start[batch.length];
    parts.push(b.values.slice(0, k));
    count += k;
  }
  const data = new Float64Array(count);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  const shape = width <= 0 ? [0] : [count / width, width];
  if (sizeOf(shape) !== count) throw new Error('tensor-file: shape and count disagree');
  return { data, shape };
}
