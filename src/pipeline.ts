/**
 * reader -> select cells -> kernel -> writer, with backpressure.
 *
 * Tables (CSV, TSV, text, NDJSON, JSON records) stream in blocks of rows: the selected cells of a
 * block are parsed into one Float64Array, the kernel runs over it (element-wise: one call per
 * block; along rows: one vector per row), and the writer writes each row with its passthrough
 * cells. Down columns (--axis 0) the table is read in passes (the kernel's ColumnRun: per-column
 * state only), re-reading files and spilling stdin to a temporary file; glu, which has no
 * column passes, holds the selected values in memory. A JSON document is a tensor held in memory.
 *
 * The pipeline does no math of its own: every value goes through the kernel module.
 */
import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ActivError } from './errors.js';
import {
  DROP_CELL,
  headerCells,
  newBlock,
  NULL,
  outCells,
  PASS,
  PASS_CELL,
  ROW_BLANK,
  ROW_DATA,
  ROW_SKIPPED,
  type Block,
  type Format,
  type OutCell,
  type Row,
  type TableWriter,
  type WriteOptions,
} from './io/block.js';
import type { Selection } from './io/columns.js';
import { CsvWriter, readCsv } from './io/csv.js';
import { detectFormat } from './io/formats.js';
import {
  isNumericTensor,
  isRecords,
  JsonTableWriter,
  jsonTensor,
  jsonValueNumber,
  parseJsonDocument,
  readJsonText,
  recordRows,
  tensorText,
  type JsonTensor,
} from './io/json.js';
import { isRecord, NdjsonWriter, readNdjson } from './io/ndjson.js';
import { Replayable, skipLines, spill, type Input, type Sink } from './io/streams.js';
import { FdLane } from './fastlane/fdlane.js';
import { laneAccepts, TableLane, type TableLaneOptions } from './fastlane/table.js';
import { runLaneOverFile, runLaneOverStream, type LaneResult } from './fastlane/run.js';
import { readText, TextWriter } from './io/text.js';
import type { AxisKernel, Kernel } from './kernels/spec.js';
import { parseNumber } from './numbers/parse.js';
import { applyKernel, resolveAxis, type Tensor } from './tensor.js';

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
  readonly nonfinite: 'null' | 'string';
  /** The parameters as given, so worker threads can bind the same kernel. */
  readonly params?: Readonly<Record<string, unknown>>;
  /** 'general' turns the fast lane off (differential tests compare the two lanes). */
  readonly lane?: 'auto' | 'general';
  /** A note for stderr (the caller prefixes 'activ: ' and honours --quiet). */
  readonly note: (message: string) => void;
}

interface Stats {
  skipped: number;
  nonfinite: number;
}

/** Run every input through the activation into the sink, in order. */
export async function runPipeline(inputs: readonly Input[], opt: PipelineOptions, sink: Sink): Promise<void> {
  const stats: Stats = { skipped: 0, nonfinite: 0 };
  for (const given of inputs) {
    const { input, format } = await detectFormat(given, given.text !== undefined ? 'text' : opt.from);
    if (format === 'json') await runJsonDocument(input, opt, sink, stats);
    else await runTable(input, format, opt, sink, stats, tableSource(input, format, opt));
    await sink.flush();
  }
  if (stats.skipped) opt.note(`skipped ${stats.skipped} row${stats.skipped === 1 ? '' : 's'} with values that are not numbers`);
  if (stats.nonfinite) {
    opt.note(
      `wrote ${stats.nonfinite} NaN/Infinity value${stats.nonfinite === 1 ? '' : 's'} as null (JSON has no such numbers; --json-nonfinite string writes "NaN", "Infinity")`,
    );
  }
}

/** A way to read a table from its start; called again for each pass. */
type RowSource = () => AsyncIterable<Row[]>;

function tableSource(input: Input, format: Format, opt: PipelineOptions): RowSource {
  switch (format) {
    case 'csv':
      return () => readCsv(input, opt.delimiter ?? ',');
    case 'tsv':
      return () => readCsv(input, opt.delimiter ?? '\t');
    case 'text':
      return () => readText(input);
    case 'ndjson':
      return () => readNdjson(input);
    case 'json':
      throw new Error('a JSON document is not a row stream');
  }
}

function writeOptions(opt: PipelineOptions, stats: Stats, inFormat: Format, to: Format): WriteOptions {
  const inDelim = opt.delimiter ?? (inFormat === 'tsv' ? '\t' : ',');
  const sameDialect = (inFormat === 'csv' || inFormat === 'tsv') && to === inFormat;
  return {
    precision: opt.precision,
    nonfinite: opt.nonfinite,
    delimiter: sameDialect ? inDelim : to === 'tsv' ? '\t' : ',',
    sameDialect,
    onNonfinite: () => void stats.nonfinite++,
  };
}

async function makeWriter(to: Format, sink: Sink, w: WriteOptions): Promise<TableWriter> {
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
  }
}

// ---------------------------------------------------------------------------------------------
// Tables

const isBlank = (row: Row): boolean => row.cells.length === 0 && row.form === undefined;

/** A cell as a number, or undefined: strict syntax for text cells, JSON numbers for JSON. */
function cellNumber(row: Row, i: number): number | undefined {
  const v = row.cells[i];
  if (row.form !== undefined) return jsonValueNumber(v);
  return typeof v === 'string' ? parseNumber(v) : undefined;
}

function quoteValue(v: unknown): string {
  return `'${typeof v === 'string' ? v : JSON.stringify(v)}'`;
}

function rowPlace(display: string, row: Row): string {
  return row.where ? `${display}: ${row.where}` : `${display}:${row.line}`;
}

function cellPlace(display: string, row: Row, i: number): string {
  const col = row.keys ? row.keys[i] : String(i + 1);
  return row.where ? `${display}: ${row.where}, '${col}'` : `${display}:${row.line}:${col}`;
}

interface Opened {
  header?: Row;
  names?: string[];
  firstData?: Row;
  /** The selected cells of a row; decide = false: only look (a header row). */
  select(row: Row, decide?: boolean): number[];
  batches: AsyncIterable<Row[]>;
  /** Stop reading (the fast lane takes the bytes from here). */
  close(): Promise<void>;
}

/**
 * Open a table: look at its first rows to decide the header (CSV/TSV/text: the first row is a
 * header when some column holds text there and a number in the next row) and, without
 * --columns, which columns hold numbers (those whose first data cell is not text).
 */
async function openTable(source: RowSource, format: Format, input: Input, opt: PipelineOptions, notes: boolean): Promise<Opened> {
  const it = source()[Symbol.asyncIterator]();
  const pre: Row[] = [];
  let nonBlank = 0;
  let done = false;
  while (nonBlank < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    for (const row of r.value) {
      pre.push(row);
      if (!isBlank(row)) nonBlank++;
    }
  }
  const rowsLike = format === 'csv' || format === 'tsv' || format === 'text';
  let header: Row | undefined;
  const firstIdx = pre.findIndex((r) => !isBlank(r));
  if (rowsLike && firstIdx >= 0 && input.text === undefined) {
    const first = pre[firstIdx];
    let isHeader = opt.header;
    if (isHeader === undefined) {
      const second = pre.slice(firstIdx + 1).find((r) => !isBlank(r));
      const text = (row: Row, j: number): boolean => row.cells[j] !== '' && cellNumber(row, j) === undefined;
      if (second) {
        isHeader = false;
        for (let j = 0; j < Math.min(first.cells.length, second.cells.length); j++) {
          if (text(first, j) && cellNumber(second, j) !== undefined) isHeader = true;
        }
      } else {
        isHeader = first.cells.every((_, j) => text(first, j));
      }
    }
    if (isHeader) {
      header = first;
      pre.splice(firstIdx, 1);
    }
  }
  const names = header?.cells.map((c) => String(c));
  const firstData = pre.find((r) => !isBlank(r));

  let select: (row: Row, decide?: boolean) => number[];
  if (opt.columns) {
    const sel = opt.columns;
    if (sel.usesNames && !names && firstData && !firstData.keys) {
      throw new ActivError(`--columns '${sel.spec}' names columns, but ${input.display} has no header; use column numbers, or --header`);
    }
    // Check names against the header now, so a typo fails before any output.
    if (names) sel.indices(names.length, names);
    select = (row) => (row.keys ? sel.indices(row.cells.length, row.keys, true) : sel.indices(row.cells.length, names));
  } else {
    // Every numeric column: a column (or record key) whose first data cell is text passes
    // through. A column first seen in a later row (longer rows, new keys) is decided there.
    const passIdx = new Set<number>();
    const passKeys = new Set<string>();
    const seenKeys = new Set<string>();
    let decidedWidth = 0;
    const byWidth = new Map<number, number[]>();
    const isText = (row: Row, j: number): boolean => {
      const v = row.cells[j];
      return row.form !== undefined ? v !== null && jsonValueNumber(v) === undefined : v !== '' && cellNumber(row, j) === undefined;
    };
    const announce = (row: Row, described: string[], keys: boolean): void => {
      if (!described.length || !notes || row.form === 'scalar') return;
      const what = keys ? (described.length === 1 ? 'key' : 'keys') : described.length === 1 ? 'column' : 'columns';
      const first = row === firstData ? 'the first data row' : `its first row (${rowPlace(input.display, row).replace(`${input.display}:`, 'line ').replace(`${input.display}: `, '')})`;
      opt.note(`${input.display}: ${what} ${described.join(', ')} hold${described.length === 1 ? 's' : ''} text in ${first}: passed through (choose columns with -c)`);
    };
    select = (row, decide = true) => {
      if (row.keys) {
        const described: string[] = [];
        const out: number[] = [];
        for (let j = 0; j < row.keys.length; j++) {
          const k = row.keys[j];
          if (decide && !seenKeys.has(k)) {
            seenKeys.add(k);
            if (isText(row, j)) {
              passKeys.add(k);
              described.push(`'${k}'`);
            }
          }
          if (!passKeys.has(k)) out.push(j);
        }
        announce(row, described, true);
        return out;
      }
      const w = row.cells.length;
      if (decide && w > decidedWidth) {
        const described: string[] = [];
        for (let j = decidedWidth; j < w; j++) {
          if (!isText(row, j)) continue;
          passIdx.add(j);
          described.push(names && names[j] !== undefined ? `${j + 1} ('${names[j]}')` : String(j + 1));
        }
        decidedWidth = w;
        byWidth.clear();
        announce(row, described, false);
      }
      let sel = byWidth.get(w);
      if (!sel) {
        sel = [];
        for (let j = 0; j < w; j++) if (!passIdx.has(j)) sel.push(j);
        byWidth.set(w, sel);
      }
      return sel;
    };
    if (firstData) select(firstData);
  }

  async function* batches(): AsyncIterable<Row[]> {
    try {
      if (pre.length) yield pre;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Stopped early (an error, a closed pipe): close the reader and its file or stdin.
      if (!done) await it.return?.();
    }
  }
  const close = async (): Promise<void> => {
    if (!done) await it.return?.();
  };
  return { header, names, firstData, select, batches: batches(), close };
}

/** Parse a block's selected cells; invalid cells fail, skip the row, or are kept/nulled. */
function fillBlock(rows: Row[], o: Opened, opt: PipelineOptions, display: string, stats: Stats | undefined): Block {
  const sels: (number[] | undefined)[] = new Array(rows.length);
  let cap = 0;
  for (let r = 0; r < rows.length; r++) {
    if (isBlank(rows[r])) continue;
    const s = o.select(rows[r]);
    sels[r] = s;
    cap += s.length;
  }
  const b = newBlock(rows, cap);
  const { values, cellOf, start, state } = b;
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const sel = sels[r];
    if (!sel) {
      state[r] = ROW_BLANK;
      start[r + 1] = k;
      continue;
    }
    const row = rows[r];
    const k0 = k;
    let bad: { cell: number; action: typeof PASS | typeof NULL }[] | undefined;
    for (const i of sel) {
      const x = cellNumber(row, i);
      if (x === undefined) {
        if (opt.onInvalid === 'fail') {
          // Rows before this one are written (a stream writes what it has done), none after.
          b.failure = new ActivError(`${cellPlace(display, row, i)}: not a number: ${quoteValue(row.cells[i])}`, 'data');
          for (let q = r; q < rows.length; q++) {
            state[q] = ROW_SKIPPED;
            start[q + 1] = k0;
          }
          return b;
        }
        if (opt.onInvalid === 'skip') {
          state[r] = ROW_SKIPPED;
          break;
        }
        (bad ??= []).push({ cell: i, action: opt.onInvalid === 'null' ? NULL : PASS });
        continue;
      }
      values[k] = x;
      cellOf[k] = i;
      k++;
    }
    if (state[r] === ROW_SKIPPED) {
      k = k0;
      if (stats) stats.skipped++;
    } else if (bad) b.invalid.set(r, bad);
    start[r + 1] = k;
  }
  return b;
}

/** Apply the kernel along each row (element-wise, or axis-wise on the last axis). */
function applyRows(b: Block, kernel: Kernel, name: string, display: string): void {
  const n = b.rows.length;
  const total = b.start[n];
  if (kernel.kind === 'elementwise') {
    const w = kernel.width;
    if (w === undefined) {
      kernel.map(b.values, b.values, 0, total);
      return;
    }
    for (let r = 0; r < n; r++) {
      const s = b.start[r];
      const e = b.start[r + 1];
      if (b.state[r] !== ROW_DATA) continue;
      if (e - s !== w) {
        throw new ActivError(`${rowPlace(display, b.rows[r])}: ${name} has ${w} alpha values (one per column) but this row has ${e - s} selected values`, 'data');
      }
      kernel.map(b.values, b.values, s, e);
    }
    return;
  }
  const out = new Float64Array(Math.max(1, total));
  const outStart = new Int32Array(n + 1);
  let o = 0;
  for (let r = 0; r < n; r++) {
    const s = b.start[r];
    const len = b.start[r + 1] - s;
    if (len > 0) {
      let m: number;
      try {
        m = kernel.outLength(len);
      } catch (e) {
        if (e instanceof ActivError) throw new ActivError(`${rowPlace(display, b.rows[r])}: ${e.message}`, e.kind);
        throw e;
      }
      kernel.vector(b.values, s, 1, out, o, 1, len);
      o += m;
    }
    outStart[r + 1] = o;
  }
  b.out = out;
  b.outStart = outStart;
}

function writeBlock(b: Block, writer: TableWriter): void {
  for (let r = 0; r < b.rows.length; r++) {
    const st = b.state[r];
    if (st === ROW_SKIPPED) continue;
    writer.row(b.rows[r], st === ROW_BLANK ? [] : outCells(b, r));
  }
}

/** A header row for table outputs when the rows are records and there is no header. */
function recordHeader(o: Opened, to: Format): Row | undefined {
  if (o.header || !o.firstData?.keys || (to !== 'csv' && to !== 'tsv')) return undefined;
  return { line: 0, cells: o.firstData.keys, eol: '' };
}

async function runTable(input: Input, format: Format, opt: PipelineOptions, sink: Sink, stats: Stats, source: RowSource): Promise<void> {
  const { kernel, name } = opt;
  const down = kernel.kind === 'axiswise' && resolveAxis(kernel.axis, 2, name) === 0;
  if (down) return runColumns(input, format, opt, sink, stats, source);
  const to = opt.to ?? (format === 'json' ? 'json' : format);
  const laneFormat = (format === 'csv' || format === 'tsv' || format === 'text') && to === format && input.text === undefined;
  let replay: Replayable | undefined;
  if (laneFormat && !input.rereadable && opt.lane !== 'general' && laneAccepts(kernel)) {
    replay = new Replayable(input);
    input = replay.input;
    source = tableSource(input, format, opt);
  }
  const writer = await makeWriter(to, sink, writeOptions(opt, stats, format, to));
  const o = await openTable(source, format, input, opt, true);
  const header = o.header ?? recordHeader(o, to);
  let hcells: OutCell[] | undefined;
  if (header) {
    hcells = new Array(header.cells.length).fill(PASS_CELL);
    if (kernel.kind === 'axiswise' && o.header) {
      // glu halves the selected columns: the header loses the names of the second half.
      const sel = o.select(header, false);
      let keep = sel.length;
      try {
        keep = kernel.outLength(sel.length);
      } catch {
        // an odd count: reported with the first data row
      }
      hcells = headerCells(header.cells.length, sel, keep);
    }
  }
  writer.begin(header, hcells);
  let batches = o.batches;
  const lane = laneFormat ? laneOptions(format, opt, o) : undefined;
  if (lane) {
    await o.close();
    const skip = o.firstData!.line - 1;
    let r: LaneResult;
    if (replay) {
      const { rest } = await skipLines(replay.replay(), skip);
      r = await runLaneOverStream(rest, lane, sink);
    } else {
      const { offset, rest, close } = await skipLines(input.chunks(), skip);
      const st = input.path ? await stat(input.path).catch(() => undefined) : undefined;
      if (st?.isFile()) {
        await close();
        r = await runLaneOverFile(input.path, offset, st.size, lane, { activation: opt.name, params: opt.params ?? {} }, sink);
      } else r = await runLaneOverStream(rest, lane, sink);
    }
    if (!r.rest) {
      writer.end();
      return;
    }
    // The general lane goes on from the first line the fast lane did not take.
    const rest = r.rest;
    const restSource = tableSource({ ...input, rereadable: false, chunks: () => rest }, format, opt);
    batches = shiftLines(restSource(), skip + r.lines);
  } else replay?.forget();
  for await (const rows of batches) {
    const b = fillBlock(rows, o, opt, input.display, stats);
    applyRows(b, kernel, name, input.display);
    writeBlock(b, writer);
    await sink.flush();
    if (b.failure) throw b.failure;
  }
  writer.end();
}

/** Rows of a reader that started `base` lines into its input, numbered as in the whole input. */
async function* shiftLines(rows: AsyncIterable<Row[]>, base: number): AsyncIterable<Row[]> {
  for await (const batch of rows) yield batch.map((row) => ({ ...row, line: row.line + base }));
}

/**
 * The fast lane's options when it can give exactly what the general lane would from the first
 * data row on: a plain header and first row (no quotes, no blank lines before the data), a
 * one-byte delimiter, and the selection of the first data row for every row of its width (rows of
 * another width go back to the general lane).
 */
function laneOptions(format: Format, opt: PipelineOptions, o: Opened, columns = false): TableLaneOptions | undefined {
  if (opt.lane === 'general' || (!columns && !laneAccepts(opt.kernel))) return undefined;
  const first = o.firstData;
  if (!first || first.keys || first.raw || first.form !== undefined) return undefined;
  if (o.header ? o.header.raw !== undefined || o.header.line !== 1 || first.line !== 2 : first.line !== 1) return undefined;
  let sep = 32;
  if (format !== 'text') {
    const d = opt.delimiter ?? (format === 'tsv' ? '\t' : ',');
    const c = d.charCodeAt(0);
    if (d.length !== 1 || c >= 128 || c === 34 || c === 10 || c === 13 || c === 32) return undefined;
    sep = c;
  }
  const width = first.cells.length;
  if (width === 0) return undefined;
  const select = new Uint8Array(width);
  for (const i of o.select(first, false)) select[i] = 1;
  return { sep, select, rest: 0, width, kernel: opt.kernel, precision: opt.precision, crlf: o.header?.eol === '\r\n' };
}

/**
 * --axis 0 through the fast lane: every pass reads the file's bytes with positioned reads and
 * hands each row's values to the kernel's ColumnRun; the last pass writes. When the lane meets
 * a line it cannot take (in the first pass, as every pass reads the same bytes), nothing has
 * been written and the general lane does the whole job. Returns whether it did it.
 */
async function columnsByLane(
  input: Input,
  format: Format,
  lane: TableLaneOptions,
  kernel: AxisKernel,
  width: number,
  o: Opened,
  opt: PipelineOptions,
  stats: Stats,
  sink: Sink,
): Promise<boolean> {
  const st = input.path ? await stat(input.path).catch(() => undefined) : undefined;
  const run = kernel.columns?.(width);
  if (!st?.isFile() || !run) return false;
  const { offset, close } = await skipLines(input.chunks(), o.firstData!.line - 1);
  await close();
  const fd = openSync(input.path, 'r');
  try {
    while (run.wantsPass()) {
      const pass = new FdLane(new TableLane({ ...lane, perRow: (v, s) => run.observe(v, s), silent: true }), fd, offset, st.size);
      while (pass.step() !== undefined);
      if (pass.stopped) return false;
      run.endPass();
    }
    await o.close();
    const writer = await makeWriter(format, sink, writeOptions(opt, stats, format, format));
    writer.begin(o.header, o.header ? new Array(o.header.cells.length).fill(PASS_CELL) : undefined);
    const last = new FdLane(new TableLane({ ...lane, perRow: (v, s) => run.emit(v, s, v, s) }), fd, offset, st.size);
    for (let out = last.step(); out !== undefined; out = last.step()) await sink.writeBytes(out);
    writer.end();
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * --axis 0 on a table: per-column passes through the kernel's ColumnRun (constant memory:
 * files are read again for each pass, stdin is spilled to a temporary file first). Without a
 * ColumnRun (glu), the selected values are held in memory as one tensor.
 */
async function runColumns(input: Input, format: Format, opt: PipelineOptions, sink: Sink, stats: Stats, source: RowSource): Promise<void> {
  const kernel = opt.kernel as AxisKernel;
  const { name } = opt;
  if (opt.onInvalid === 'keep' || opt.onInvalid === 'null') {
    throw new ActivError(`--on-invalid ${opt.onInvalid} cannot be used with --axis 0: every column needs all its values; use fail or skip`);
  }
  let cleanup: (() => Promise<void>) | undefined;
  if (!input.rereadable) {
    const s = await spill(input);
    input = s.input;
    cleanup = s.cleanup;
    source = tableSource(input, format, opt);
  }
  try {
    const to = opt.to ?? (format === 'json' ? 'json' : format);
    const display = input.display;
    let o = await openTable(source, format, input, opt, true);
    const width = o.firstData ? o.select(o.firstData).length : 0;
    let firstLine = o.firstData?.line ?? 0;
    if ((format === 'csv' || format === 'tsv' || format === 'text') && to === format) {
      const lane = laneOptions(format, opt, o, true);
      if (lane && (await columnsByLane(input, format, lane, kernel, width, o, opt, stats, sink))) return;
    }

    /** Every data row's selected values, checked for equal length. */
    const blocks = async function* (opened: Opened, count: boolean): AsyncIterable<Block> {
      for await (const rows of opened.batches) {
        const b = fillBlock(rows, opened, opt, display, count ? stats : undefined);
        if (b.failure) throw b.failure;
        for (let r = 0; r < rows.length; r++) {
          if (b.state[r] !== ROW_DATA) continue;
          const n = b.start[r + 1] - b.start[r];
          if (n !== width) {
            throw new ActivError(
              `${rowPlace(display, rows[r])}: ${n} values in a row where line ${firstLine} has ${width}; --axis 0 works down columns and needs rows of equal length`,
              'data',
            );
          }
        }
        yield b;
      }
    };

    const run = kernel.columns?.(width);
    let memoryOut: Float64Array | undefined;
    let memoryRows = 0;
    if (run) {
      let first = true;
      while (run.wantsPass()) {
        if (!first) o = await openTable(source, format, input, opt, false);
        first = false;
        for await (const b of blocks(o, false)) {
          for (let r = 0; r < b.rows.length; r++) if (b.state[r] === ROW_DATA) run.observe(b.values, b.start[r]);
        }
        run.endPass();
      }
      o = await openTable(source, format, input, opt, false);
    } else {
      // No column passes for this activation (glu): hold the selected values in memory.
      const chunks: Float64Array[] = [];
      let n = 0;
      for await (const b of blocks(o, false)) {
        chunks.push(b.values.slice(0, b.start[b.rows.length]));
        for (let r = 0; r < b.rows.length; r++) if (b.state[r] === ROW_DATA) n++;
      }
      const data = new Float64Array(n * width);
      let p = 0;
      for (const c of chunks) {
        data.set(c, p);
        p += c.length;
      }
      const t = applyKernel(kernel, { data, shape: [n, width] }, name);
      memoryOut = t.data;
      memoryRows = t.shape[0];
      o = await openTable(source, format, input, opt, false);
    }
    firstLine = o.firstData?.line ?? 0;

    const writer = await makeWriter(to, sink, writeOptions(opt, stats, format, to));
    const header = o.header ?? recordHeader(o, to);
    writer.begin(header, header ? new Array(header.cells.length).fill(PASS_CELL) : undefined);
    let d = 0; // data rows so far
    for await (const b of blocks(o, true)) {
      for (let r = 0; r < b.rows.length; r++) {
        if (b.state[r] !== ROW_DATA) continue;
        const s = b.start[r];
        if (run) run.emit(b.values, s, b.values, s);
        else if (memoryOut) {
          if (d < memoryRows) b.values.set(memoryOut.subarray(d * width, (d + 1) * width), s);
          else b.state[r] = ROW_SKIPPED; // glu down columns halves the rows
        }
        d++;
      }
      writeBlock(b, writer);
      await sink.flush();
    }
    writer.end();
  } finally {
    await cleanup?.();
  }
}

// ---------------------------------------------------------------------------------------------
// JSON documents

async function runJsonDocument(input: Input, opt: PipelineOptions, sink: Sink, stats: Stats): Promise<void> {
  const display = input.display;
  const doc = parseJsonDocument(display, await readJsonText(input));
  const to = opt.to ?? 'json';
  if (isRecords(doc)) {
    const rows = recordRows(doc);
    const source: RowSource = async function* () {
      yield rows;
    };
    return runTable({ ...input, rereadable: true }, 'json', opt, sink, stats, source);
  }
  const w = writeOptions(opt, stats, 'json', to);
  if (isRecord(doc)) {
    if (to !== 'json' && to !== 'ndjson') {
      throw new ActivError(`${display}: a JSON object can only be written as JSON (--to json or ndjson), not ${to}`);
    }
    const keys = Object.keys(doc);
    const chosen = new Set(opt.columns ? opt.columns.indices(keys.length, keys).map((i) => keys[i]) : keys.filter((k) => isNumericTensor(doc[k])));
    if (chosen.size === 0) opt.note(`${display}: no key holds numbers or arrays of numbers; the object is written unchanged`);
    const parts: string[] = [];
    for (const k of keys) {
      const v = doc[k];
      const text = chosen.has(k) ? tensorOut(v, `${display}: '${k}'`, opt, w) : JSON.stringify(v);
      parts.push(JSON.stringify(k) + ':' + text);
    }
    sink.write('{' + parts.join(',') + '}\n');
    return;
  }
  if (to === 'json' || to === 'ndjson') {
    sink.write(tensorOut(doc, display, opt, w) + '\n');
    return;
  }
  // A tensor of rank 0, 1 or 2 as a table.
  const { t, result } = evaluateTensor(doc, display, opt);
  if (t.shape.length > 2) {
    throw new ActivError(`${display}: a ${t.shape.length}-D tensor cannot be written as ${to}; use --to json`);
  }
  const cols = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  const outCols = result.shape.length === 0 ? 1 : result.shape[result.shape.length - 1];
  const nrows = t.shape.length === 2 ? t.shape[0] : 1;
  const outRows = result.shape.length === 2 ? result.shape[0] : 1;
  const src = (t.shape.length === 0 ? [[doc]] : t.shape.length === 1 ? [doc] : doc) as unknown[][];
  const invalidAt = new Map(t.invalid.map((x) => [x.index, x]));
  const writer = await makeWriter(to, sink, w);
  writer.begin(undefined, undefined);
  for (let i = 0; i < Math.min(nrows, outRows); i++) {
    const cells: OutCell[] = [];
    for (let j = 0; j < cols; j++) {
      if (j >= outCols) cells.push(DROP_CELL);
      else if (invalidAt.has(i * cols + j)) cells.push(opt.onInvalid === 'null' ? { tag: NULL } : PASS_CELL);
      else cells.push(result.data[i * outCols + j]);
    }
    writer.row({ line: i + 1, cells: src[i], form: 'array', eol: '\n' }, cells);
  }
  writer.end();
}

/** Evaluate a JSON value as a tensor; invalid values fail, or (element-wise only) are kept or nulled. */
function evaluateTensor(v: unknown, where: string, opt: PipelineOptions): { t: JsonTensor; result: Tensor } {
  const t = jsonTensor(v, true, `${where}: `);
  if (!t) throw new ActivError(`${where}: expected a number or nested arrays of numbers`, 'data');
  if (t.invalid.length) {
    const first = t.invalid[0];
    const at = `${where}${first.path ? ' ' + first.path : ''}`;
    if (opt.onInvalid === 'fail') throw new ActivError(`${at}: not a number: ${quoteValue(first.value)}`, 'data');
    if (opt.onInvalid === 'skip') {
      throw new ActivError(`${at}: not a number: ${quoteValue(first.value)} (--on-invalid skip drops table rows; a JSON tensor has none: use keep or null)`, 'data');
    }
    if (opt.kernel.kind === 'axiswise') {
      throw new ActivError(`${at}: not a number: ${quoteValue(first.value)} (${opt.name} needs every value along its axis)`, 'data');
    }
  }
  return { t, result: applyKernel(opt.kernel, t, opt.name) };
}

function tensorOut(v: unknown, where: string, opt: PipelineOptions, w: WriteOptions): string {
  const { t, result } = evaluateTensor(v, where, opt);
  if (!t.invalid.length) return tensorText(result, w);
  const bad = new Map(t.invalid.map((x) => [x.index, x.value]));
  return tensorText(result, w, (i) => (bad.has(i) ? (opt.onInvalid === 'null' ? 'null' : JSON.stringify(bad.get(i))) : undefined));
}

