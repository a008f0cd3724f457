/**
 * Tables that stream by rows: open (header, column selection), parse a block of rows, apply the
 * kernel along each row, write; numeric CSV/TSV/text through the fast lane.
 */
import { stat } from 'node:fs/promises';
import { ActivError } from '../errors.js';
import {
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
} from '../io/block.js';
import { jsonValueNumber } from '../io/json.js';
import { Replayable, skipLines, type Input, type Sink } from '../io/streams.js';
import { laneAccepts, type TableLaneOptions } from '../fastlane/table.js';
import { runLaneOverFile, runLaneOverStream, type LaneResult } from '../fastlane/run.js';
import type { Kernel } from '../kernels/spec.js';
import {
  type PipelineOptions,
  type Stats,
  type RowSource,
  tableSource,
  writeOptions,
  makeWriter,
  isBlank,
  cellNumber,
  quoteValue,
  rowPlace,
  cellPlace,
} from './common.js';


export interface Opened {
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
export async function openTable(source: RowSource, format: Format, input: Input, opt: PipelineOptions, notes: boolean): Promise<Opened> {
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
export function fillBlock(rows: Row[], o: Opened, opt: PipelineOptions, display: string, stats: Stats | undefined): Block {
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
export function applyRows(b: Block, kernel: Kernel, name: string, display: string): void {
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

export function writeBlock(b: Block, writer: TableWriter): void {
  for (let r = 0; r < b.rows.length; r++) {
    const st = b.state[r];
    if (st === ROW_SKIPPED) continue;
    writer.row(b.rows[r], st === ROW_BLANK ? [] : outCells(b, r));
  }
}

/** A header row for table outputs when the rows are records and there is no header. */
export function recordHeader(o: Opened, to: Format): Row | undefined {
  if (o.header || !o.firstData?.keys || (to !== 'csv' && to !== 'tsv')) return undefined;
  return { line: 0, cells: o.firstData.keys, eol: '' };
}

export async function runTable(input: Input, format: Format, opt: PipelineOptions, sink: Sink, stats: Stats, source: RowSource): Promise<void> {
  const { kernel, name } = opt;
  const to = opt.to ?? (format === 'json' ? 'json' : format);
  const laneFormat = (format === 'csv' || format === 'tsv' || format === 'text') && to === format && input.text === undefined;
  let replay: Replayable | undefined;
  if (laneFormat && !input.rereadable && opt.lane !== 'general' && opt.dtype === undefined && laneAccepts(kernel)) {
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
export async function* shiftLines(rows: AsyncIterable<Row[]>, base: number): AsyncIterable<Row[]> {
  for await (const batch of rows) yield batch.map((row) => ({ ...row, line: row.line + base }));
}

/**
 * The fast lane's options when it can give exactly what the general lane would from the first
 * data row on: a plain header and first row (no quotes, no blank lines before the data), a
 * one-byte delimiter, and the selection of the first data row for every row of its width (rows of
 * another width go back to the general lane).
 */
export function laneOptions(format: Format, opt: PipelineOptions, o: Opened, columns = false): TableLaneOptions | undefined {
  if (opt.lane === 'general' || (!columns && !laneAccepts(opt.kernel))) return undefined;
  if (opt.dtype !== undefined) return undefined; // --dtype (check): the fast lane prints float64 digits only
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
