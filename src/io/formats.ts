/**
 * The only switch on format names: which format an input is in (--from, else the file
 * extension, else a look at the content), how a table in it is opened (through a byte lane where
 * one exists), and which writer writes a format.
 * Adding a format: a reader and writer in its own file, a name in FORMATS, a line here.
 */
import { applyHeaderOut } from './header-out.js';
import { promises as fsp } from 'node:fs';
import { ActivError } from '../errors.js';
import type { RowStep } from '../tensor.js';
import { CsvWriter, readCsv, readCsvPlain } from './csv.js';
import { textOnly } from './binary.js';
import { readHead } from './fastlane/bytes.js';
import { openLane } from './fastlane/source.js';
import { openRows, type RowReader } from './general.js';
import { JsonTableWriter } from './json.js';
import { NdjsonWriter, readNdjson } from './ndjson.js';
import { spill, type Input, type Sink } from './streams.js';
import {
  FORMATS,
  headerCells,
  PASS_CELL,
  type Format,
  type OutCell,
  type ReadPlan,
  type Row,
  type TableHead,
  type TableOutput,
  type TablePlan,
  type TableSource,
  type TableWriter,
} from './table.js';
import { readText, TextWriter } from './text.js';
import { BY_EXT, formatFromExtension, sniff } from './format-names.js';

export { formatFromExtension, sniff };

export function parseFormat(s: string, flag: string): Format {
  const f = s.toLowerCase() === 'jsonl' ? 'ndjson' : s.toLowerCase() === 'txt' ? 'text' : s.toLowerCase();
  if (!(FORMATS as readonly string[]).includes(f)) {
    throw new ActivError(`${flag} '${s}': expected one of ${FORMATS.join(', ')}`);
  }
  return f as Format;
}

/**
 * npy seam: the output format an `-o` path implies when --to is not given: .npy and .npz always
 * (binary); another known extension only when the input is a NumPy file (`x.npy -o y.csv`).
 */
export function outputFormatFromPath(path: string | undefined, inputIsArray: boolean): Format | undefined {
  const m = path === undefined ? null : /\.([A-Za-z0-9]+)$/.exec(path);
  const f = m ? BY_EXT[m[1].toLowerCase()] : undefined;
  return f === 'npy' || f === 'npz' || inputIsArray ? f : undefined;
}

/** The first bytes of an input, without consuming it (a one-shot input is replaced by one that replays them). */
export async function peek(input: Input, bytes = 1 << 16): Promise<{ input: Input; head: string }> {
  if (input.text !== undefined) return { input, head: input.text.slice(0, bytes) };
  if (input.rereadable) {
    let fh: fsp.FileHandle | undefined;
    try {
      fh = await fsp.open(input.path, 'r');
      const buf = Buffer.alloc(bytes);
      const { bytesRead } = await fh.read(buf, 0, bytes, 0);
      return { input, head: buf.subarray(0, bytesRead).toString('utf8') };
    } catch {
      // Let the real read report the error with its message.
      return { input, head: '' };
    } finally {
      await fh?.close();
    }
  }
  // A pipe may deliver a few bytes at a time: read until two lines are in, 64 KiB, or the end.
  const twoLines = (h: Buffer): boolean => {
    const nl = h.indexOf(10);
    return h.length >= bytes || (nl >= 0 && h.indexOf(10, nl + 1) >= 0);
  };
  const { head, rest } = await readHead(input.chunks(), twoLines);
  return { input: { ...input, chunks: () => rest }, head: head.toString('utf8') };
}

/** The input's format: inline numbers are text; else --from, the extension, or the content. */
export async function detectFormat(input: Input, read: Pick<ReadPlan, 'from' | 'delimiter'>): Promise<{ input: Input; format: Format }> {
  const found = await formatOf(input, read);
  // text formats refuse binary input (UTF-16, NUL bytes, zip, .npy) before any output
  return isArrayFile(found.format) || input.kind === 'inline' ? found : { ...found, input: textOnly(found.input) };
}

async function formatOf(input: Input, read: Pick<ReadPlan, 'from' | 'delimiter'>): Promise<{ input: Input; format: Format }> {
  if (input.kind === 'inline') return { input, format: 'text' };
  if (read.from) return { input, format: read.from };
  // -d means delimited input, whatever the extension says
  if (read.delimiter !== undefined) return { input, format: read.delimiter === '\t' ? 'tsv' : 'csv' };
  const byExt = formatFromExtension(input.ext);
  if (byExt) return { input, format: byExt };
  const p = await peek(input);
  return { input: p.input, format: sniff(p.head) };
}

/** One JSON value per line (NDJSON), which has a byte lane of its own. */
export function isLineDocuments(format: Format): boolean {
  return format === 'ndjson';
}

/** A JSON document is read whole (a tensor of its own shape, records, or an object of tensors); the rest are tables. */
export function isDocument(format: Format): boolean {
  return format === 'json';
}

/** npy seam: a NumPy array file (.npy, .npz archive): neither a table nor a document; src/io/arrays.ts runs it. */
export function isArrayFile(format: Format | undefined): format is 'npy' | 'npz' {
  return format === 'npy' || format === 'npz';
}

/** Rows of a table format over an input's bytes; `base` lines came before them (a byte lane took them). */
export type RowsOf = (input: Input, base?: number) => RowReader;

/** Rows of a table format over an input's bytes. */
function rowReader(format: Format, plan: TablePlan): RowsOf {
  const general = plan.read.lane === 'general';
  switch (format) {
    case 'csv':
    case 'tsv': {
      const d = delimiterOf(format, plan);
      return (input, base) => () => (general ? readCsv : readCsvPlain)(input, d, base);
    }
    case 'text':
      return (input, base) => () => readText(input, base);
    case 'ndjson':
      return (input) => () => readNdjson(input);
    case 'json':
      throw new Error('a JSON document is not a row stream');
    case 'npy': // npy seam: arrays go through src/io/arrays.ts
    case 'npz':
      throw new Error('a NumPy array is not a row stream');
  }
}

function delimiterOf(format: Format, plan: TablePlan): string {
  return plan.read.delimiter ?? (format === 'tsv' ? '\t' : ',');
}

/** How a table will be read: once (along rows) or in several passes (down the columns). */
export type Passes = 'one' | 'many';

/**
 * Open a table: its head is read (header, column choice) and the source reads the rest. For
 * several passes a one-shot input is spilled to a temporary file first (removed on close).
 */
export async function openTable(given: { input: Input; format: Format }, plan: TablePlan, passes: Passes): Promise<TableSource> {
  const { format } = given;
  let input = given.input;
  let cleanup: (() => Promise<void>) | undefined;
  if (passes === 'many' && !input.rereadable) {
    const s = await spill(input);
    input = s.input;
    cleanup = s.cleanup;
  }
  const rowsOf = rowReader(format, plan);
  const place = { format, display: input.display, inline: input.kind === 'inline', notes: true };
  const origin = { reader: rowsOf(input), place, plan, cleanup };
  const byteLane = (format === 'csv' || format === 'tsv' || format === 'text') && input.kind !== 'inline' && plan.read.lane !== 'general' && !plan.read.na;
  try {
    if (byteLane) return await openLane({ ...origin, input, rowsOf, delimiter: delimiterOf(format, plan), passes });
    return await openRows(origin);
  } catch (e) {
    await cleanup?.();
    throw e;
  }
}

/** Rows already in memory (JSON records) as a table. */
export function tableOfRows(rows: Row[], display: string, plan: TablePlan): Promise<TableSource> {
  const place = { format: 'json' as const, display, inline: false, notes: true };
  return openRows({
    reader: async function* () {
      yield rows;
    },
    place,
    plan,
  });
}

/** The writer for a table's output: --to, else the input's own format (inline numbers: text). */
export async function createOutput(sink: Sink, plan: TablePlan, head: Pick<TableHead, 'format'>): Promise<TableOutput> {
  const from = head.format;
  const to = plan.write.to ?? from;
  const sameDialect = (from === 'csv' || from === 'tsv') && to === from;
  const options = {
    precision: plan.write.precision,
    dtype: plan.write.dtype,
    nonfinite: plan.write.nonfinite,
    delimiter: sameDialect ? delimiterOf(from, plan) : to === 'tsv' ? '\t' : ',',
    sameDialect,
    onNonfinite: () => void plan.report.nonfinite++,
    headerOut: plan.write.headerOut, // seam (shell, #14)
  };
  let writer: TableWriter;
  switch (to) {
    case 'csv':
    case 'tsv':
      writer = await CsvWriter.create(sink, options);
      break;
    case 'text':
      writer = new TextWriter(sink, options);
      break;
    case 'ndjson':
      writer = new NdjsonWriter(sink, options);
      break;
    case 'json':
      writer = new JsonTableWriter(sink, options);
      break;
    case 'npy': // npy seam: a table cannot be written as an array (yet)
    case 'npz':
      throw new ActivError(`--to ${to} takes .npy, .npz or JSON tensor input`);
  }
  writer = applyHeaderOut(writer, to, options); // seam (shell, #14): --header-out never
  return { writer, sink, format: to, options };
}

/**
 * Write a table's header: the input's header (glu drops the names of the selected columns it
 * removes), or, for records written as CSV/TSV, a header of their keys.
 */
export function beginTable(out: TableOutput, head: TableHead, step: RowStep): void {
  let header = head.header;
  if (!header && head.firstData?.keys && (out.format === 'csv' || out.format === 'tsv')) {
    header = { line: 0, cells: head.firstData.keys, eol: '' };
  }
  let cells: OutCell[] | undefined;
  if (header) {
    cells = new Array(header.cells.length).fill(PASS_CELL);
    if (head.header && !step.keepsLength) {
      const sel = head.select(header, false);
      let keep = sel.length;
      try {
        keep = step.outLength(sel.length);
      } catch {
        // an odd count: reported with the first data row
      }
      cells = headerCells(header.cells.length, sel, keep);
    }
  }
  out.writer.begin(header, cells);
}
