/**
 * The NDJSON lane: lines that hold a number or a flat array of numbers go from bytes to bytes
 * (the kernel over a batch of lines, element-wise or along each line), written compact as the
 * general writer writes them. It stops before the first line it cannot take (an object, a
 * string, a CR, a line of only spaces, anything odd), and the general reader goes on from there
 * (see stream.ts for how it is told the widths already seen); that reader owns every
 * error message, so both lanes say the same.
 */
import { Emitter, type NumberStyle } from './emit.js';
import { parseNumberBytes } from '../../numbers/parse.js';
import type { ValueStep } from '../../tensor.js';

const LF = 10;

export interface NdjsonPlan extends NumberStyle {
  /** Element-wise over any run, or along each line (the caller checks alongRowsInPlace). */
  readonly step: Pick<ValueStep, 'anyRun' | 'run'>;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function skipSpace(buf: Uint8Array, i: number, end: number): number {
  while (i < end && (buf[i] === 32 || buf[i] === 9)) i++;
  return i;
}

/** The end of a JSON number at buf[i], or -1 when none is there (RFC 8259 grammar). */
export function jsonNumberEnd(buf: Uint8Array, i: number, end: number): number {
  if (i < end && buf[i] === 45) i++;
  if (i >= end) return -1;
  if (buf[i] === 48) i++;
  else if (isDigit(buf[i])) while (i < end && isDigit(buf[i])) i++;
  else return -1;
  if (i < end && buf[i] === 46) {
    const d = ++i;
    while (i < end && isDigit(buf[i])) i++;
    if (i === d) return -1;
  }
  if (i < end && (buf[i] | 32) === 101) {
    i++;
    if (i < end && (buf[i] === 43 || buf[i] === 45)) i++;
    const d = i;
    while (i < end && isDigit(buf[i])) i++;
    if (i === d) return -1;
  }
  return i;
}

const BATCH = 1 << 16;

export class NdjsonLane {
  readonly emit: Emitter;
  /** Lines transformed. */
  lines = 0;
  /** Of those, the lines that are not empty, and the widest array (a number counts 1) among them. */
  dataLines = 0;
  width = 0;
  /** The number of values on the first line that is not empty. */
  firstWidth = 0;
  stopped = false;
  /** Per line of the batch (axis-wise): its first value. */
  private lineVal = new Int32Array(4096);
  private nLines = 0;

  constructor(private readonly plan: NdjsonPlan) {
    this.emit = new Emitter(plan);
  }

  /** Transform the whole lines in buf[start, end) (with atEof, a last line without LF too); returns the first byte not consumed. */
  run(buf: Uint8Array, start: number, end: number, atEof: boolean): number {
    let p = start;
    this.stopped = false;
    while (p < end) {
      let nl = buf.indexOf(LF, p);
      if (nl < 0 || nl >= end) {
        if (!atEof) break;
        nl = end;
      }
      if (!this.line(buf, p, nl)) {
        this.stopped = true;
        break;
      }
      p = nl + 1;
      if (this.emit.nVals >= BATCH) this.flush();
    }
    this.flush();
    return Math.min(p, end);
  }

  /** One line buf[s, e) (without its LF) into the batch; false if it is not for this lane (nothing added). */
  private line(buf: Uint8Array, s: number, e: number): boolean {
    const em = this.emit;
    const pend0 = em.pendLen;
    const vals0 = em.nVals;
    if (s === e) {
      em.byte(LF); // an empty line is written back as one
      this.lines++;
      return true;
    }
    let i = skipSpace(buf, s, e);
    let n = 0;
    if (i < e && buf[i] === 91) {
      em.byte(91);
      i = skipSpace(buf, i + 1, e);
      if (i < e && buf[i] === 93) i++;
      else {
        for (;;) {
          const q = jsonNumberEnd(buf, i, e);
          if (q < 0) return this.undo(pend0, vals0);
          if (n > 0) em.byte(44);
          em.value(parseNumberBytes(buf, i, q));
          n++;
          i = skipSpace(buf, q, e);
          if (i < e && buf[i] === 44) {
            i = skipSpace(buf, i + 1, e);
            continue;
          }
          if (i < e && buf[i] === 93) {
            i++;
            break;
          }
          return this.undo(pend0, vals0);
        }
      }
      em.byte(93);
    } else {
      const q = jsonNumberEnd(buf, i, e);
      if (q < 0) return this.undo(pend0, vals0);
      em.value(parseNumberBytes(buf, i, q));
      n = 1;
      i = q;
    }
    if (skipSpace(buf, i, e) !== e) return this.undo(pend0, vals0);
    em.byte(LF);
    if (n > this.width) this.width = n;
    if (this.dataLines === 0) this.firstWidth = n;
    if (this.nLines + 2 > this.lineVal.length) {
      const a = new Int32Array(this.lineVal.length * 2);
      a.set(this.lineVal);
      this.lineVal = a;
    }
    this.lineVal[this.nLines++] = vals0;
    this.lines++;
    this.dataLines++;
    return true;
  }

  /** Take back a line that turned out not to be for this lane. */
  private undo(pendLen: number, nVals: number): false {
    this.emit.pendLen = pendLen;
    this.emit.nVals = nVals;
    return false;
  }

  private flush(): void {
    const step = this.plan.step;
    const v = this.emit.vals;
    const total = this.emit.nVals;
    if (step.anyRun) step.run(v, 0, total);
    else {
      this.lineVal[this.nLines] = total;
      for (let r = 0; r < this.nLines; r++) step.run(v, this.lineVal[r], this.lineVal[r + 1]);
    }
    this.nLines = 0;
    this.emit.flush(total);
  }
}
