/**
 * NDJSON / JSON Lines: one value per line, streamed line by line. A number is a row of one
 * value, an array is a row, an object is a record (its keys are the column names). The JSON
 * writer (json.ts) shares the value serialisation here and wraps a whole table in one array.
 */
import { ActivError } from '../errors.js';
import { formatNumberAs } from '../numbers/dtype.js';
import { arrayElementTexts, documentTexts, memberTexts, rememberTexts } from './jsonlane/texts.js';
import { DROP, NULL, type OutCell, type Row, type TableWriter, type TextSink, type WriteOptions } from './table.js';
import { decodeUtf8, lines, type Input } from './streams.js';

/** "Unexpected token ... in JSON at position 12" -> line and column of that position in `text`. */
export function jsonErrorMessage(display: string, text: string, e: unknown, firstLine?: number): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /at position (\d+)/.exec(msg);
  let where = firstLine === undefined ? display : `${display}:${firstLine}`;
  if (m) {
    const pos = Number(m[1]);
    let line = firstLine ?? 1;
    let col = 1;
    for (let i = 0; i < pos && i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    where = `${display}:${line}:${col}`;
  }
  const clean = msg
    .replace(/\s*\(line \d+ column \d+\)/, '')
    .replace(/\s*in JSON at position \d+/, '')
    .replace(/, "[\s\S]*is not valid JSON$/, '');
  return `${where}: invalid JSON: ${clean || 'unexpected end'}`;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Where a row came from: its line (a record's number), its line end, and its name in messages (records). */
export interface RowPlace {
  readonly line: number;
  readonly eol: string;
  readonly where?: string;
}

/** A parsed JSON line (or record) as a row. */
export function jsonRow(v: unknown, at: RowPlace): Row {
  const { line, eol, where } = at;
  // every row one shape, `where` included (a spread added to a row afterwards copied every row)
  if (Array.isArray(v)) return { line, where, cells: v, form: 'array', eol };
  if (isRecord(v)) {
    const keys = Object.keys(v);
    const texts = memberTexts.get(v);
    // The source text of each member, when known: passed-through values are written as they came.
    const raw = texts ? keys.map((k) => texts.get(k) ?? JSON.stringify(v[k])) : undefined;
    return { line, where, cells: Object.values(v), keys, form: 'record', eol, raw };
  }
  return { line, where, cells: [v], form: 'scalar', eol };
}

/** `base`: lines before the input's first (the NDJSON lane hands over part way). */
export async function* readNdjson(input: Input, base = 0): AsyncIterable<Row[]> {
  for await (const batch of lines(decodeUtf8(input.chunks()))) {
    const given = base ? batch.map((l) => ({ ...l, line: l.line + base })) : batch;
    const values = given.map((l) => lineValue(l, input.display));
    // Records keep the source text of the values the activation leaves alone: one scan of the
    // batch's records as one array (each line parsed alone above, so its elements are the lines),
    // not one per line, whose set-up cost more than the record.
    const records: unknown[] = [];
    const recordTexts: string[] = [];
    values.forEach((v, i) => {
      if (!isRecord(v)) return;
      records.push(v);
      recordTexts.push(given[i].text);
    });
    if (records.length) rememberTexts(records, documentTexts(`[${recordTexts.join(',')}]`));
    yield given.map((l, i) => {
      const v = values[i];
      if (v === BLANK) return { line: l.line, cells: [], eol: l.eol };
      const row = jsonRow(v, l);
      // So do arrays: the elements a selection (-c) leaves alone.
      const raw = Array.isArray(v) && v.length > 0 ? arrayElementTexts(l.text) : undefined;
      return raw && raw.length === row.cells.length ? { ...row, raw } : row;
    });
  }
}

/** A blank line's value: a row without cells. */
const BLANK = Symbol('blank');

/** A line's JSON value (BLANK for a blank line); a line that is not JSON is a data error naming it. */
function lineValue(l: { text: string; line: number }, display: string): unknown {
  if (/^\s*$/.test(l.text)) return BLANK;
  try {
    return JSON.parse(l.text) as unknown;
  } catch (e) {
    throw new ActivError(jsonErrorMessage(display, l.text, e, l.line), 'data');
  }
}

/** A number as JSON: NaN and Infinity become null (counted) or strings, as asked. */
export function jsonNumber(x: number, opt: WriteOptions): string {
  if (x === x && x !== Infinity && x !== -Infinity) return formatNumberAs(x, opt);
  if (opt.nonfinite === 'string') return x !== x ? '"NaN"' : x > 0 ? '"Infinity"' : '"-Infinity"';
  opt.onNonfinite();
  return 'null';
}

/** A JSON number exactly as JSON spells it (no '+', no leading zeros, digits around the point). */
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/**
 * An untouched cell as JSON: a CSV/TSV/text cell that is a valid JSON number is written as that
 * number, its text unchanged (`101`, `1.0`, `11111111112222222222`), as Miller does; other text is a string.
 */
function passedCell(row: Row, i: number): string {
  const v = row.cells[i];
  if (row.form !== undefined && row.raw) return row.raw[i];
  if (row.form === undefined && typeof v === 'string' && JSON_NUMBER.test(v)) return v;
  return JSON.stringify(v) ?? 'null';
}

/**
 * One row as JSON: as it came (number, array or record) for JSON sources; for CSV, TSV and text
 * rows a record keyed by the header's names when there is a header, else an array.
 */
export function jsonRowText(row: Row, cells: OutCell[], opt: WriteOptions, names: readonly string[] | undefined): string {
  const parts: string[] = [];
  const keys = row.form === 'record' ? row.keys : row.form === undefined ? names : undefined;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    let v: string;
    if (typeof c === 'number') v = jsonNumber(c, opt);
    else if (c.tag === DROP) continue;
    else if (c.tag === NULL) v = 'null';
    else v = passedCell(row, i);
    if (keys) parts.push(JSON.stringify(keys[i] ?? String(i + 1)) + ':' + v);
    else parts.push(v);
  }
  if (row.form === 'scalar' && parts.length === 1) return parts[0];
  return keys ? '{' + parts.join(',') + '}' : '[' + parts.join(',') + ']';
}

export class NdjsonWriter implements TableWriter {
  private names: string[] | undefined;
  private eol = '\n';
  constructor(
    private readonly sink: TextSink,
    private readonly opt: WriteOptions,
  ) {}

  /** A header (CSV/TSV/text input) names the keys of the records written; it is not a line. */
  begin(header: Row | undefined): void {
    this.names = header?.cells.map((c) => String(c));
  }

  row(row: Row, cells: OutCell[]): void {
    if (row.eol) this.eol = row.eol;
    if (row.cells.length === 0 && row.form === undefined) {
      this.sink.write(this.eol);
      return;
    }
    this.sink.write(jsonRowText(row, cells, this.opt, this.names) + this.eol);
  }

  end(): void {}
}
