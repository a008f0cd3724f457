/**
 * Axis-wise activations down the columns of a streamed table, with per-column state only: the
 * passes compute exactly what the vector kernels compute (same shift, same terms, same order of
 * summation), so `--axis 0` on a file agrees bit for bit with the same data held in memory.
 */
import { DD, ddAdd, ddDivInt, twoSum } from './compensated.js';
import { expShift, logNormaliser, logShift, sparsemaxAt } from './axiswise.js';
import type { ColumnRun } from './spec.js';

class Scan {
  readonly max: Float64Array;
  readonly nan: Uint8Array;
  readonly posInf: Float64Array;
  constructor(readonly width: number, readonly sign: number) {
    this.max = new Float64Array(width).fill(-Infinity);
    this.nan = new Uint8Array(width);
    this.posInf = new Float64Array(width);
  }
  observe(row: Float64Array, start: number): void {
    for (let j = 0; j < this.width; j++) {
      const v = this.sign * row[start + j];
      if (v > this.max[j]) this.max[j] = v;
      else if (v !== v) this.nan[j] = 1;
      if (v === Infinity) this.posInf[j]++;
    }
  }
  /** The output for a column whose statistics decide it alone, or undefined. */
  degenerate(j: number, v: number, log: boolean): number | undefined {
    if (this.nan[j] || this.max[j] === -Infinity) return NaN;
    const k = this.posInf[j];
    if (k > 0) {
      if (v === Infinity) return log ? -Math.log(k) : 1 / k;
      return log ? -Infinity : 0;
    }
    return undefined;
  }
}

/** softmax (sign 1), softmin (sign -1), log_softmax (log): max, then sums, then output. */
class SoftmaxColumns implements ColumnRun {
  private pass = 0;
  private readonly scan: Scan;
  private readonly s: Float64Array;
  private readonly c: Float64Array;
  private readonly skipped: Uint8Array;
  private readonly others: Uint8Array;
  private readonly scale: Float64Array; // the sum, or log1p of it for log_softmax
  constructor(private readonly width: number, private readonly sign: number, private readonly log: boolean) {
    this.scan = new Scan(width, sign);
    this.s = new Float64Array(width);
    this.c = new Float64Array(width);
    this.skipped = new Uint8Array(width);
    this.others = new Uint8Array(width);
    this.scale = new Float64Array(width);
  }
  wantsPass(): boolean {
    return this.pass < 2;
  }
  observe(row: Float64Array, start: number): void {
    if (this.pass === 0) return this.scan.observe(row, start);
    const { s, c, skipped, sign, log } = this;
    const max = this.scan.max;
    for (let j = 0; j < this.width; j++) {
      const v = sign * row[start + j];
      if (log && !skipped[j] && v === max[j]) {
        skipped[j] = 1;
        continue;
      }
      if (v !== -Infinity) this.others[j] = 1;
      const x = expShift(v, max[j]);
      const t = s[j] + x; // Neumaier, as in the vector kernels
      if (Math.abs(s[j]) >= Math.abs(x)) c[j] += s[j] - t + x;
      else c[j] += x - t + s[j];
      s[j] = t;
    }
  }
  endPass(): void {
    if (++this.pass === 2) {
      for (let j = 0; j < this.width; j++) {
        const sum = this.s[j] + this.c[j];
        this.scale[j] = this.log ? logNormaliser(sum, this.others[j] === 1) : sum;
      }
    }
  }
  emit(row: Float64Array, start: number, out: Float64Array, outStart: number): void {
    const { scan, sign, log, scale } = this;
    for (let j = 0; j < this.width; j++) {
      const v = sign * row[start + j];
      const d = scan.degenerate(j, v, log);
      out[outStart + j] =
        d !== undefined ? d : log ? logShift(v, scan.max[j], scale[j]) : expShift(v, scan.max[j]) / scale[j];
    }
  }
}

/**
 * Sparsemax down columns by Michelot's iteration: tau starts at max - 1 (a lower bound) and
 * tau <- (sum of x > tau, minus 1) / count, which rises to the exact threshold in finitely many
 * passes; it stops when a pass keeps the same support. As in the vector kernel, values and tau
 * are taken relative to the column's maximum, as double-doubles.
 */
class SparsemaxColumns implements ColumnRun {
  private pass = 0;
  private readonly scan: Scan;
  private readonly tauH: Float64Array;
  private readonly tauL: Float64Array;
  private readonly count: Float64Array;
  private readonly prevCount: Float64Array;
  private readonly sh: Float64Array;
  private readonly sl: Float64Array;
  private stable = false;
  constructor(private readonly width: number) {
    this.scan = new Scan(width, 1);
    this.tauH = new Float64Array(width);
    this.tauL = new Float64Array(width);
    this.count = new Float64Array(width);
    this.prevCount = new Float64Array(width).fill(-1);
    this.sh = new Float64Array(width);
    this.sl = new Float64Array(width);
  }
  wantsPass(): boolean {
    return !this.stable;
  }
  observe(row: Float64Array, start: number): void {
    if (this.pass === 0) return this.scan.observe(row, start);
    const max = this.scan.max;
    for (let j = 0; j < this.width; j++) {
      const v = row[start + j];
      if (sparsemaxAt(v, max[j], this.tauH[j], this.tauL[j]) > 0) {
        this.count[j]++;
        twoSum(v, -max[j]);
        ddAdd(this.sh[j], this.sl[j], DD.hi, DD.lo);
        this.sh[j] = DD.hi;
        this.sl[j] = DD.lo;
      }
    }
  }
  endPass(): void {
    const first = this.pass++ === 0;
    let changed = false;
    for (let j = 0; j < this.width; j++) {
      if (first) {
        this.tauH[j] = -1; // relative to the maximum
        this.tauL[j] = 0;
        changed = true;
        continue;
      }
      const k = this.count[j];
      if (k !== this.prevCount[j] && k > 0) {
        changed = true;
        ddAdd(this.sh[j], this.sl[j], -1, 0);
        ddDivInt(DD.hi, DD.lo, k);
        this.tauH[j] = DD.hi;
        this.tauL[j] = DD.lo;
      }
      this.prevCount[j] = k;
      this.count[j] = 0;
      this.sh[j] = 0;
      this.sl[j] = 0;
    }
    this.stable = !changed;
  }
  emit(row: Float64Array, start: number, out: Float64Array, outStart: number): void {
    for (let j = 0; j < this.width; j++) {
      const v = row[start + j];
      const d = this.scan.degenerate(j, v, false);
      out[outStart + j] = d !== undefined ? d : sparsemaxAt(v, this.scan.max[j], this.tauH[j], this.tauL[j]);
    }
  }
}

/** The column-wise run for an axis-wise activation, or undefined if it has none (glu). */
export function columnRun(name: string, width: number): ColumnRun | undefined {
  switch (name) {
    case 'softmax':
      return new SoftmaxColumns(width, 1, false);
    case 'softmin':
      return new SoftmaxColumns(width, -1, false);
    case 'log_softmax':
      return new SoftmaxColumns(width, 1, true);
    case 'sparsemax':
      return new SparsemaxColumns(width);
    default:
      return undefined;
  }
}
