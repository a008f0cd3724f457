/** What every part of the pipeline shares: its options, the readers and writers by format, and how messages name places. */
import { ActivError } from '../errors.js';
import type { Format, Row, TableWriter, WriteOptions } from '../io/block.js';
import type { Selection } from '../io/columns.js';
import { CsvWriter, readCsv, readCsvPlain } from '../io/csv.js';
import { JsonTableWriter, jsonValueNumber } from '../io/json.js';
import { NdjsonWriter, readNdjson } from '../io/ndjson.js';
import type { Input, Sink } from '../io/streams.js';
import { readText, TextWriter } from '../io/text.js';
import type { Kernel } from '../kernels/spec.js';
import type { Dtype } from '../numbers/dtype.js';
import { parseNumber } from '../numbers/parse.js';


export type OnInvalid = 'fail' | 'skip' | 'keep' | 'null';

export interface PipelineOptions {
  /** The activation's name, for messages. */
  readonly name: string;
  readonly kernel: Kernel;
  readonly from?: Format;
  readonly to?: Format;
  /** undefined: detect. */
  readonly header?: boolean;
  /** Input delimiter for CSV/TSV (default ',' and tab). */
  readonly delimiter?: string;
  readonly columns?: Selection;
  readonly onInvalid: OnInvalid;
  readonly precision?: number;
  /** --dtype (check): set only for a dtype narrower than float64; the kernel is already wrapped. */
  readonly dtype?: Dtype;
  readonly nonfinite: 'null' | 'string';
  /** The parameters as given, so worker threads can bind the same kernel. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** 'general' turns the fast lane off (differential tests compare the two lanes). */
  readonly lane?: 'auto' | 'general';
  /** A note for stderr (the caller prefixes 'activ: ' and honours --quiet). */
  readonly note: (message: string) => void;
}

export interface Stats {
  skipped: number;
  nonfinite: number;
}

/** Run every input through the activation into the sink, in order. */
/** A way to read a table from its start; called again for each pass. */
export type RowSource = () => AsyncIterable<Row[]>;

export function tableSource(input: Input, format: Format, opt: PipelineOptions): RowSource {
  switch (format) {
    case 'csv':
      return () => (opt.lane === 'general' ? readCsv : readCsvPlain)(input, opt.delimiter ?? ',');
    case 'tsv':
      return () => (opt.lane === 'general' ? readCsv : readCsvPlain)(input, opt.delimiter ?? '\t');
    case 'text':
      return () => readText(input);
    case 'ndjson':
      return () => readNdjson(input);
    case 'json':
      throw new Error('a JSON document is not a row stream');
    case 'npy': // npy seam: arrays go through src/pipeline/npy.ts
    case 'npz':
      throw new Error('a NumPy array is not a row stream');
  }
}

export function writeOptions(opt: PipelineOptions, stats: Stats, inFormat: Format, to: Format): WriteOptions {
  const inDelim = opt.delimiter ?? (inFormat === 'tsv' ? '\t' : ',');
  const sameDialect = (inFormat === 'csv' || inFormat === 'tsv') && to === inFormat;
  return {
    precision: opt.precision,
    dtype: opt.dtype,
    nonfinite: opt.nonfinite,
    delimiter: sameDialect ? inDelim : to === 'tsv' ? '\t' : ',',
    sameDialect,
    onNonfinite: () => void stats.nonfinite++,
  };
}

export async function makeWriter(to: Format, sink: Sink, w: WriteOptions): Promise<TableWriter> {
  switch (to) {
    case 'csv':
    case 'tsv':
      return CsvWriter.create(sink, w);
    case 'text':
      return new TextWriter(sink, w);
    case 'ndjson':
      return new NdjsonWriter(sink, w);
    case 'json':
      return new JsonTableWriter(sink, w);
    case 'npy': // npy seam: a table cannot be written as an array here
    case 'npz':
      throw new ActivError(`--to ${to} takes .npy, .npz or JSON tensor input`);
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

export const isBlank = (row: Row): boolean => row.cells.length === 0 && row.form === undefined;

/** A cell as a number, or undefined: strict syntax for text cells, JSON numbers for JSON. */
export function cellNumber(row: Row, i: number): number | undefined {
  const v = row.cells[i];
  if (row.form !== undefined) return jsonValueNumber(v);
  return typeof v === 'string' ? parseNumber(v) : undefined;
}

export function quoteValue(v: unknown): string {
  return `'${typeof v === 'string' ? v : JSON.stringify(v)}'`;
}

export function rowPlace(display: string, row: Row): string {
  return row.where ? `${display}: ${row.where}` : `${display}:${row.line}`;
}

export function cellPlace(display: string, row: Row, i: number): string {
  const col = row.keys ? row.keys[i] : String(i + 1);
  return row.where ? `${display}: ${row.where}, '${col}'` : `${display}:${row.line}:${col}`;
}
