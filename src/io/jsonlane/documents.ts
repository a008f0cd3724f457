/**
 * What the JSON lane does with each document of a stream, as the scanner reports its tokens.
 *
 * A document that opens with arrays down to a number is a numeric tensor and streams: its
 * numbers are transformed (element-wise: all of them; axis-wise along any axis but the first:
 * each array the axis runs through, when it closes; the first axis is columns.ts's; a 1-D
 * document as a row, when it is not its input's first: see stream.ts) and
 * everything else is written compact, byte for byte. The
 * tensor checks of the general reader are made as the bytes pass (the shape is the first
 * element's at every depth; the first error in document order is the one reported, syntax
 * first, then shape, then values that are not numbers), so both lanes say the same.
 *
 * Every other document (objects, records, strings, other axes, tables as output) is copied
 * compact into a buffer and handed whole to the general reader (`Fallback`), in order.
 */
import { Emitter, type NumberStyle } from './emit.js';
import { ARR, MAX_DEPTH, NULL, OBJ, type JsonEvents } from './scan.js';
import { parseNumberBytes } from '../../numbers/parse.js';
import { utf8Text } from '../fastlane/bytes.js';
import type { ValueStep } from '../../tensor.js';

/** Depths the per-depth arrays hold at first; they double as documents nest deeper (a DocumentLane is
 *  also made for each object line the general NDJSON reader copies: 170 KB of them per line was slow). */
const FIRST_DEPTHS = 64;

/** What the lane asks of the kernel's value step (tensor.ts): runs of values, or strided vectors along an axis. */
export type LaneStep = Pick<ValueStep, 'anyRun' | 'wholeVectors' | 'axis' | 'keepsLength' | 'run' | 'strided'>;

export interface LanePlan extends NumberStyle {
  readonly step: LaneStep;
  readonly onInvalid: 'fail' | 'skip' | 'keep' | 'null';
  /** Every document goes to the general reader (--lane general, or an output that is a table). */
  readonly generalOnly: boolean;
  /** Transform and check, write nothing (the observation passes down axis 0). */
  readonly silent?: boolean;
  /** A 1-D document that is not the first of its input is a row (stream.ts's vectorsAreRows). */
  readonly vectorsAreRows?: boolean;
}

/** A tensor document the lane refused part way: the general reader's words for it. */
export type TensorProblem =
  | { kind: 'ragged'; path: string; depth: number; expected: number }
  | { kind: 'shape' } // an array where a number belongs
  | { kind: 'invalid'; path: string; value: unknown };

/**
 * Output so far, then either a document for the general reader or a problem, in stream order.
 * An object document comes with the compact text of each member's value, by key, so that the
 * values the activation does not touch are written as they came (big integers, 1.0, escapes).
 */
export type LaneItem = { upTo: number; doc?: Uint8Array; texts?: MemberTexts; problem?: TensorProblem; first?: boolean };

/** Compact source texts of members by key: of the document when it is an object, of each record (by index) when it is an array. */
export interface MemberTexts {
  readonly top?: Map<string, string>;
  readonly records: (Map<string, string> | undefined)[];
}

const UNDECIDED = 0;
const TENSOR = 1;
const BUFFER = 2;

const LITERALS = [Buffer.from(''), Buffer.from('true'), Buffer.from('false'), Buffer.from('null')];
const NUMBER_WORDS = ['"NaN"', '"Infinity"', '"-Infinity"'].map((w) => Buffer.from(w));
const NUMBER_WORD_VALUES = [NaN, Infinity, -Infinity];

/** The value of the string token buf[s, e) (quotes included): its inner text when it has no escapes. */
function stringValue(buf: Uint8Array, s: number, e: number): string {
  for (let i = s + 1; i < e - 1; i++) if (buf[i] === 92) return JSON.parse(utf8Text(buf, s, e)) as string;
  return utf8Text(buf, s + 1, e - 1);
}

/** The value of a string token that reads as a number ("NaN", "Infinity", "-Infinity"), or undefined. */
function numberWord(buf: Uint8Array, s: number, e: number, escaped: boolean): number | undefined {
  if (escaped) {
    const v: unknown = JSON.parse(utf8Text(buf, s, e));
    const i = ['NaN', 'Infinity', '-Infinity'].indexOf(v as string);
    return i < 0 ? undefined : NUMBER_WORD_VALUES[i];
  }
  const n = e - s;
  for (let w = 0; w < 3; w++) {
    const word = NUMBER_WORDS[w];
    if (word.length !== n) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = buf[s + i] === word[i];
    if (same) return NUMBER_WORD_VALUES[w];
  }
  return undefined;
}

export class DocumentLane implements JsonEvents {
  readonly emit: Emitter;
  /** Results in order; the driver writes them out after each run of the scanner. */
  items: LaneItem[] = [];
  /** Documents started so far. */
  started = 0;
  private mode = UNDECIDED;
  /** Open arrays and objects in this document. */
  private depth = 0;
  /** Per depth: elements (or members) so far. */
  private count = new Int32Array(FIRST_DEPTHS);
  private kinds = new Uint8Array(FIRST_DEPTHS);
  private afterKey = false;

  // Tensor state. Depths count open arrays from 1; values sit at depth `rank`.
  private rank = 0;
  /** Axis-wise: the depth of the arrays whose elements the axis runs along (rank for the last axis). */
  private blockDepth = 0;
  /** Per depth: the length of the first array there (-1 until it closes). */
  private expected = new Int32Array(FIRST_DEPTHS);
  /** Per depth: absolute offset of the open array there, for the order of problems. */
  private arrayAt = new Float64Array(FIRST_DEPTHS);
  /** Depth of a subtree that is not part of the tensor (an object value, an array too deep), or 0. */
  private foreign = 0;
  /** First value of the innermost array that is open (axis-wise). */
  private vecStart = 0;
  private readonly axiswise: boolean;
  /** The first problem of this document by place (shape), and the first value that is not a number. */
  private shapeProblem: TensorProblem | undefined;
  private shapeAt = Infinity;
  private invalid: TensorProblem | undefined;
  /** Capturing the text of an object that stands where a number belongs (for the message). */
  private capture: Emitter | undefined;
  private writing = true;
  /** BUFFER documents: their compact text. */
  private doc: Emitter;
  /** BUFFER documents that are objects: where each member's value starts and ends in `doc`, and its key. */
  private members: { key: string; start: number; end: number; record: number }[] = [];

  constructor(private readonly plan: LanePlan) {
    this.emit = new Emitter(plan);
    this.doc = new Emitter(plan);
    this.axiswise = plan.step.wholeVectors;
  }

  /** The emitter the current token goes to, or undefined (undecided yet, or a failed tensor: checks only). */
  private target(): Emitter | undefined {
    if (this.mode === BUFFER) return this.doc;
    if (this.capture) return this.capture;
    return this.writing && this.mode === TENSOR ? this.emit : undefined;
  }

  /** Transform (element-wise) and format values [0, upTo) and the structure before the next. */
  private flushOut(upTo: number): void {
    if (upTo > this.emit.nVals) upTo = this.emit.nVals;
    if (this.plan.step.anyRun && upTo > 0) this.plan.step.run(this.emit.vals, 0, upTo);
    if (this.plan.silent) this.emit.skip(upTo);
    else this.emit.flush(upTo);
  }

  /** The separator before a value or key, and the element count of the container. */
  private sep(t: Emitter | undefined): void {
    if (this.afterKey) {
      this.afterKey = false;
      return;
    }
    const d = this.depth;
    if (d > 0) {
      if (this.count[d] > 0) t?.byte(44);
      this.count[d]++;
    }
  }

  docStart(): void {
    this.started++;
    this.members = [];
    this.mode = this.plan.generalOnly ? BUFFER : UNDECIDED;
    this.depth = 0;
    this.rank = 0;
    this.foreign = 0;
    this.shapeProblem = undefined;
    this.shapeAt = Infinity;
    this.invalid = undefined;
    this.capture = undefined;
    this.writing = true;
    this.afterKey = false;
  }

  /** Leave UNDECIDED: the document so far is `depth` open arrays. */
  private decide(mode: number): void {
    this.mode = mode;
    const t = mode === BUFFER ? this.doc : this.emit;
    for (let d = 1; d <= this.depth; d++) t.byte(91);
  }

  private toBuffer(): void {
    this.decide(BUFFER);
  }

  docEnd(): void {
    if (this.mode === BUFFER) {
      const text = this.doc.pend.slice(0, this.doc.pendLen);
      this.doc.discard();
      this.cut({ upTo: 0, doc: text, texts: this.members.length ? this.memberTexts() : undefined, first: this.started === 1 });
      return;
    }
    const problem = this.shapeProblem ?? this.invalid;
    if (problem) {
      this.cut({ upTo: 0, problem });
      return;
    }
    this.emit.byte(10);
  }

  /** Everything pending is output, then the item. */
  private cut(item: LaneItem): void {
    this.flushOut(this.emit.nVals);
    this.emit.discard();
    this.items.push({ ...item, upTo: this.emit.outLen });
  }

  /** A problem with the tensor's shape at absolute offset `at`: the first by place wins. */
  private shape(at: number, p: TensorProblem): void {
    this.stopWriting();
    if (at < this.shapeAt) {
      this.shapeAt = at;
      this.shapeProblem = p;
    }
  }

  private stopWriting(): void {
    if (!this.writing) return;
    // What is complete is written (axis-wise: not the open vector); the rest of the document is only checked.
    this.flushOut(this.axiswise ? this.vecStart : this.emit.nVals);
    this.emit.discard();
    this.vecStart = 0;
    this.writing = false;
  }

  /** [i][j] of the element being started at depth d (call after sep). */
  private path(d: number): string {
    let s = '';
    for (let k = 1; k <= d; k++) s += `[${this.count[k] - 1}]`;
    return s;
  }

  /** Tensor checks for a value or array starting at depth this.depth (after sep). True if it is an element in place. */
  private element(at: number, isArray: boolean): boolean {
    const d = this.depth;
    if (d > 0 && this.expected[d] >= 0 && this.count[d] > this.expected[d]) {
      // One element too many: the array at depth d is ragged (reported at its start, as the general reader walks).
      const where = this.path(d - 1);
      this.shape(this.arrayAt[d], { kind: 'ragged', path: where, depth: d - 1, expected: this.expected[d] });
      return false;
    }
    if (isArray && d >= this.rank) {
      this.shape(at, { kind: 'shape' });
      return false;
    }
    if (!isArray && d < this.rank) {
      this.shape(at, { kind: 'ragged', path: this.path(d), depth: d, expected: this.expected[d + 1] });
      return false;
    }
    return true;
  }

  open(kind: number, at: number): void {
    if (this.depth + 3 > this.count.length) this.growDepths();
    if (this.mode === UNDECIDED && kind === OBJ) this.toBuffer();
    const t = this.target();
    this.sep(t);
    t?.byte(kind === ARR ? 91 : 123);
    if (this.mode === TENSOR && this.foreign === 0) {
      if (!this.element(at, kind === ARR)) this.foreign = this.depth + 1;
      else if (kind === OBJ) {
        // An object where a number belongs: not a number (kept, nulled or reported).
        this.foreign = this.depth + 1;
        this.notNumber(undefined);
      } else this.arrayAt[this.depth + 1] = at;
    }
    const d = ++this.depth;
    this.count[d] = 0;
    this.kinds[d] = kind;
    if (this.mode === TENSOR && this.foreign === 0 && d === this.blockDepth) this.vecStart = this.emit.nVals;
  }

  /** Room for twice the depths (the scanner stops at MAX_DEPTH). */
  private growDepths(): void {
    const n = Math.min(this.count.length * 2, MAX_DEPTH + 2);
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(a: T, b: T): T => (b.set(a), b);
    this.count = grown(this.count, new Int32Array(n));
    this.kinds = grown(this.kinds, new Uint8Array(n));
    this.expected = grown(this.expected, new Int32Array(n));
    this.arrayAt = grown(this.arrayAt, new Float64Array(n));
  }

  close(kind: number): void {
    const d = this.depth;
    if (this.mode === UNDECIDED) this.toBuffer(); // an empty array before any number
    if (kind === OBJ && this.mode === BUFFER && this.inRecord(d)) this.endMember();
    const t = this.target();
    t?.byte(kind === ARR ? 93 : 125);
    this.depth = d - 1;
    if (this.mode !== TENSOR) return;
    if (this.foreign !== 0) {
      if (d === this.foreign) {
        this.foreign = 0;
        if (this.capture) this.endCapture();
      }
      return;
    }
    const n = this.count[d];
    if (this.expected[d] < 0) this.expected[d] = n;
    else if (n < this.expected[d]) {
      this.shape(this.arrayAt[d], { kind: 'ragged', path: this.path(d - 1), depth: d - 1, expected: this.expected[d] });
      return;
    }
    if (d === this.blockDepth && this.axiswise && this.writing) {
      // The block's n elements each hold `inner` values: one vector per position, strided.
      const values = this.emit.vals;
      const s = this.vecStart;
      const inner = (this.emit.nVals - s) / n;
      if (n > 0) for (let j = 0; j < inner; j++) this.plan.step.strided({ values, offset: s + j, stride: inner, n });
      this.vecStart = this.emit.nVals;
    }
    if (d === 1) return;
    if (!this.axiswise && this.emit.nVals >= 1 << 16 && this.writing) this.flushOut(this.emit.nVals);
  }

  key(buf: Uint8Array, s: number, e: number): void {
    const top = this.mode === BUFFER && this.inRecord(this.depth);
    if (top) this.endMember();
    const t = this.target();
    this.sep(t);
    t?.bytes(buf, s, e);
    t?.byte(58);
    this.afterKey = true;
    if (top) {
      const key = stringValue(buf, s, e);
      this.members.push({ key, start: this.doc.pendLen, end: -1, record: this.depth === 1 ? -1 : this.count[1] - 1 });
    }
  }

  /** Depth d is the object of the document, or a record (an object in the document's array). */
  private inRecord(d: number): boolean {
    return d === 1 ? this.kinds[1] === OBJ : d === 2 && this.kinds[1] === ARR && this.kinds[2] === OBJ;
  }

  private memberTexts(): MemberTexts {
    const d = this.doc.pend;
    let top: Map<string, string> | undefined;
    const records: (Map<string, string> | undefined)[] = [];
    for (const m of this.members) {
      const text = utf8Text(d, m.start, m.end);
      if (m.record < 0) (top ??= new Map()).set(m.key, text);
      else (records[m.record] ??= new Map()).set(m.key, text);
    }
    return { top, records };
  }

  private endMember(): void {
    const m = this.members[this.members.length - 1];
    if (m && m.end < 0) m.end = this.doc.pendLen;
  }

  number(buf: Uint8Array, s: number, e: number, at: number): void {
    if (this.mode === UNDECIDED) {
      if (this.depth === 0 || !this.tensorFits()) this.toBuffer();
      else {
        this.decide(TENSOR);
        this.rank = this.depth;
        // A 1-D document streams only as a row (tensorFits): its vector is the whole document.
        this.blockDepth = this.axiswise ? (this.rank === 1 ? 1 : this.axisOf(this.depth) + 1) : this.depth;
        for (let d = 1; d <= this.rank; d++) this.expected[d] = -1;
        this.expected[this.rank + 1] = -1;
        this.vecStart = this.emit.nVals;
      }
    }
    if (this.leaf(buf, s, e, at) && this.writing) this.emit.value(parseNumberBytes(buf, s, e));
  }

  /** A number, string or literal token: copied when outside a tensor; true when it stands where a tensor's value belongs. */
  private leaf(buf: Uint8Array, s: number, e: number, at: number): boolean {
    const t = this.target();
    this.sep(t);
    if (this.mode !== TENSOR || this.foreign !== 0) {
      t?.bytes(buf, s, e);
      return false;
    }
    return this.element(at, false);
  }

  /** Whether a tensor of this rank can stream (else the general reader takes the document). */
  private tensorFits(): boolean {
    const step = this.plan.step;
    if (step.anyRun) return true;
    // Any axis but the first (that one takes passes over a file: columns.ts), keeping its length
    // (not glu), and 1-D only as a row of a stream (a lone one: softmax refuses it; the first
    // one is held by run.ts, through the general reader); the block of values an axis needs is held.
    if (!step.wholeVectors || !step.keepsLength) return false;
    if (this.depth === 1) return this.plan.vectorsAreRows === true && this.started > 1;
    if (this.depth < 2) return false;
    const a = this.axisOf(this.depth);
    return a >= 1 && a < this.depth;
  }

  private axisOf(rank: number): number {
    const a = this.plan.step.axis;
    return a < 0 ? a + rank : a;
  }

  string(buf: Uint8Array, s: number, e: number, escaped: boolean, at: number): void {
    if (this.mode === UNDECIDED) this.toBuffer();
    if (!this.leaf(buf, s, e, at)) return;
    const x = numberWord(buf, s, e, escaped);
    if (x !== undefined) {
      if (this.writing) this.emit.value(x);
      return;
    }
    this.notNumber(buf.subarray(s, e));
  }

  literal(which: number, at: number): void {
    if (this.mode === UNDECIDED) this.toBuffer();
    const text = LITERALS[which];
    if (this.leaf(text, 0, text.length, at)) this.notNumber(text);
  }

  /**
   * A value where a number belongs: --on-invalid keep writes it, null writes null; fail and
   * skip (and any axis-wise activation) report the first one once the document is checked.
   * `token`: the value's bytes, or undefined for an object (its text follows, captured for the message).
   */
  private notNumber(token: Uint8Array | undefined): void {
    const object = token === undefined;
    const how = this.plan.onInvalid;
    const writes = (how === 'keep' || how === 'null') && !this.axiswise;
    if (writes) {
      if (!this.writing) return;
      if (how === 'null') {
        const nul = LITERALS[NULL];
        // An object's own bytes follow: replace them by null, written now, and skip them.
        if (object) {
          this.emit.pendLen--; // its '{'
          this.capture = new Emitter(this.plan); // swallowed
        }
        this.emit.bytes(nul, 0, nul.length);
      } else if (token) this.emit.bytes(token, 0, token.length);
      return;
    }
    if (this.invalid) return;
    const where = this.path(this.depth);
    this.stopWriting();
    if (!token) {
      this.capture = new Emitter(this.plan);
      this.capture.byte(123);
      this.invalid = { kind: 'invalid', path: where, value: undefined };
      return;
    }
    const text = Buffer.from(token).toString('utf8');
    this.invalid = { kind: 'invalid', path: where, value: JSON.parse(text) };
  }

  private endCapture(): void {
    const c = this.capture!;
    this.capture = undefined;
    if (this.invalid && this.invalid.kind === 'invalid' && this.invalid.value === undefined) {
      this.invalid = { ...this.invalid, value: JSON.parse(utf8Text(c.pend, 0, c.pendLen)) };
    }
  }

  /** End of a scanner run: output everything complete (axis-wise: not the open vector). */
  settle(): void {
    if (this.mode === TENSOR && this.axiswise) {
      this.flushOut(this.vecStart);
      this.vecStart = 0;
    } else this.flushOut(this.emit.nVals);
  }
}
