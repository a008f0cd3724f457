/**
 * A streaming JSON tokenizer over byte chunks: the grammar of JSON.parse (RFC 8259), for a
 * sequence of documents as jq reads them (one, one per line, or any run of documents separated by
 * whitespace or simply adjacent), with an explicit stack instead of recursion.
 *
 * It owns syntax and places only: every token is handed to a JsonEvents handler as a byte range
 * of the caller's buffer, and every syntax error is a JsonSyntaxError with the line and column
 * (UTF-16 units, as in the decoded text, after a byte order mark) of the offending character.
 *
 * Limits (documented in README): nesting deeper than MAX_DEPTH (10,000) and a single string or
 * number token longer than MAX_TOKEN (64 MiB) are errors with their place, never a stack overflow
 * or an exhausted heap.
 */
import { bomLength } from '../lines.js';

export const MAX_DEPTH = 10_000;
export const MAX_TOKEN = 64 << 20;

export const ARR = 1;
export const OBJ = 2;
export const TRUE = 1;
export const FALSE = 2;
export const NULL = 3;

/** What the scanner reports. Ranges are [s, e) in `buf` as passed to run(); `at` is absolute. */
export interface JsonEvents {
  open(kind: number, at: number): void;
  close(kind: number, at: number): void;
  /** A string key, quotes included. */
  key(buf: Uint8Array, s: number, e: number): void;
  number(buf: Uint8Array, s: number, e: number, at: number): void;
  /** A string value, quotes included; `escaped` when it holds a backslash. */
  string(buf: Uint8Array, s: number, e: number, escaped: boolean, at: number): void;
  literal(which: number, at: number): void;
  /** A document begins (its first byte is at `at`) and ends. */
  docStart(at: number): void;
  docEnd(): void;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

// What comes next.
const VALUE = 0; // a value (after ':' or ',' in an array)
const VALUE_OR_CLOSE = 1; // after '['
const COMMA_OR_CLOSE = 2; // after a value inside a container
const KEY_OR_CLOSE = 3; // after '{'
const KEY = 4; // after ',' in an object
const COLON = 5; // after a key
const TOP = 6; // between documents

const QUOTE = 34;
const BACKSLASH = 92;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function charText(c: number): string {
  if (c >= 32 && c < 127) return `'${String.fromCharCode(c)}'`;
  return `byte 0x${c.toString(16).padStart(2, '0')}`;
}

export class JsonScanner {
  /** The open arrays and objects; grows as documents nest deeper, up to MAX_DEPTH + 1. */
  private stack = new Uint8Array(64);
  private depth = 0;
  private next = TOP;
  /** Line of the byte at `lineStart` (1-based), and the UTF-16 adjustment since then. */
  private line = 1;
  private lineStart = 0;
  private adj = 0;
  /** Absolute offset of buf[0] in the current run() call. */
  private base = 0;
  private started = false;
  /** Documents seen. */
  docs = 0;

  constructor(private readonly h: JsonEvents) {}

  /**
   * Scan buf[start, end) (absolute offset of buf[start] = the end of the previous call); with
   * atEof, the input ends there. Returns the offset of the first byte not consumed: the start of
   * a token that continues past `end` (give it again, with more bytes after it).
   */
  run(buf: Uint8Array, start: number, end: number, atEof: boolean): number {
    const h = this.h;
    const base = this.base - start; // absolute offset of buf[0]
    this.buf0 = base;
    let p = start;
    if (!this.started) {
      if (end - p < 3 && !atEof) return p;
      this.started = true;
      if (end - p >= 3 && bomLength(buf, p) === 3) {
        p += 3;
        this.lineStart = base + p;
      }
    }
    let next = this.next;
    try {
      while (p < end) {
        let c = buf[p];
        // Whitespace, counting lines.
        if (c <= 32) {
          if (c === 32 || c === 9 || c === 13) {
            p++;
            continue;
          }
          if (c === 10) {
            p++;
            this.line++;
            this.lineStart = base + p;
            this.adj = 0;
            continue;
          }
        }
        const at = base + p;
        if (next === TOP) {
          h.docStart(at);
          next = VALUE;
        }
        switch (next) {
          case COMMA_OR_CLOSE: {
            const kind = this.stack[this.depth];
            if (c === 44) {
              next = kind === ARR ? VALUE : KEY;
              p++;
              continue;
            }
            if ((c === 93 && kind === ARR) || (c === 125 && kind === OBJ)) {
              p++;
              next = this.closed(kind, at);
              continue;
            }
            this.fail(kind === ARR ? "expected ',' or ']' after array element" : "expected ',' or '}' after property value", at);
            break;
          }
          case COLON:
            if (c !== 58) this.fail("expected ':' after property name", at);
            p++;
            next = VALUE;
            continue;
          case KEY_OR_CLOSE:
          case KEY: {
            if (c === 125 && next === KEY_OR_CLOSE) {
              p++;
              next = this.closed(OBJ, at);
              continue;
            }
            if (c !== QUOTE) this.fail(next === KEY ? 'expected a double-quoted property name' : "expected a property name or '}'", at);
            const q = this.stringEnd(buf, p, end, atEof);
            if (q < 0) return p;
            h.key(buf, p, q);
            p = q;
            next = COLON;
            continue;
          }
          case VALUE_OR_CLOSE:
            if (c === 93) {
              p++;
              next = this.closed(ARR, at);
              continue;
            }
            break;
          default:
        }
        // A value.
        if (c === 91 || c === 123) {
          if (this.depth >= MAX_DEPTH) this.fail(`nested deeper than ${MAX_DEPTH} arrays and objects`, at);
          const kind = c === 91 ? ARR : OBJ;
          if (this.depth + 1 >= this.stack.length) this.stack = growStack(this.stack);
          this.stack[++this.depth] = kind;
          h.open(kind, at);
          p++;
          next = kind === ARR ? VALUE_OR_CLOSE : KEY_OR_CLOSE;
          continue;
        }
        if (c === QUOTE) {
          const e = this.stringEnd(buf, p, end, atEof);
          if (e < 0) return p;
          h.string(buf, p, e, this.escaped, at);
          p = e;
          next = this.valueDone();
          continue;
        }
        if (c === 45 || isDigit(c)) {
          const e = this.numberEnd(buf, p, end, atEof);
          if (e < 0) return p;
          h.number(buf, p, e, at);
          p = e;
          next = this.valueDone();
          continue;
        }
        if (c === 116 || c === 102 || c === 110) {
          const word = c === 116 ? 'true' : c === 102 ? 'false' : 'null';
          const n = word.length;
          for (let i = 1; i < n; i++) {
            if (p + i >= end) {
              if (!atEof) return p;
              this.fail('unexpected end of input', base + end);
            }
            if (buf[p + i] !== word.charCodeAt(i)) this.fail(`unexpected character ${charText(buf[p + i])}`, base + p + i);
          }
          h.literal(c === 116 ? TRUE : c === 102 ? FALSE : NULL, at);
          p += n;
          next = this.valueDone();
          continue;
        }
        this.fail(`unexpected character ${charText(c)}`, at);
      }
      if (atEof && next !== TOP) this.fail('unexpected end of input', base + end);
      return p;
    } finally {
      this.next = next;
      this.base = base + p;
    }
  }

  /** After a complete value: the state that follows it (and the end of a document at depth 0). */
  private valueDone(): number {
    if (this.depth === 0) {
      this.docs++;
      this.h.docEnd();
      return TOP;
    }
    return COMMA_OR_CLOSE;
  }

  private closed(kind: number, at: number): number {
    this.depth--;
    this.h.close(kind, at);
    return this.valueDone();
  }

  /** Whether the last string scanned holds an escape. */
  private escaped = false;

  /** The end of the string starting at p (its closing quote + 1); -1 when it continues past `end`. */
  private stringEnd(buf: Uint8Array, p: number, end: number, atEof: boolean): number {
    let i = p + 1;
    let escaped = false;
    let adj = 0;
    for (;;) {
      if (i >= end) {
        if (!atEof) {
          if (end - p > MAX_TOKEN) this.fail(`a string longer than ${MAX_TOKEN} bytes`, this.abs(buf, p));
          return -1;
        }
        this.adj += adj;
        this.fail('unterminated string', this.abs(buf, end));
      }
      const c = buf[i];
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        if (i + 1 >= end) {
          i++;
          continue; // reported above: more input needed, or unterminated
        }
        const e = buf[i + 1];
        if (e === 117) {
          for (let k = 2; k < 6; k++) {
            if (i + k >= end) {
              if (!atEof) return -1;
              this.adj += adj;
              this.fail('unterminated string', this.abs(buf, end));
            }
            const x = buf[i + k] | 32;
            if (!(isDigit(x) || (x >= 97 && x <= 102))) {
              this.adj += adj;
              this.fail('bad Unicode escape', this.abs(buf, i + k));
            }
          }
          i += 6;
          continue;
        }
        if (e !== QUOTE && e !== BACKSLASH && e !== 47 && e !== 98 && e !== 102 && e !== 110 && e !== 114 && e !== 116) {
          this.adj += adj;
          this.fail('bad escaped character', this.abs(buf, i + 1));
        }
        i += 2;
        continue;
      }
      if (c < 32) {
        this.adj += adj;
        this.fail('bad control character in string', this.abs(buf, i));
      }
      if (c >= 0x80) {
        if ((c & 0xc0) === 0x80) adj--;
        else if (c >= 0xf0) adj++;
      }
      i++;
    }
    if (i + 1 - p > MAX_TOKEN) this.fail(`a string longer than ${MAX_TOKEN} bytes`, this.abs(buf, p));
    this.adj += adj;
    this.escaped = escaped;
    return i + 1;
  }

  /** The end of the number starting at p, -1 when it may continue past `end`. */
  private numberEnd(buf: Uint8Array, p: number, end: number, atEof: boolean): number {
    let i = p;
    if (buf[i] === 45) {
      i++;
      if (i >= end) return atEof ? this.failAt('no number after minus sign', buf, i) : -1;
      if (!isDigit(buf[i])) this.failAt('no number after minus sign', buf, i);
    }
    if (buf[i] === 48) {
      i++;
    } else {
      while (i < end && isDigit(buf[i])) i++;
    }
    if (i >= end && !atEof) return this.tooLong(buf, p, end);
    if (i < end && buf[i] === 46) {
      i++;
      const d = i;
      while (i < end && isDigit(buf[i])) i++;
      if (i >= end && !atEof) return this.tooLong(buf, p, end);
      if (i === d) this.failAt('unterminated fractional number', buf, i);
    }
    if (i < end && (buf[i] | 32) === 101) {
      i++;
      if (i < end && (buf[i] === 43 || buf[i] === 45)) i++;
      const d = i;
      while (i < end && isDigit(buf[i])) i++;
      if (i >= end && !atEof) return this.tooLong(buf, p, end);
      if (i === d) this.failAt('exponent part is missing a number', buf, i);
    }
    // A leading zero followed by digits: JSON.parse says "unexpected number" there.
    if (i < end && isDigit(buf[i])) this.failAt('unexpected number (a leading zero)', buf, i);
    return i;
  }

  private tooLong(buf: Uint8Array, p: number, end: number): number {
    if (end - p > MAX_TOKEN) this.failAt(`a number longer than ${MAX_TOKEN} bytes`, buf, p);
    return -1;
  }

  /** Absolute offset of buf[i] in this run() call. */
  private abs(_buf: Uint8Array, i: number): number {
    return this.buf0 + i;
  }

  private failAt(message: string, buf: Uint8Array, i: number): never {
    return this.fail(message, this.abs(buf, i));
  }

  private buf0 = 0;

  /** Throw a syntax error at absolute offset `at` (on the current line: errors are never past a newline). */
  private fail(message: string, at: number): never {
    throw new JsonSyntaxError(message, this.line, at - this.lineStart + this.adj + 1);
  }
}

function growStack(stack: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(Math.min(stack.length * 2, MAX_DEPTH + 1));
  grown.set(stack);
  return grown;
}
