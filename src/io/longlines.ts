/**
 * Tables whose first line is longer than LONG_LINE (numeric CSV/TSV/text, a regular file): read
 * cell by cell in bounded memory instead of line by line. Element-wise activations hold about
 * two chunks of bytes and their values whatever a line's length; activations along the row hold
 * the row's values (16 bytes per value). Output is byte for byte what the general lane writes.
 *
 * It is taken only when that can be known from the first line: every cell of it is a plain
 * number (so it is not a header and every column is selected), no --columns, no --header, and
 * --on-invalid fail. Later lines are read as the general lane would (blank lines kept, columns
 * first seen in a wider row decided there, with the same note); what it cannot stream (a quote)
 * and cells that are not numbers are errors naming the line and column.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { ActivError } from '../errors.js';
import type { Kernel } from '../kernels/spec.js';
import { valueStep, type ValueStep } from '../tensor.js';
import { formatNumber, formatNumberInto, type Digits } from '../numbers/format.js';
import { parseNumberBytes, parseNumberFailed } from '../numbers/parse.js';
import { bomLength } from './lines.js';

export const LONG_LINE = 1 << 20;
const READ = 1 << 20;
/** A line of more cells than this is written as it is read; a shorter one only once complete. */
const HOLD_CELLS = 1 << 16;
const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

/** Output item codes in `opA` (>= 0: passthrough bytes side[opA, opB)). */
const VALUE = -1; // opB: index in vals
const EOL = -3; // opB: 1 CRLF, 0 LF (cells of a line are separated by `sep` when written)

export interface LongLinePlan {
  readonly path: string;
  readonly display: string;
  /** Cell separator byte; 32 means text (runs of spaces and tabs, written as one space). */
  readonly sep: number;
  readonly step: ValueStep;
  readonly precision?: Digits;
  readonly note: (message: string) => void;
  /** Tests only: bytes per read, and the length from which a first line is long. */
  readonly chunk?: number;
  readonly longLine?: number;
}

export interface ByteOut {
  writeBytes(bytes: Uint8Array): Promise<void>;
}

/** Whether the file's first line is longer than LONG_LINE bytes (no newline in its first bytes). */
export function firstLineIsLong(path: string, long = LONG_LINE): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return false;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size <= long) return false;
    // read in small pieces: most first lines end in the first one
    const piece = new Uint8Array(Math.min(1 << 16, long + 3));
    for (let at = 0; at < long + 3; ) {
      const k = readSync(fd, piece, 0, Math.min(piece.length, long + 3 - at), at);
      if (k === 0) return false;
      if (piece.subarray(0, k).indexOf(LF) >= 0) return false;
      at += k;
    }
    return true;
  } finally {
    closeSync(fd);
  }
}

function grow<T extends Float64Array | Int32Array | Uint8Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** -?digits(.digits)?: a number for parseNumber, told without parsing it (the first line is read twice). */
function plainDecimal(buf: Uint8Array, a: number, b: number): boolean {
  let i = a;
  if (i < b && buf[i] === 45) i++;
  const d = i;
  while (i < b && buf[i] >= 48 && buf[i] <= 57) i++;
  if (i === d) return false;
  if (i === b) return true;
  if (buf[i] !== 46) return false;
  const f = ++i;
  while (i < b && buf[i] >= 48 && buf[i] <= 57) i++;
  return i === b && i > f;
}

const latin = (buf: Uint8Array, a: number, b: number): string => Buffer.from(buf.buffer, buf.byteOffset + a, b - a).toString('utf8');

/** One streaming run over a file; see the module comment. */
class LongLines {
  private buf = new Uint8Array(READ * 2);
  private have = 0;
  private p = 0;
  private pos = 0; // file offset of buf[0]
  private eof = false;

  private line = 1;
  private col = 0;
  private atLineStart = true;
  private lastCr = false;
  /** Columns decided so far: pass[j] = 1 passes column j through. */
  private pass = new Uint8Array(0);
  private decided = -1; // -1: the first line decides nothing (it is all numbers)
  private described: string[] = [];

  private vals = new Float64Array(1 << 12);
  private nv = 0;
  private opA = new Int32Array(1 << 12);
  private opB = new Int32Array(1 << 12);
  private nop = 0;
  private side = new Uint8Array(1 << 10);
  private nside = 0;
  private out = new Uint8Array(1 << 16);
  private nout = 0;
  private readonly rowwise: boolean;

  constructor(
    private readonly plan: LongLinePlan,
    private readonly fd: number,
  ) {
    this.rowwise = plan.step.wholeVectors;
  }

  /** More bytes at buf[have..]; keeps buf[p..have). False at the end of the file. */
  private fill(): boolean {
    if (this.eof) return false;
    if (this.p > 0) {
      this.buf.copyWithin(0, this.p, this.have);
      this.pos += this.p;
      this.have -= this.p;
      this.p = 0;
    }
    const chunk = this.plan.chunk ?? READ;
    this.buf = grow(this.buf, this.have + chunk);
    const n = readSync(this.fd, this.buf, this.have, chunk, this.pos + this.have);
    if (n === 0) this.eof = true;
    this.have += n;
    if (this.pos === 0 && this.have >= 3 && bomLength(this.buf) === 3) this.p = 3;
    return n > 0;
  }

  private fail(message: string): ActivError {
    return new ActivError(`${this.plan.display}:${this.line}:${this.col + 1}: ${message}`, 'data');
  }

  private op(a: number, b: number): void {
    if (this.nop === this.opA.length) {
      this.opA = grow(this.opA, this.nop + 1);
      this.opB = grow(this.opB, this.nop + 1);
    }
    this.opA[this.nop] = a;
    this.opB[this.nop++] = b;
  }

  /**
   * The next cell: its bytes are buf[start, end); `lineEnd` when a newline (or the end of the
   * file) follows it. Returns false when more bytes are needed (nothing consumed).
   */
  private cell = { start: 0, end: 0, lineEnd: false, byEof: false, crlf: false, blank: false };
  /** CSV/TSV: the last cell read holds a quote. */
  private quoted = false;
  private nextCell(): boolean {
    const { buf, have } = this;
    const text = this.plan.sep === SPACE;
    let q = this.p;
    if (text && this.atLineStart) {
      while (q < have && (buf[q] === SPACE || buf[q] === TAB)) q++;
    }
    let e = q;
    if (text) while (e < have && buf[e] !== SPACE && buf[e] !== TAB && buf[e] !== LF) e++;
    else {
      const sep = this.plan.sep;
      let quote = false;
      for (let x = buf[e]; e < have && x !== sep && x !== LF; x = buf[++e]) if (x === QUOTE) quote = true;
      this.quoted = quote;
    }
    let next = e + 1;
    let lineEnd = false;
    let byEof = false;
    if (e >= have) {
      if (!this.eof) return false;
      lineEnd = byEof = true;
      next = have;
    } else if (buf[e] === LF) lineEnd = true;
    else if (text) {
      // a run of blanks: the line ends if nothing but blanks (and a CR) is left on it
      let r = e;
      while (r < have && (buf[r] === SPACE || buf[r] === TAB)) r++;
      if (r + 1 >= have && !this.eof) return false;
      if (r >= have) {
        lineEnd = byEof = true;
        next = have;
      } else if (buf[r] === LF || (buf[r] === CR && r + 1 >= have)) {
        lineEnd = true;
        byEof = r + 1 >= have && buf[r] === CR;
        next = r + 1;
      } else if (buf[r] === CR && buf[r + 1] === LF) {
        lineEnd = true;
        next = r + 2;
        this.setCell(q, e, lineEnd, false, true);
        this.p = next;
        return true;
      } else next = r;
    }
    let end = e;
    let crlf = false;
    if (lineEnd && end > q && buf[end - 1] === CR) {
      end--;
      crlf = true;
    } else if (lineEnd && text && e < have && buf[e] !== LF && next - 1 < have && buf[next - 1] === CR) crlf = true;
    this.setCell(q, end, lineEnd, byEof, crlf);
    this.p = next;
    return true;
  }

  private setCell(start: number, end: number, lineEnd: boolean, byEof: boolean, crlf: boolean): void {
    const c = this.cell;
    c.start = start;
    c.end = end;
    c.lineEnd = lineEnd;
    c.byEof = byEof;
    c.crlf = crlf;
    c.blank = this.atLineStart && lineEnd && end === start;
  }

  /** Read the first line only: true when every cell of it is a plain number. */
  checkFirstLine(): boolean {
    for (;;) {
      if (this.eof && this.p >= this.have) return false;
      if (!this.nextCell()) {
        this.fill(); // at the end of the file, nextCell takes the last cell
        continue;
      }
      const c = this.cell;
      if (c.blank) return false;
      if (this.plan.sep === SPACE && c.start === c.end && c.lineEnd) return true; // blanks after the last cell
      if (!plainDecimal(this.buf, c.start, c.end)) {
        for (let i = c.start; i < c.end; i++) if (this.buf[i] === QUOTE || this.buf[i] === CR) return false;
        const v = parseNumberBytes(this.buf, c.start, c.end);
        if (v !== v && parseNumberFailed()) return false;
      }
      this.atLineStart = false;
      if (c.lineEnd) return true;
    }
  }

  /** Whether column `col` (of the current line) is transformed, deciding new columns as the general lane does. */
  private selected(isNumber: boolean, empty: boolean): boolean {
    const j = this.col;
    if (this.decided < 0) return true; // the first line: all numbers
    if (j < this.decided) return j >= this.pass.length || this.pass[j] === 0;
    if (j >= this.pass.length) this.pass = grow(this.pass, j + 1);
    if (!isNumber && !empty) {
      this.pass[j] = 1;
      this.described.push(String(j + 1));
      return false;
    }
    return true;
  }

  private endLine(crlf: boolean): void {
    this.op(EOL, crlf ? 1 : 0);
    this.lastCr = crlf;
    if (this.decided < 0) this.decided = this.col;
    else if (this.col > this.decided) this.decided = this.col;
    if (this.described.length) {
      const d = this.described;
      this.plan.note(
        `${this.plan.display}: ${d.length === 1 ? 'column' : 'columns'} ${d.join(', ')} hold${d.length === 1 ? 's' : ''} text in its first row (line ${this.line}): passed through (choose columns with -c)`,
      );
      this.described = [];
    }
    this.line++;
    this.col = 0;
    this.atLineStart = true;
  }

  /** Transform the whole file into `sink`. */
  async run(sink: ByteOut): Promise<void> {
    this.p = this.pos = this.have = 0;
    this.eof = false;
    this.fill();
    let lineOp = 0; // first op of the current line
    let lineVal = 0;
    let failure: ActivError | undefined; // a cell that is not a number, on the line being read
    for (;;) {
      if (this.eof && this.p >= this.have) break;
      if (!this.nextCell()) {
        // complete lines go out; the line being read too once it is long (its cells are streamed)
        if (!this.rowwise) {
          if (this.nop - lineOp > HOLD_CELLS) await this.flush(sink, this.nop, this.nv);
          else await this.flush(sink, lineOp, lineVal);
        }
        else if (this.nout > 0) await this.writeOut(sink);
        if (!this.fill() && this.p >= this.have) break;
        if (!this.rowwise) lineOp = lineVal = 0;
        continue;
      }
      const c = this.cell;
      const { buf } = this;
      if (c.blank) {
        this.op(EOL, c.crlf ? 1 : 0);
        if (!c.byEof || c.crlf) this.lastCr = c.crlf;
        this.line++;
        if (this.rowwise) await this.rowDone(sink);
        lineOp = this.nop;
        lineVal = this.nv;
        continue;
      }
      if (this.plan.sep === SPACE && c.start === c.end && c.lineEnd) {
        // text: blanks after the last cell
        this.endLine(c.byEof && !c.crlf ? this.lastCr : c.crlf);
        if (this.rowwise) await this.rowDone(sink);
        lineOp = this.nop;
        lineVal = this.nv;
        if (this.rowwise && this.nout >= 1 << 20) await this.writeOut(sink);
        continue;
      }
      // CSV/TSV: "..." around a cell without quotes, separators or newlines in it is read as csv-parse
      // reads it (the cell's text inside; written back as it was when passed through)
      let a = c.start;
      let b = c.end;
      if (this.plan.sep !== SPACE && buf[a] === QUOTE) {
        const closed = b - a >= 2 && buf[b - 1] === QUOTE;
        if (closed) {
          a++;
          b--;
        }
        for (let i = a; i < b; i++) if (buf[i] === QUOTE || !closed) throw this.fail(`a quoted cell holding a separator, a quote or a line end in a table whose first line is longer than ${LONG_LINE >> 20} MiB (read cell by cell); give --columns to read it whole`);
        if (!closed) throw this.fail(`an unclosed quote in a table whose first line is longer than ${LONG_LINE >> 20} MiB (read cell by cell)`);
      } else if (this.plan.sep !== SPACE && this.quoted) {
        throw this.fail(`a quote inside a cell in a table whose first line is longer than ${LONG_LINE >> 20} MiB (read cell by cell); give --columns to read it whole`);
      }
      const v = parseNumberBytes(buf, a, b);
      const isNumber = !(v !== v && parseNumberFailed());
      // a cell that is not a number in a selected column fails its line; the rest of that line only
      // decides its new columns (the general lane notes them before it reports the cell)
      const selected = failure ? this.col >= this.decided && this.selected(isNumber, b === a) : this.selected(isNumber, b === a);
      if (!failure && selected && !isNumber) failure = this.fail(`not a number: '${latin(buf, a, b)}'`);
      if (failure) {
        this.col++;
        this.atLineStart = false;
        if (c.lineEnd) {
          this.endLine(false);
          if (!this.rowwise) await this.flush(sink, lineOp, lineVal);
          await this.writeOut(sink);
          throw failure;
        }
        continue;
      }
      if (selected) {
        if (this.nv === this.vals.length) this.vals = grow(this.vals, this.nv + 1);
        this.op(VALUE, this.nv);
        this.vals[this.nv++] = v;
      } else {
        const n = c.end - c.start;
        this.side = grow(this.side, this.nside + n);
        this.side.set(buf.subarray(c.start, c.end), this.nside);
        this.op(this.nside, this.nside + n);
        this.nside += n;
      }
      this.col++;
      this.atLineStart = false;
      if (c.lineEnd) {
        // a last line without a newline takes the previous line's ending, as the writers do
        this.endLine(c.byEof && !c.crlf ? this.lastCr : c.crlf);
        if (this.rowwise) await this.rowDone(sink);
        lineOp = this.nop;
        lineVal = this.nv;
      }
    }
    if (!this.rowwise) await this.flush(sink, this.nop, this.nv);
    await this.writeOut(sink);
  }

  /** Along the row: the line's values through the kernel, the line into the output. */
  private async rowDone(sink: ByteOut): Promise<void> {
    if (this.plan.step.wholeVectors) this.plan.step.run(this.vals, 0, this.nv);
    // written in pieces: the output of a long row is never held whole
    for (let i = 0; i < this.nop; i += 1 << 16) {
      this.format(i, Math.min(this.nop, i + (1 << 16)));
      if (this.nout >= 1 << 20) await this.writeOut(sink);
    }
    this.nop = this.nv = this.nside = 0;
  }

  /** Element-wise: transform and write the first `ops` items (values [0, nv)), keep the rest. */
  private async flush(sink: ByteOut, ops: number, nv: number): Promise<void> {
    if (ops === 0) return;
    if (this.plan.step.anyRun && nv > 0) this.plan.step.run(this.vals, 0, nv);
    this.format(0, ops);
    // keep what follows (a line cut by an error is not written)
    this.opA.copyWithin(0, ops, this.nop);
    this.opB.copyWithin(0, ops, this.nop);
    this.nop -= ops;
    for (let i = 0; i < this.nop; i++) if (this.opA[i] === VALUE) this.opB[i] -= nv;
    this.vals.copyWithin(0, nv, this.nv);
    this.nv -= nv;
    if (this.nop === 0) this.nside = 0;
    await this.writeOut(sink);
  }

  /** Whether the next cell formatted starts a line (no separator before it). */
  private outAtLineStart = true;

  private format(from: number, to: number): void {
    const { precision, sep } = this.plan;
    for (let i = from; i < to; i++) {
      const a = this.opA[i];
      this.out = grow(this.out, this.nout + 41);
      const out = this.out;
      if (a !== EOL) {
        if (!this.outAtLineStart) out[this.nout++] = sep;
        this.outAtLineStart = false;
      }
      if (a === VALUE) {
        const x = this.vals[this.opB[i]];
        if (precision === undefined) this.nout = formatNumberInto(x, out, this.nout);
        else {
          const t = formatNumber(x, precision);
          for (let j = 0; j < t.length; j++) out[this.nout++] = t.charCodeAt(j);
        }
      } else if (a === EOL) {
        if (this.opB[i]) out[this.nout++] = CR;
        out[this.nout++] = LF;
        this.outAtLineStart = true;
      } else {
        const n = this.opB[i] - a;
        this.out = grow(this.out, this.nout + n);
        this.out.set(this.side.subarray(a, a + n), this.nout);
        this.nout += n;
      }
    }
  }

  private async writeOut(sink: ByteOut): Promise<void> {
    if (this.nout === 0) return;
    await sink.writeBytes(this.out.subarray(0, this.nout));
    this.nout = 0;
  }
}

/**
 * Stream `plan.path` if its first line is long and all numbers; false (nothing written) when the
 * table is not one this module takes.
 */
export async function streamLongLines(plan: LongLinePlan, sink: ByteOut): Promise<boolean> {
  if (!firstLineIsLong(plan.path, plan.longLine)) return false;
  const fd = openSync(plan.path, 'r');
  try {
    const first = new LongLines(plan, fd);
    if (!first.checkFirstLine()) return false;
    await new LongLines(plan, fd).run(sink);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** What the plan says that matters here (the pipeline's Plan has these fields). */
export interface LongLineOptions {
  readonly kernel: Kernel;
  readonly read: { readonly lane?: 'auto' | 'general'; readonly columns?: unknown; readonly header?: boolean; readonly onInvalid: string; readonly delimiter?: string; readonly na?: unknown };
  readonly write: { readonly precision?: Digits; readonly to?: string; readonly dtype?: unknown };
  readonly note: (message: string) => void;
}

/** The plan for a table this module may stream, or undefined (the usual lanes read it). */
export function longLinePlan(input: { path: string; display: string; rereadable: boolean; text?: string }, format: string, opt: LongLineOptions): LongLinePlan | undefined {
  if (format !== 'csv' && format !== 'tsv' && format !== 'text') return undefined;
  const { read, write } = opt;
  if ((write.to !== undefined && write.to !== format) || write.dtype !== undefined || input.text !== undefined || !input.rereadable || !input.path || input.path === '-') return undefined;
  if (read.lane === 'general' || read.columns !== undefined || read.header === true || read.onInvalid !== 'fail' || read.na !== undefined) return undefined;
  const step = valueStep(opt.kernel);
  if (!step.alongRowsInPlace) return undefined;
  let sep = SPACE;
  if (format !== 'text') {
    const d = read.delimiter ?? (format === 'tsv' ? '\t' : ',');
    const c = d.charCodeAt(0);
    if (d.length !== 1 || c >= 128 || c === QUOTE || c === LF || c === CR || c === SPACE) return undefined;
    sep = c;
  }
  return { path: input.path, display: input.display, sep, step, precision: write.precision, note: opt.note };
}
