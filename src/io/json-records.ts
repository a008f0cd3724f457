/**
 * A JSON file that is one array of records (`[{...}, {...}]`), read record by record instead of
 * whole. Parsed whole, every record is held as objects at once, about 30x
 * the file: a 31 MB file peaked at 938 MB, and a few hundred MB would exceed V8's heap and end in
 * its fatal error (jq holds 6x). A first pass over the bytes checks the shape (one top-level array,
 * every element an object, nothing after it); anything else keeps the whole-document path and its
 * words. The records become the rows recordRows() makes: `record N`, members' source texts kept.
 * The check and the read are two passes under the input's PassGuard (passes.ts): a file whose
 * bytes change between them, in place or with its time restored, gets the changed-file error.
 */
import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { Checksum } from './checksum.js';
import { ActivError } from '../errors.js';
import { fileChanged, type PassGuard } from './passes.js';
import { documentTexts, jsonSyntaxError, rememberTexts } from './jsonlane/texts.js';
import { recordRows } from './json.js';
import type { Row } from './table.js';

const CHUNK = 1 << 20;
const ROWS_PER_BATCH = 1024;
/** Leading spaces past this, and the question is given up (the whole-document path takes the input). */
const HEAD_LIMIT = 1 << 16;

/** One element's text, and where it starts (1-based line and byte column). */
interface Element {
  readonly text: string;
  readonly line: number;
  readonly col: number;
}

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

/**
 * The top-level elements of the file's one array, each an object's text, in order (none when
 * `keep` is false: the shape check, which needs only the answer); returns
 * whether the whole file had that shape (false at the first byte that breaks it, true at its end).
 * Only the structure is checked: strings, escapes and brackets, not the elements' JSON.
 */
function* arrayElements(path: string, keep: boolean, guard?: PassGuard): Generator<Element, boolean> {
  const fd = openSync(path, 'r');
  try {
    // the check and the read are two passes: the guard compares the file and its bytes between them
    guard?.begin(fstatSync(fd, { bigint: true }));
    const sum = guard && new Checksum();
    const buf = Buffer.allocUnsafe(CHUNK);
    // before '[', after '[' (first element), in an element, after an element, after ',', after ']'
    let phase: 'start' | 'open' | 'element' | 'after' | 'comma' | 'end' = 'start';
    let depth = 0;
    let inString = false;
    let escaped = false;
    let line = 1;
    let col = 0; // bytes since the last newline
    let parts: Buffer[] = [];
    let from = -1; // where the element began in this chunk
    let startLine = 0;
    let startCol = 0;
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      sum?.update(buf.subarray(0, n));
      pos += n;
      for (let i = 0; i < n; i++) {
        const c = buf[i];
        if (c === 10) {
          line++;
          col = 0;
        } else col++;
        if (phase === 'element') {
          if (inString) {
            if (escaped) escaped = false;
            else if (c === 92) escaped = true;
            else if (c === 34) inString = false;
          } else if (c === 34) inString = true;
          else if (c === 123 || c === 91) depth++;
          else if ((c === 125 || c === 93) && --depth === 0) {
            if (keep) {
              // decoded straight from the chunk when the element lies in it (no Buffer per element)
              const text = parts.length === 0 ? buf.toString('utf8', from, i + 1) : Buffer.concat([...parts, buf.subarray(from, i + 1)]).toString('utf8');
              yield { text, line: startLine, col: startCol };
            }
            parts = [];
            from = -1;
            phase = 'after';
          }
          continue;
        }
        if (isSpace(c)) continue;
        if (phase === 'start' && c === 91) phase = 'open';
        else if ((phase === 'open' || phase === 'comma') && c === 123) {
          phase = 'element';
          depth = 1;
          from = i;
          startLine = line;
          startCol = col;
        } else if (phase === 'after' && c === 44) phase = 'comma';
        else if (phase === 'after' && c === 93) phase = 'end';
        else return false;
      }
      if (from >= 0) {
        if (keep) parts.push(Buffer.from(buf.subarray(from, n))); // a copy: buf is read into again
        from = 0;
      }
    }
    if (phase !== 'end') return false;
    guard?.end(0, sum);
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * Whether an input whose first bytes are `head` starts like an array of records (`[`, then `{`,
 * spaces allowed), or undefined while that is not known yet: a one-shot input that does is worth
 * copying to a file, to be read record by record.
 */
export function startsLikeRecordArray(head: Buffer): boolean | undefined {
  let i = 0;
  while (i < head.length && isSpace(head[i])) i++;
  if (i === head.length) return head.length > HEAD_LIMIT ? false : undefined;
  if (head[i++] !== 91) return false;
  while (i < head.length && isSpace(head[i])) i++;
  if (i === head.length) return head.length > HEAD_LIMIT ? false : undefined;
  return head[i] === 123;
}

/**
 * Whether `path` is a regular file that is one JSON array of records and nothing else (one pass
 * over its bytes, the guard's first when there is one); false when it does not open (the caller's
 * reader says why).
 */
export function isRecordArrayFile(path: string, guard?: PassGuard): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    const it = arrayElements(path, false, guard);
    for (let r = it.next(); ; r = it.next()) if (r.done) return r.value;
  } catch (e) {
    if (e instanceof ActivError) throw e; // the guard's
    return false;
  }
}

/**
 * The records of a file isRecordArrayFile() took, as rows, a batch at a time. A batch is parsed
 * as one array, and its members' texts taken in one scan (per record, the scanner's set-up cost
 * more than the records).
 */
export async function* readRecordArray(path: string, display: string, guard?: PassGuard): AsyncIterable<Row[]> {
  const it = arrayElements(path, true, guard);
  let batch: Element[] = [];
  let record = 0;
  for (let r = next(it, display); ; r = next(it, display)) {
    if (!r.done) batch.push(r.value);
    if (batch.length === 0 || (!r.done && batch.length < ROWS_PER_BATCH)) {
      if (r.done) return;
      continue;
    }
    const text = `[${batch.map((e) => e.text).join(',')}]`;
    let records: Record<string, unknown>[];
    try {
      records = JSON.parse(text) as Record<string, unknown>[]; // objects: each element's text starts with '{'
    } catch {
      throw firstSyntaxError(display, batch);
    }
    rememberTexts(records, documentTexts(text));
    yield recordRows(records, record);
    record += records.length;
    batch = [];
    if (r.done) return;
  }
}

/** The next element; the file changed when it no longer has the shape isRecordArrayFile() saw, or no longer opens. */
function next(it: Generator<Element, boolean>, display: string): IteratorResult<Element, true> {
  let r: IteratorResult<Element, boolean>;
  try {
    r = it.next();
  } catch (e) {
    if (e instanceof ActivError) throw e; // the guard's: the file or its bytes changed between the passes
    r = { done: true, value: false };
  }
  if (r.done && !r.value) {
    throw fileChanged(display);
  }
  return r as IteratorResult<Element, true>;
}

/**
 * The words for the first element of a batch that is not valid JSON, as the JSON lane words a
 * whole document's: the element is scanned behind the spaces of its column, so the scanner's line
 * and column are the file's once its first line is added.
 */
function firstSyntaxError(display: string, batch: readonly Element[]): ActivError {
  for (const e of batch) {
    const p = jsonSyntaxError(' '.repeat(e.col - 1) + e.text);
    if (p) return new ActivError(`${display}:${e.line + p.line - 1}:${p.col}: invalid JSON: ${p.message}`, 'data');
  }
  return new ActivError(`${display}: invalid JSON`, 'data'); // JSON.parse refused what the lane's scanner took
}
