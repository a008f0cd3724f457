/**
 * Where a transformed array's values go, in the order they are stored (C order, or Fortran order
 * when the array is): a .npy stream (the header np.save writes, then the data in chunks), rows of
 * a table (CSV, TSV, text, NDJSON: 2-D as rows, 1-D as one column as np.savetxt writes it, 0-d as
 * one cell), or nested JSON arrays. Fortran-order arrays written as text are gathered first (their
 * rows are not contiguous); everything else streams.
 */
import { ActivError } from '../errors.js';
import { type Format, type Row, type TableWriter, type WriteOptions } from './table.js';
import { encodeInto, type NpyDtype } from './npy-dtype.js';
import { headerBytes } from './npy-header.js';
import { jsonNumber } from './ndjson.js';
import type { ArrayOut, ArrayShape } from './arrays.js';

export interface ByteSink {
  /** Resolves once the bytes are taken: the caller may reuse its buffer. */
  writeBytes(bytes: Uint8Array): Promise<void>;
}

export interface TextOut {
  write(s: string): void;
  flush(): Promise<void>;
}

/** A .npy stream: header, then each block encoded into a reused buffer. */
export class NpyOut implements ArrayOut {
  private buf = new Uint8Array(0);
  private started = false;
  constructor(
    private readonly sink: ByteSink,
    private readonly dtype: NpyDtype,
    private readonly array: ArrayShape,
  ) {}
  private async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.sink.writeBytes(headerBytes(this.dtype, this.array.fortran, this.array.shape));
  }
  async write(values: Float64Array, count: number): Promise<void> {
    await this.start();
    const n = count * this.dtype.size;
    if (this.buf.length < n) this.buf = new Uint8Array(n);
    encodeInto(this.dtype, values.subarray(0, count), this.buf);
    await this.sink.writeBytes(this.buf.subarray(0, n));
  }
  async end(): Promise<void> {
    await this.start();
  }
}

/** Text formats take rank 0, 1 and 2 (JSON any rank): a usage error before anything is read. */
export function checkTextRank(to: Format, rank: number, where: string): void {
  if (to !== 'json' && to !== 'npy' && to !== 'npz' && rank > 2) {
    throw new ActivError(`${where}: a ${rank}-D array cannot be written as ${to} (2-D at most); use --to json or --to npy`);
  }
}

/** Gathers a Fortran-order array and hands it on in C order. */
class FortranGather implements ArrayOut {
  private readonly all: Float64Array;
  private at = 0;
  constructor(
    private readonly next: ArrayOut,
    private readonly shape: readonly number[],
  ) {
    let n = 1;
    for (const d of shape) n *= d;
    this.all = new Float64Array(n);
  }
  async write(values: Float64Array, count: number): Promise<void> {
    this.all.set(values.subarray(0, count), this.at);
    this.at += count;
  }
  async end(): Promise<void> {
    const c = new Float64Array(this.all.length);
    const rank = this.shape.length;
    // Element at C index k has F index sum(i_d * fstride_d).
    const fstride: number[] = [];
    let s = 1;
    for (let d = 0; d < rank; d++) {
      fstride.push(s);
      s *= this.shape[d];
    }
    const idx = new Array<number>(rank).fill(0);
    for (let k = 0; k < c.length; k++) {
      let f = 0;
      for (let d = 0; d < rank; d++) f += idx[d] * fstride[d];
      c[k] = this.all[f];
      for (let d = rank - 1; d >= 0; d--) {
        if (++idx[d] < this.shape[d]) break;
        idx[d] = 0;
      }
    }
    await this.next.write(c, c.length);
    await this.next.end();
  }
}

/** Rows of a table, through the format's own TableWriter. */
class TableOut implements ArrayOut {
  private row: number[] = [];
  private line = 0;
  private readonly cols: number;
  constructor(
    private readonly writer: TableWriter,
    private readonly sink: TextOut,
    private readonly shape: readonly number[],
  ) {
    this.cols = shape.length === 2 ? shape[1] : 1;
    writer.begin(undefined, undefined);
  }
  private emit(): void {
    const form: Row['form'] = this.shape.length === 2 ? 'array' : 'scalar';
    this.writer.row({ line: ++this.line, cells: this.row, form, eol: '\n' }, this.row);
    this.row = [];
  }
  async write(values: Float64Array, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      this.row.push(values[i]);
      if (this.row.length === this.cols) this.emit();
    }
    await this.sink.flush();
  }
  async end(): Promise<void> {
    // A 2-D array with no columns still has its rows: write them as empty lines.
    if (this.cols === 0) for (let i = 0; i < this.shape[0]; i++) this.emit();
    this.writer.end();
    await this.sink.flush();
  }
}

/** Nested JSON arrays of the array's shape, streamed in C order. */
export class JsonArrayOut implements ArrayOut {
  private k = 0;
  private readonly suffix: number[] = [];
  private readonly count: number;
  constructor(
    private readonly sink: TextOut,
    private readonly shape: readonly number[],
    private readonly w: WriteOptions,
    private readonly eol = '\n',
  ) {
    let p = 1;
    for (let d = shape.length - 1; d >= 0; d--) this.suffix[d] = p *= shape[d];
    this.count = p;
  }
  async write(values: Float64Array, count: number): Promise<void> {
    const parts: string[] = [];
    const rank = this.shape.length;
    for (let i = 0; i < count; i++, this.k++) {
      const k = this.k;
      if (k > 0) {
        for (let d = 0; d < rank; d++) if (k % this.suffix[d] === 0) parts.push(']');
        parts.push(',');
      }
      for (let d = 0; d < rank; d++) if (k % this.suffix[d] === 0) parts.push('[');
      parts.push(jsonNumber(values[i], this.w));
    }
    this.sink.write(parts.join(''));
    await this.sink.flush();
  }
  async end(): Promise<void> {
    if (this.count === 0) this.sink.write(emptyJson(this.shape));
    else this.sink.write(']'.repeat(this.shape.length));
    this.sink.write(this.eol);
    await this.sink.flush();
  }
}

/** [] for shape (0,), [[],[]] for (2, 0): the nesting up to the first empty axis. */
function emptyJson(shape: readonly number[]): string {
  const build = (d: number): string => {
    if (shape[d] === 0) return '[]';
    return '[' + new Array(shape[d]).fill(build(d + 1)).join(',') + ']';
  };
  return build(0);
}

export interface TextPlan {
  readonly to: Format;
  readonly sink: TextOut;
  readonly w: WriteOptions;
  /** The format's TableWriter (CSV, TSV, text, NDJSON). */
  readonly table?: TableWriter;
  /** After a JSON document (default '\n'; '' inside an object of arrays). */
  readonly eol?: string;
}

/** The text writer for an array: rows or nested JSON, gathering a Fortran-order array first. */
export function textArrayOut(plan: TextPlan, array: ArrayShape): ArrayOut {
  const { shape } = array;
  const out: ArrayOut = plan.table ? new TableOut(plan.table, plan.sink, shape) : new JsonArrayOut(plan.sink, shape, plan.w, plan.eol);
  return array.fortran && shape.length > 1 ? new FortranGather(out, shape) : out;
}
