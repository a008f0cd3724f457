/**
 * The one block type every table reader fills and every table writer drains.
 *
 * A reader yields Rows: the cells of one record as the source holds them (strings for CSV, TSV
 * and text; JSON values for NDJSON and JSON records), the source text of each cell where the
 * format has one (CSV: for byte-for-byte passthrough), the line ending it came with and its
 * line number. The pipeline selects cells, parses them into one Float64Array for the whole
 * block (so a kernel runs over the block in one call), applies the kernel and hands the block
 * to a writer, which asks `outCells` what to write in each cell.
 */
import type { Dtype } from '../numbers/dtype.js';

export type Format = 'csv' | 'tsv' | 'json' | 'ndjson' | 'text' | 'npy' | 'npz';
export const FORMATS: readonly Format[] = ['csv', 'tsv', 'json', 'ndjson', 'text', 'npy', 'npz'];

export interface Row {
  /** 1-based line where the record starts, for messages. */
  readonly line: number;
  /** Names the row in messages instead of its line (JSON records: 'record 3'). */
  readonly where?: string;
  /** Cells as decoded from the source: strings (CSV, TSV, text) or JSON values (NDJSON, JSON). */
  readonly cells: readonly unknown[];
  /** The source text of each cell (CSV/TSV: quotes included), when it differs from `cells`. */
  readonly raw?: readonly string[];
  /** JSON records: the key of each cell. */
  readonly keys?: readonly string[];
  /** NDJSON/JSON: whether the line held a bare number, an array or an object. */
  readonly form?: 'scalar' | 'array' | 'record';
  /** '\n', '\r\n', or '' where the source had none (last line); writers then use the previous one. */
  readonly eol: string;
}

/** What a writer puts in a cell: a number, the source cell unchanged, an empty/null cell, or nothing. */
export const PASS = 0;
export const NULL = 1;
export const DROP = 2;
export type OutCell = number | { readonly tag: typeof PASS | typeof NULL | typeof DROP };
export const PASS_CELL = Object.freeze({ tag: PASS }) as { readonly tag: typeof PASS };
export const NULL_CELL = Object.freeze({ tag: NULL }) as { readonly tag: typeof NULL };
export const DROP_CELL = Object.freeze({ tag: DROP }) as { readonly tag: typeof DROP };

/** Row states in a block. */
export const ROW_DATA = 0;
export const ROW_SKIPPED = 1; // dropped by --on-invalid skip: not written
export const ROW_BLANK = 2; // an empty line: written back as an empty line

export interface Block {
  readonly rows: Row[];
  readonly state: Uint8Array;
  /** Selected values, row after row: row r owns values[start[r] .. start[r + 1]). */
  values: Float64Array;
  readonly start: Int32Array;
  /** For each value slot, the index of its cell in the row. */
  cellOf: Int32Array;
  /** Results: row r owns out[outStart[r] .. outStart[r + 1]); out may be values. */
  out: Float64Array;
  outStart: Int32Array;
  /** Selected cells that were not numbers and are kept (PASS) or nulled (NULL), by row. */
  readonly invalid: Map<number, { cell: number; action: typeof PASS | typeof NULL }[]>;
  /** A bad cell with --on-invalid fail: the rows before it are complete, the rest are not written. */
  failure?: Error;
}

export function newBlock(rows: Row[], capacity: number): Block {
  const start = new Int32Array(rows.length + 1);
  const values = new Float64Array(Math.max(1, capacity));
  return {
    rows,
    state: new Uint8Array(rows.length),
    values,
    start,
    cellOf: new Int32Array(values.length),
    out: values,
    outStart: start,
    invalid: new Map(),
  };
}

/** The cells a writer writes for row r, aligned with row.cells. */
export function outCells(b: Block, r: number): OutCell[] {
  const row = b.rows[r];
  const cells: OutCell[] = new Array(row.cells.length).fill(PASS_CELL);
  const s = b.start[r];
  const n = b.start[r + 1] - s;
  const os = b.outStart[r];
  const m = b.outStart[r + 1] - os;
  for (let k = 0; k < n; k++) cells[b.cellOf[s + k]] = k < m ? b.out[os + k] : DROP_CELL;
  const bad = b.invalid.get(r);
  if (bad) for (const { cell, action } of bad) cells[cell] = action === NULL ? NULL_CELL : PASS_CELL;
  return cells;
}

/** A header's cells: passed through, except those glu removes (`dropFrom` on of the selected ones). */
export function headerCells(width: number, selected: readonly number[], keep: number): OutCell[] {
  const cells: OutCell[] = new Array(width).fill(PASS_CELL);
  for (let k = keep; k < selected.length; k++) if (selected[k] < width) cells[selected[k]] = DROP_CELL;
  return cells;
}

/** Where a table writer sends its text. */
export interface TextSink {
  write(s: string): void;
}

export interface WriteOptions {
  /** Significant digits, or undefined for the shortest round trip. */
  readonly precision?: number;
  /** --dtype (check): numbers are values of this dtype, printed with its shortest digits. */
  readonly dtype?: Dtype;
  /** JSON output: NaN and Infinity as null (counted) or as strings. */
  readonly nonfinite: 'null' | 'string';
  /** CSV/TSV output delimiter. */
  readonly delimiter: string;
  /** Set when cells' raw text may be written as is (input and output share the dialect). */
  readonly sameDialect: boolean;
  /** Counts NaN/Infinity written as null in JSON. */
  onNonfinite(): void;
}

/** One writer per output format. `begin` writes the header, if any; `end` closes the document. */
export interface TableWriter {
  begin(header: Row | undefined, cells: OutCell[] | undefined): void;
  row(row: Row, cells: OutCell[]): void;
  end(): void;
}

/** Source text of a decoded cell for text-like outputs. */
export function cellText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  return JSON.stringify(v);
}
