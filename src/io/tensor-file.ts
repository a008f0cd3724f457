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
import { RowMisfit, sizeOf, type RowBlock, type RowStep } from '../tensor.js';
import { detectFormat, openTable, tableOfRows } from './formats.js';
import { isRecords, jsonTensor, parseJsonDocument, readJsonText, recordRows } from './json.js';
import { readNpyTensor, refuseArchive } from './npy-tensor.js';
import type { Input } from './streams.js';
import type { Format, Row, TablePlan } from './table.js';

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
  const { input, format } = await detectFormat(given, plan);
  if (format === 'npy') return readNpyTensor(input); // npy seam
  if (format === 'npz') refuseArchive(input);
  if (format === 'json') {
    const doc = parseJsonDocument(input.display, await readJsonText(input));
    if (isRecords(doc)) {
      const rows = recordRows(doc);
      return readTable(input, 'json', plan, rows);
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

/**
 * The reading half of a run's plan: header detection and strict numbers; nothing is noted or
 * written. The lanes as a run picks them: a plain CSV is split without csv-parse (about 3 ms of
 * start-up for `activ check`) and a large one read by the byte lane; ACTIV_LANE=general keeps to
 * csv-parse alone, which the tests compare.
 */
function tablePlan(plan: TensorReadPlan): TablePlan {
  return {
    read: { header: plan.header, delimiter: plan.delimiter, onInvalid: 'fail', lane: process.env.ACTIV_LANE === 'general' ? 'general' : 'auto' },
    write: { nonfinite: 'null' },
    report: { note: () => undefined, skipped: 0, nonfinite: 0 },
  };
}

/** Every data row's values, kept; rows must hold as many values as the first. */
class Gathered implements RowStep {
  readonly keepsLength = true;
  readonly writes = false;
  parts: Float64Array[] = [];
  count = 0;
  width = -1;

  outLength(n: number): number {
    return n;
  }

  apply(b: RowBlock): undefined {
    for (let r = 0; r < b.rows; r++) {
      const n = b.start[r + 1] - b.start[r];
      if (n === 0) continue; // a blank line
      if (this.width < 0) this.width = n;
      else if (n !== this.width) throw new RowMisfit(r, `holds ${n} values where the first data row holds ${this.width}: a tensor needs rows of equal length`);
    }
    const k = b.start[b.rows];
    this.parts.push(b.values.slice(0, k));
    this.count += k;
    return undefined;
  }
}

async function readTable(input: Input, format: Format, plan: TensorReadPlan, rows: Row[] | undefined): Promise<TensorFile> {
  const reading = tablePlan(plan);
  const source = rows ? await tableOfRows(rows, input.display, reading) : await openTable({ input, format }, reading, 'one');
  const gathered = new Gathered();
  try {
    await source.pass(gathered);
  } finally {
    await source.close();
  }
  const { count, width } = gathered;
  const data = new Float64Array(count);
  let at = 0;
  for (const p of gathered.parts) {
    data.set(p, at);
    at += p.length;
  }
  const shape = width <= 0 ? [0] : [count / width, width];
  if (sizeOf(shape) !== count) throw new Error('tensor-file: shape and count disagree');
  return { data, shape };
}
