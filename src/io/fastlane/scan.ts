/**
 * The fast lane: numeric CSV, TSV and text without quotes, straight from bytes to bytes.
 * Lines are scanned for separators, selected cells parsed from their bytes into one Float64Array,
 * the kernel runs once over the whole batch, and numbers are formatted into a reused output
 * buffer between the passthrough cells, which are copied byte for byte.
 *
 * It handles only what it can do exactly as the general lane (csv-parse / csv-stringify) does,
 * and stops before the first line it cannot: a quote, a cell that is not a number, an empty or
 * odd line. The caller continues from there with the general lane, which also owns every error
 * message, so both lanes give the same bytes for every input they both accept.
 */
import { withRoom } from './bytes.js';
import { RowMisfit, type RowStep } from '../../tensor.js';
import { formatArg, formatArgInto, formatNumber, type Digits } from '../../numbers/format.js';
import { parseNumberBytes, parseNumberFailed, scanNumber, scanned } from '../../numbers/parse.js';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;
const TAB = 9;

export interface TableLaneOptions {
  /** Cell separator byte: 44 (,) or 9 (tab); 32 means text: runs of spaces and tabs, written as one space. */
  readonly sep: number;
  /** Per column: 1 transform, 0 pass through. Columns past its end take `rest`. */
  readonly select: Uint8Array;
  readonly rest: 0 | 1;
  /** The row step (src/tensor.ts); it must keep each row's length. */
  readonly step: RowStep;
  /** Significant digits, or undefined for shortest round-trip. */
  readonly precision?: Digits; // seam (shell, #14): significant digits or { decimals }
  /**
   * The line end before the first line (the header's), used for a last line that has none: each
   * line is written with its own ending, as the general lane writes them.
   */
  readonly crlf: boolean;
  /** Cells every line must have (0: any); a line with another count goes to the general lane. */
  readonly width?: number;
}

const BATCH_VALUES = 1 << 16;

export class TableLane {
  /** Lines transformed so far. */
  lines = 0;
  // safety seam: small to start, doubled as a batch needs (a run over 100,000 small files
  // allocated ~4 MB per file here, and spent most of its time collecting it)
  private vals = new Float64Array(1024);
  /** Per cell of the batch: start, end (passthrough) or -1, value index (number). */
  private cellA = new Int32Array(1024);
  private cellB = new Int32Array(1024);
  /** Per line of the batch: index of its first cell and of its first value; one extra at the end. */
  private lineCell = new Int32Array(256);
  private lineVal = new Int32Array(256);
  private lineCr = new Uint8Array(256);
  /** The last line's ending; seam (wasm): read and set by wasm-lane.ts when it hands this lane a line. */
  lastCr: boolean;
  private out = new Uint8Array(1 << 12);
  private outLen = 0;

  constructor(private readonly o: TableLaneOptions) {
    this.lastCr = o.crlf;
  }

  /**
   * Transform the whole lines in buf[start, end); with `atEof`, a last line without a newline too.
   * Returns the offset of the first byte not consumed: the start of a partial line, or of the
   * first line the fast lane cannot take (then `stopped` is true).
   */
  run(buf: Uint8Array, start: number, end: number, atEof: boolean): number {
    this.stopped = false;
    let p = start;
    while (p < end && !this.stopped) {
      const next = this.batch(buf, p, end, atEof);
      if (next === p) break; // a partial line waits for more input
      p = next;
    }
    return p;
  }

  stopped = false;

  /** The output so far, and reset it. The view is valid until the next call to run(). */
  take(): Uint8Array {
    const v = this.out.subarray(0, this.outLen);
    this.outLen = 0;
    return v;
  }

  private batch(buf: Uint8Array, start: number, end: number, atEof: boolean): number {
    const { sep, select, rest } = this.o;
    const text = sep === SPACE;
    let nCells = 0;
    let nVals = 0;
    let nLines = 0;
    let p = start;
    while (p < end && nVals < BATCH_VALUES) {
      if (nLines + 2 > this.lineCell.length) this.growLines();
      if (!text) {
        // One pass over an ordinary line; anything unusual (-1) is redone below, byte by byte.
        const next = this.plainLine(buf, p, end, nCells, nVals);
        if (next >= 0) {
          this.lineCell[nLines] = nCells;
          this.lineVal[nLines] = nVals;
          this.lineCr[nLines] = this.plainCr;
          this.lastCr = this.plainCr === 1;
          nCells = this.plainCells;
          nVals = this.plainVals;
          nLines++;
          p = next;
          continue;
        }
      }
      let nl = buf.indexOf(LF, p);
      if (nl < 0 || nl >= end) {
        if (!atEof) break;
        nl = end;
      }
      let stop = nl;
      let cr = nl === end ? this.lastCr : false; // a last line without an ending takes the previous one's
      if (stop > p && buf[stop - 1] === CR) {
        stop--;
        cr = true;
      }
      if (stop === p) {
        this.stopped = true; // an empty line: the general lane decides what it means
        break;
      }
      const cellsBefore = nCells;
      const valsBefore = nVals;
      let col = 0;
      let q = p;
      let bad = false;
      if (text) while (q < stop && (buf[q] === SPACE || buf[q] === TAB)) q++;
      while (q <= stop) {
        let e = q;
        if (text) {
          while (e < stop && buf[e] !== SPACE && buf[e] !== TAB) {
            if (buf[e] === QUOTE || buf[e] === CR) bad = true;
            e++;
          }
        } else {
          while (e < stop && buf[e] !== sep) {
            if (buf[e] === QUOTE || buf[e] === CR) bad = true;
            e++;
          }
        }
        if (bad) break;
        if (nCells >= this.cellA.length) this.growCells();
        const selected = col < select.length ? select[col] : rest;
        if (selected) {
          const v = parseNumberBytes(buf, q, e);
          if (v !== v && parseNumberFailed()) {
            bad = true;
            break;
          }
          if (nVals >= this.vals.length) this.growVals();
          this.cellA[nCells] = -1;
          this.cellB[nCells] = nVals;
          this.vals[nVals++] = v;
        } else {
          this.cellA[nCells] = q;
          this.cellB[nCells] = e;
        }
        nCells++;
        col++;
        if (text) {
          while (e < stop && (buf[e] === SPACE || buf[e] === TAB)) e++;
          if (e >= stop) break;
          q = e;
        } else {
          if (e >= stop) break;
          q = e + 1;
        }
      }
      const width = this.o.width ?? 0;
      if (bad || (text && nCells === cellsBefore) || (width > 0 && nCells - cellsBefore !== width)) {
        nCells = cellsBefore;
        nVals = valsBefore;
        this.stopped = true;
        break;
      }
      this.lineCell[nLines] = cellsBefore;
      this.lineVal[nLines] = valsBefore;
      this.lineCr[nLines] = cr ? 1 : 0;
      this.lastCr = cr;
      nLines++;
      p = nl + 1;
    }
    this.lineCell[nLines] = nCells;
    this.lineVal[nLines] = nVals;
    if (nLines === 0) return Math.min(p, end);
    if (!this.apply(nLines)) {
      this.stopped = true;
      return start; // nothing of this batch written: the general lane takes it, with its own message
    }
    if (this.o.step.writes) this.write(buf, nLines);
    this.lines += nLines;
    return Math.min(p, end);
  }

  /** plainLine's results: cells and values after the line, and whether it ended in CR LF. */
  private plainCells = 0;
  private plainVals = 0;
  private plainCr = 0;

  /**
   * A separated (CSV/TSV) line from buf[p] in one pass: each selected cell is parsed where it
   * stands (scanNumber finds its end), each passthrough cell is skipped to its separator.
   * Returns the next line's start, or -1 for anything that is not an ordinary complete line
   * (empty, no newline yet, a quote, a stray CR, a cell that is not a number, another width):
   * the byte-by-byte path then takes the line and decides exactly as before.
   */
  private plainLine(buf: Uint8Array, p: number, end: number, nCells: number, nVals: number): number {
    const { sep, select, rest } = this.o;
    const first = buf[p];
    if (first === LF || first === CR) return -1;
    const cells0 = nCells;
    let col = 0;
    let q = p;
    for (;;) {
      if (nCells >= this.cellA.length) this.growCells();
      let e: number;
      if (col < select.length ? select[col] : rest) {
        e = scanNumber(buf, q, end);
        if (e < 0) return -1;
        if (nVals >= this.vals.length) this.growVals();
        this.cellA[nCells] = -1;
        this.cellB[nCells] = nVals;
        this.vals[nVals++] = scanned[0];
      } else {
        e = q;
        while (e < end) {
          const c = buf[e];
          if (c === sep || c === LF || c === CR || c === QUOTE) break;
          e++;
        }
        this.cellA[nCells] = q;
        this.cellB[nCells] = e;
      }
      nCells++;
      col++;
      if (e >= end) return -1;
      const c = buf[e];
      if (c === sep) {
        q = e + 1;
        continue;
      }
      let next: number;
      if (c === LF) {
        this.plainCr = 0;
        next = e + 1;
      } else if (c === CR && e + 1 < end && buf[e + 1] === LF) {
        this.plainCr = 1;
        next = e + 2;
      } else return -1;
      const width = this.o.width ?? 0;
      if (width > 0 && nCells - cells0 !== width) return -1;
      this.plainCells = nCells;
      this.plainVals = nVals;
      return next;
    }
  }

  /** Run the row step over the batch in place; false when a row does not fit it (prelu width). */
  private apply(nLines: number): boolean {
    try {
      this.o.step.apply({ values: this.vals, start: this.lineVal, rows: nLines });
      return true;
    } catch (e) {
      if (e instanceof RowMisfit) return false;
      throw e;
    }
  }

  private write(buf: Uint8Array, nLines: number): void {
    const { sep, precision } = this.o;
    for (let i = 0; i < nLines; i++) {
      const c0 = this.lineCell[i];
      const c1 = this.lineCell[i + 1];
      // formatArgInto wants 32 free bytes per number; passthrough cells take their own length
      let need = 2 + (c1 - c0) * 33;
      for (let c = c0; c < c1; c++) if (this.cellA[c] >= 0) need += this.cellB[c] - this.cellA[c];
      let out = (this.out = withRoom(this.out, this.outLen, need));
      let o = this.outLen;
      let limit = o + need; // bytes reserved up to here
      for (let c = c0; c < c1; c++) {
        if (c > c0) out[o++] = sep;
        const a = this.cellA[c];
        if (a < 0) {
          const x = this.vals[this.cellB[c]];
          if (precision === undefined) {
            formatArg[0] = x;
            o = formatArgInto(out, o);
          } else {
            const t = formatNumber(x, precision);
            // --decimals may write more than 32 bytes (1e300 to 2 decimals is 304)
            if (t.length > 32) {
              limit += t.length - 32;
              out = this.out = withRoom(out, o, limit - o);
            }
            for (let j = 0; j < t.length; j++) out[o++] = t.charCodeAt(j);
          }
        } else {
          const b = this.cellB[c];
          for (let j = a; j < b; j++) out[o++] = buf[j];
        }
      }
      if (this.lineCr[i]) out[o++] = CR;
      out[o++] = LF;
      this.outLen = o;
    }
  }

  private growLines(): void {
    const n = this.lineCell.length * 2;
    const a = new Int32Array(n);
    a.set(this.lineCell);
    this.lineCell = a;
    const b = new Int32Array(n);
    b.set(this.lineVal);
    this.lineVal = b;
    const c = new Uint8Array(n);
    c.set(this.lineCr);
    this.lineCr = c;
  }
  private growCells(): void {
    const n = this.cellA.length * 2;
    const a = new Int32Array(n);
    a.set(this.cellA);
    this.cellA = a;
    const b = new Int32Array(n);
    b.set(this.cellB);
    this.cellB = b;
  }
  private growVals(): void {
    const v = new Float64Array(this.vals.length * 2);
    v.set(this.vals);
    this.vals = v;
  }
}
