/**
 * CSV and TSV (CSV with a tab delimiter), the general lane: csv-parse reads (quotes, a BOM,
 * CRLF or LF per line), csv-stringify quotes cells that come from another format. Both libraries
 * are imported only when a CSV/TSV input or output needs them, so start-up stays fast.
 *
 * Cells that are passed through are written as their source text (quotes and all) when input and
 * output share the delimiter, so ids and labels survive byte for byte; line endings are kept as
 * they came.
 */
import { Readable } from 'node:stream';
import { ActivError } from '../errors.js';
import { formatNumberAs } from '../numbers/dtype.js';
import { escapeControls } from './escape.js';
import { cellText, DROP, NULL, quoteValue, type OutCell, type Row, type TableWriter, type TextSink, type WriteOptions } from './table.js';
import type { Input } from './streams.js';
import { bomLength, hasLoneCr, lineChunks } from './lines.js';
import { pipeInto } from './pipe.js';

interface CsvParseError extends Error {
  code?: string;
  lines?: number;
  /** 0-based index of the field being read. */
  index?: number;
  field?: string;
}

/** csv-parse's errors in activ's words, one line, with the line (counted in the whole input) and a 1-based column. */
function csvMessage(display: string, e: CsvParseError, base: number): string {
  const at = e.lines ? `${display}:${base + e.lines}${e.index !== undefined ? `:${e.index + 1}` : ''}` : display;
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${at}: a quoted field is not closed before the end of the input`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${at}: a quote inside a quoted field must be doubled ("")`;
    case 'INVALID_OPENING_QUOTE':
    case 'CSV_INVALID_OPENING_QUOTE':
      return `${at}: a quote in the middle of an unquoted field${e.field !== undefined ? ` ${quoteValue(e.field + '"')}` : ''}; quote the whole field ("...") and double the quotes inside`;
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return `${at}: text after a closing quote; quote the whole field and double the quotes inside`;
    case 'CSV_MAX_RECORD_SIZE':
      return `${at}: a record longer than csv-parse's limit`;
    default:
      return `${at}: CSV: ${escapeControls(e.message.replace(/\.$/, ''))}`;
  }
}

/** Split a record's source text into the source text of each field (quotes kept). */
export function splitRaw(raw: string, delimiter: string): string[] {
  const fields: string[] = [];
  const len = raw.length;
  let i = 0;
  for (;;) {
    let j = i;
    if (raw.charCodeAt(j) === 34) {
      j++;
      while (j < len) {
        if (raw.charCodeAt(j) === 34) {
          if (raw.charCodeAt(j + 1) === 34) j += 2;
          else {
            j++;
            break;
          }
        } else j++;
      }
    }
    let k = raw.indexOf(delimiter, j);
    if (k < 0) k = len;
    fields.push(raw.slice(i, k));
    if (k === len) return fields;
    i = k + delimiter.length;
  }
}

/** Rows of a CSV/TSV input, in batches. An empty line is a row with no cells. */
export async function* readCsv(input: Input, delimiter: string, base = 0): AsyncIterable<Row[]> {
  const { parse } = await import('csv-parse');
  const parser = parse({
    delimiter,
    bom: true,
    raw: true,
    info: true,
    relax_column_count: true,
    record_delimiter: ['\r\n', '\n', '\r'], // a lone CR ends a line too (old Mac files, some exports)
    skip_empty_lines: false,
  });
  const source = Readable.from(input.chunks());
  source.on('error', (e) => parser.destroy(e));
  pipeInto(source, parser);
  let prevEnd = 0;
  let prevBytes = 0;
  let held: Row | undefined;
  let lastEol: string | undefined;
  let batch: Row[] = [];
  let batchCells = 0;
  try {
    for await (const rec of parser as AsyncIterable<{ record: string[]; raw: string; info: { lines: number; bytes: number } }>) {
      let raw = rec.raw;
      let eol = '';
      // csv-parse's raw text ends in '\n' for LF lines but only in '\r' for CRLF and lone-CR lines:
      // the bytes it consumed past the raw text tell the two apart (the BOM adds 3 to the first).
      const extra = rec.info.bytes - prevBytes - Buffer.byteLength(raw);
      prevBytes = rec.info.bytes;
      if (raw.endsWith('\n')) {
        eol = '\n';
        raw = raw.slice(0, -1);
      } else if (raw.endsWith('\r')) {
        eol = extra === 1 || extra === 4 ? '\r\n' : '\r';
        raw = raw.slice(0, -1);
      }
      const line = base + prevEnd + 1;
      prevEnd = rec.info.lines;
      let cells: string[] = rec.record;
      let rawCells: string[] | undefined;
      if (cells.length === 1 && raw === '') cells = [];
      else if (raw.includes('"')) {
        rawCells = splitRaw(raw, delimiter);
        if (rawCells.length !== cells.length) rawCells = undefined;
      }
      // A row is held until the next one comes: only then is a lone CR known to be a line end
      // and not the last byte of the input.
      if (held) {
        if (held.eol) lastEol = held.eol;
        batch.push(held);
      }
      held = rawCells ? { line, cells, raw: rawCells, eol } : { line, cells, eol };
      batchCells += cells.length;
      // by cells as well as rows: 1024 rows of a 1000-column file would hold a million strings;
      // and whenever the parser has nothing more queued, so a live stream's rows go out as they come
      if (batch.length >= 1024 || batchCells >= 1 << 15 || (batch.length && parser.readableLength === 0)) {
        yield batch;
        batch = [];
        batchCells = 0;
      }
    }
  } catch (e) {
    if (e instanceof ActivError) throw e;
    throw new ActivError(csvMessage(input.display, e as CsvParseError, base), 'data');
  } finally {
    source.destroy();
  }
  // a CR alone at the very end is CRLF, as the byte lane reads it, unless the lines end in lone CRs
  if (held) batch.push(held.eol === '\r' && lastEol !== '\r' ? { ...held, eol: '\r\n' } : held);
  if (batch.length) yield batch;
}

/**
 * Rows of a CSV/TSV input without loading csv-parse while no quote has been seen: a line split at
 * the delimiter is then exactly the record csv-parse makes of it (same cells, line ending, BOM
 * handling). From the first chunk that holds a quote on, csv-parse reads the rest, starting at the
 * line being read, with the line numbers continued. Saves csv-parse's start-up (about 25 ms) for
 * the common plain file; ACTIV_LANE=general keeps to csv-parse alone, which the tests compare.
 */
export async function* readCsvPlain(input: Input, delimiter: string, base = 0): AsyncIterable<Row[]> {
  // chunks regrouped at newlines, so a long line is joined once (linear time)
  const it = lineChunks(input.chunks())[Symbol.asyncIterator]();
  try {
    let carry: Buffer = Buffer.alloc(0);
    let line = base; // lines before this input's first byte (a byte lane took them)
    let start = true;
    for (;;) {
      const r = await it.next();
      let buf = r.done ? carry : carry.length ? Buffer.concat([carry, r.value]) : r.value;
      if (start && (buf.length >= 3 || r.done)) {
        buf = buf.subarray(bomLength(buf));
        start = false;
      }
      if (buf.includes(34) || hasLoneCr(buf)) {
        const head = buf;
        const rest = async function* (): AsyncIterable<Buffer> {
          yield head;
          for (;;) {
            const x = await it.next();
            if (x.done) return;
            yield x.value;
          }
        };
        const before = line;
        for await (const batch of readCsv({ ...input, chunks: rest }, delimiter, before)) yield batch;
        return;
      }
      const rows: Row[] = [];
      let p = 0;
      for (;;) {
        const q = buf.indexOf(10, p);
        if (q < 0) break;
        const cr = q > p && buf[q - 1] === 13;
        rows.push(plainRow(buf.toString('utf8', p, cr ? q - 1 : q), delimiter, ++line, cr ? '\r\n' : '\n'));
        p = q + 1;
      }
      if (r.done) {
        if (p < buf.length) {
          // the last line has no LF; a CR alone at its end counts as CRLF, as readCsv reads it
          const cr = buf[buf.length - 1] === 13;
          rows.push(plainRow(buf.toString('utf8', p, cr ? buf.length - 1 : buf.length), delimiter, ++line, cr ? '\r\n' : ''));
        }
        if (rows.length) yield rows;
        return;
      }
      carry = buf.subarray(p);
      if (rows.length) yield rows;
    }
  } finally {
    // A reader stopped early (the byte lane takes over after the head, an error): close the
    // chunks under it, or the file's descriptor stays open (seen: one per input file, EMFILE).
    await it.return?.();
  }
}

function plainRow(text: string, delimiter: string, line: number, eol: string): Row {
  return { line, cells: text === '' ? [] : text.split(delimiter), eol };
}

type Stringify = (records: string[][], options: Record<string, unknown>) => string;

export class CsvWriter implements TableWriter {
  private eol = '\n';
  private constructor(
    private readonly sink: TextSink,
    private readonly opt: WriteOptions,
    private readonly stringify: Stringify | undefined,
  ) {}

  static async create(sink: TextSink, opt: WriteOptions): Promise<CsvWriter> {
    // start-up seam (issue 11): only cells from another dialect are ever quoted, so only then is csv-stringify loaded
    const stringify = opt.sameDialect ? undefined : ((await import('csv-stringify/sync')).stringify as unknown as Stringify);
    return new CsvWriter(sink, opt, stringify);
  }

  begin(header: Row | undefined, cells: OutCell[] | undefined): void {
    if (header && cells) this.row(header, cells);
  }

  row(row: Row, cells: OutCell[]): void {
    if (row.eol) this.eol = row.eol;
    const { delimiter, sameDialect } = this.opt;
    const out: string[] = [];
    let needQuote = false;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      if (typeof c === 'number') out.push(formatNumberAs(c, this.opt));
      else if (c.tag === DROP) continue;
      else if (c.tag === NULL) out.push('');
      else if (sameDialect) out.push(row.raw ? row.raw[i] : (row.cells[i] as string));
      else {
        const s = cellText(row, i);
        if (/["\r\n]/.test(s) || s.includes(delimiter)) needQuote = true;
        out.push(s);
      }
    }
    if (needQuote) {
      // Cells from another format: let csv-stringify quote them.
      this.sink.write(this.stringify!([out], { delimiter, record_delimiter: this.eol, eof: false }) + this.eol);
    } else {
      this.sink.write(out.join(delimiter) + this.eol);
    }
  }

  end(): void {}
}
