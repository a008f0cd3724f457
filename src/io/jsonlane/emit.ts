/**
 * The lane's output under construction: compact structure bytes with numbered slots where
 * transformed numbers go. Values are collected in one Float64Array so the kernel runs over a
 * whole batch (element-wise) or each finished vector (axis-wise) before the numbers are
 * formatted into the slots; everything else is copied byte for byte.
 */
import { withRoom } from '../fastlane/bytes.js';
import { formatNumber, formatNumberInto, type Digits } from '../../numbers/format.js';

export interface NumberStyle {
  /** Significant digits, or undefined for shortest round trip. */
  readonly precision?: Digits;
  /** NaN and Infinity as null (counted) or as the strings "NaN", "Infinity", "-Infinity". */
  readonly nonfinite: 'null' | 'string';
  readonly onNonfinite: () => void;
}

const NONFINITE = { nan: Buffer.from('"NaN"'), inf: Buffer.from('"Infinity"'), ninf: Buffer.from('"-Infinity"'), nul: Buffer.from('null') };

/** What an Emitter holds before its first byte or value: nothing is allocated until it is used. */
const NO_BYTES = new Uint8Array(0);
const NO_VALS = new Float64Array(0);
const NO_SLOTS = new Int32Array(0);
/** A buffer grows to at least this many bytes (values: an eighth), then doubles. */
const FIRST_BYTES = 1 << 10;

/**
 * Every buffer starts empty and doubles when full: an Emitter is also made for one short text (the
 * general NDJSON reader copies each object line through a DocumentLane, two Emitters), where
 * starting at the lanes' working sizes (1.4 MB each) made records NDJSON ~20x slower.
 */
export class Emitter {
  /** Structure bytes (slots are positions in it). */
  pend: Uint8Array<ArrayBuffer> = NO_BYTES;
  pendLen = 0;
  vals = NO_VALS;
  nVals = 0;
  /** slot k: the value vals[k] goes at pend[slotPos[k]]. */
  private slotPos = NO_SLOTS;
  /** Finished output bytes. */
  out: Uint8Array<ArrayBuffer> = NO_BYTES;
  outLen = 0;

  constructor(private readonly style: NumberStyle) {}

  byte(c: number): void {
    if (this.pendLen >= this.pend.length) this.pend = withRoom(this.pend, this.pendLen, FIRST_BYTES);
    this.pend[this.pendLen++] = c;
  }

  bytes(buf: Uint8Array, s: number, e: number): void {
    const n = e - s;
    if (this.pendLen + n > this.pend.length) this.pend = withRoom(this.pend, this.pendLen, Math.max(n, FIRST_BYTES));
    this.pend.set(buf.subarray(s, e), this.pendLen);
    this.pendLen += n;
  }

  /** A slot for a value to be transformed. */
  value(x: number): void {
    const k = this.nVals;
    if (k >= this.vals.length) {
      const v = new Float64Array(Math.max(k * 2, FIRST_BYTES >> 3));
      v.set(this.vals);
      this.vals = v;
      const s = new Int32Array(v.length);
      s.set(this.slotPos);
      this.slotPos = s;
    }
    this.vals[k] = x;
    this.slotPos[k] = this.pendLen;
    this.nVals = k + 1;
  }

  /**
   * Format slots [0, upTo) and the structure before the slot upTo (all of it when upTo ===
   * nVals) into `out`; the rest moves to the front.
   */
  flush(upTo: number): void {
    const { style, vals, slotPos, pend } = this;
    const pendEnd = upTo < this.nVals ? slotPos[upTo] : this.pendLen;
    this.out = withRoom(this.out, this.outLen, Math.max(pendEnd + upTo * 33, FIRST_BYTES));
    const out = this.out;
    let o = this.outLen;
    let p = 0;
    for (let k = 0; k < upTo; k++) {
      // Structure between numbers is a few bytes: a loop beats subarray + set.
      const q = slotPos[k];
      while (p < q) out[o++] = pend[p++];
      const x = vals[k];
      if (x - x === 0) {
        if (style.precision === undefined) o = formatNumberInto(x, out, o);
        else {
          const t = formatNumber(x, style.precision);
          for (let j = 0; j < t.length; j++) out[o++] = t.charCodeAt(j);
        }
      } else o = this.nonfinite(x, out, o);
    }
    if (pendEnd > p) {
      out.set(pend.subarray(p, pendEnd), o);
      o += pendEnd - p;
    }
    this.outLen = o;
    // Keep what is not written yet.
    const rest = this.nVals - upTo;
    if (rest > 0) {
      vals.copyWithin(0, upTo, this.nVals);
      for (let k = 0; k < rest; k++) slotPos[k] = slotPos[upTo + k] - pendEnd;
    }
    pend.copyWithin(0, pendEnd, this.pendLen);
    this.pendLen -= pendEnd;
    this.nVals = rest;
  }

  /** As flush, writing nothing. */
  skip(upTo: number): void {
    const pendEnd = upTo < this.nVals ? this.slotPos[upTo] : this.pendLen;
    const rest = this.nVals - upTo;
    if (rest > 0) {
      this.vals.copyWithin(0, upTo, this.nVals);
      for (let k = 0; k < rest; k++) this.slotPos[k] = this.slotPos[upTo + k] - pendEnd;
    }
    this.pend.copyWithin(0, pendEnd, this.pendLen);
    this.pendLen -= pendEnd;
    this.nVals = rest;
  }

  private nonfinite(x: number, out: Uint8Array, o: number): number {
    let t: Uint8Array;
    if (this.style.nonfinite === 'string') t = x !== x ? NONFINITE.nan : x > 0 ? NONFINITE.inf : NONFINITE.ninf;
    else {
      this.style.onNonfinite();
      t = NONFINITE.nul;
    }
    out.set(t, o);
    return o + t.length;
  }

  /** The finished output so far; valid until the next flush. */
  take(): Uint8Array {
    const v = this.out.subarray(0, this.outLen);
    this.outLen = 0;
    return v;
  }

  /** Drop what is pending (a document that failed). */
  discard(): void {
    this.pendLen = 0;
    this.nVals = 0;
  }
}
