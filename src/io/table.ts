/**
 * What every table reader, writer and lane shares: the Row a reader yields, the one Block type
 * (a NumericBlock of selected values plus the rows it came from), the read and write plans, the
 * TableSource every lane implements, and how messages name places (file:line:column).
 *
 * A reader yields Rows: the cells of one record as the source holds them (strings for CSV, TSV
 * and text; JSON values for NDJSON and JSON records), the source text of each cell where the
 * format has one (CSV: for byte-for-byte passthrough), the line ending it came with and its
 * line number. A source selects cells, parses them into one Float64Array for the whole block
 * (so a kernel runs over the block in one call), applies the row step and hands the block to a
 * writer, which asks `outCells` what to write in each cell.
 */
import { escapeControls } from './escape.js';
import type { Digits } from '../numbers/format.js';
import type { RowStep } from '../tensor.js';
import type { Dtype } from '../numbers/dtype.js';
import { parseNumber } from '../numbers/parse.js';
import type { Selection } from './select.js';
import type { Input, Sink } from './streams.js';

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
  /** How many rows (rows.length): with values and start, the numeric block a row step takes. */
  readonly count: number;
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
    count: rows.length,
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
  /** Significant digits, { decimals } (--decimals), or undefined for the shortest round trip. */
  readonly precision?: Digits; // seam (shell, #14)
  /** --dtype: numbers are values of this dtype, printed with its shortest digits (unset: float64). */
  readonly dtype?: Dtype;
  /** JSON output: NaN and Infinity as null (counted) or as strings. */
  readonly nonfinite: 'null' | 'string';
  /** CSV/TSV output delimiter. */
  readonly delimiter: string;
  /** Set when cells' raw text may be written as is (input and output share the dialect). */
  readonly sameDialect: boolean;
  /** Counts NaN/Infinity written as null in JSON. */
  onNonfinite(): void;
  /** never: no header line (CSV, TSV, text), see header-out.ts. Seam (shell, #14). */
  readonly headerOut?: 'auto' | 'never';
}

/** One writer per output format. `begin` writes the header, if any; `end` closes the document. */
export interface TableWriter {
  begin(header: Row | undefined, cells: OutCell[] | undefined): void;
  row(row: Row, cells: OutCell[]): void;
  end(): void;
}

/** Source text of a decoded cell for text-like outputs. */
export function cellText(row: Row, i: number): string {
  const v = row.cells[i];
  if (typeof v === 'string') return v;
  if (v === undefined) return '';
  // A JSON value other than a string: its source text (big integers, 1.0, 1e2 kept), compact.
  if (row.form !== undefined && row.raw) return row.raw[i];
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------------
// Plans: the options narrowed once (src/pipeline/plan.ts builds them), passed as such.

export type OnInvalid = 'fail' | 'skip' | 'keep' | 'null';

export interface ReadPlan {
  /** undefined: detect from the extension, else the content. */
  readonly from?: Format;
  /** undefined: detect. */
  readonly header?: boolean;
  /** CSV/TSV input delimiter (default ',' and tab); given, it means delimited input. */
  readonly delimiter?: string;
  readonly columns?: Selection;
  /** Spellings of a missing value (--na): such cells follow --on-invalid like an empty one. */
  readonly na?: ReadonlySet<string>;
  readonly onInvalid: OnInvalid;
  /** 'general' turns the byte lanes off (the differential tests compare the two). */
  readonly lane: 'auto' | 'general';
}

export interface WritePlan {
  /** undefined: the input's format. */
  readonly to?: Format;
  /** Significant digits, { decimals } (--decimals), or undefined for the shortest round trip. */
  readonly precision?: Digits; // seam (shell, #14)
  /** --dtype narrower than float64: the kernel is already wrapped; writers print that dtype's digits. */
  readonly dtype?: Dtype;
  readonly nonfinite: 'null' | 'string';
  /** --header-out never: no header line in CSV/TSV/text output. Seam (shell, #14). */
  readonly headerOut?: 'auto' | 'never';
}

/** What a run tells its user at the end, and the notes on the way (the caller honours --quiet). */
export interface Report {
  note(message: string): void;
  skipped: number;
  nonfinite: number;
}

/** Everything the I/O needs: how to read and write, the report, and how workers rebuild a step. */
export interface TablePlan {
  readonly read: ReadPlan;
  readonly write: WritePlan;
  readonly report: Report;
}

/** What the first rows of a table decided: its header, and which cells of a row are selected. */
export interface TableHead {
  readonly format: Format;
  readonly display: string;
  readonly header?: Row;
  readonly names?: string[];
  readonly firstData?: Row;
  /** Cells selected in the first data row (read here, or by a lane before the hand-over); undefined without one. */
  readonly firstWidth?: number;
  /** The selected cells of a row; decide = false: only look (a header row). */
  select(row: Row, decide?: boolean): number[];
}

/**
 * A table read once from its first data row: each block of rows goes through the step and, when
 * the step writes, to the writer. `reopen` gives the same table from its start for another pass
 * (files are read again, one-shot streams were spilled once).
 */
export interface TableSource {
  readonly head: TableHead;
  pass(step: RowStep, out?: TableOutput): Promise<void>;
  reopen(): Promise<TableSource>;
  close(): Promise<void>;
}

/** A writer and the sink it writes to (for backpressure, and for byte lanes). */
export interface TableOutput {
  readonly writer: TableWriter;
  readonly sink: Sink;
  readonly format: Format;
  readonly options: WriteOptions;
}

// ---------------------------------------------------------------------------------------------
// Cells and places in messages

export const isBlank = (row: Row): boolean => row.cells.length === 0 && row.form === undefined;

/** A JSON value as a number: numbers, and the strings NaN, Infinity, -Infinity. */
export function jsonValueNumber(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v === 'NaN') return NaN;
  if (v === 'Infinity') return Infinity;
  if (v === '-Infinity') return -Infinity;
  return undefined;
}

/** A cell as a number, or undefined: strict syntax for text cells, JSON numbers for JSON. */
export function cellNumber(row: Row, i: number): number | undefined {
  const v = row.cells[i];
  if (row.form !== undefined) return jsonValueNumber(v);
  return typeof v === 'string' ? parseNumber(v) : undefined;
}

/** Longer values are shortened in messages, which stay one line. */
const QUOTE_MAX = 60;

/**
 * A value in single quotes for a one-line message: control characters, newlines and escape
 * sequences are shown escaped (\n, \t, \x00, \x1b), so a cell can neither break the line nor
 * drive the terminal of whoever reads the error; long values are shortened.
 */
export function quoteValue(v: unknown): string {
  let s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  if (s.length > QUOTE_MAX) s = s.slice(0, QUOTE_MAX - 3) + '...';
  return `'${escapeControls(s)}'`;
}

export function rowPlace(display: string, row: Row): string {
  return row.where ? `${display}: ${row.where}` : `${display}:${row.line}`;
}

export function cellPlace(display: string, row: Row, i: number): string {
  const col = row.keys ? row.keys[i] : String(i + 1);
  return row.where ? `${display}: ${row.where}, '${col}'` : `${display}:${row.line}:${col}`;
}

/** Input is the reader's side of a TableSource; re-exported so lanes import one module. */
export type { Input };
