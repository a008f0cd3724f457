/**
 * A small CSV, TSV or text file answered without the pipeline (issue 11: start-up, `activ relu
 * small.csv` or `activ relu < small.csv`): read at once, its format decided as main() decides it
 * (format-names.ts: the extension, else a look at the content), its head by head.ts's openHead
 * (header rule, column choice and the notes about text columns, for stderr), and its data lines
 * through the byte lane (fastlane/scan.ts), the lane main() runs on such a file. Only a file that
 * main() would take through that lane from its first data line to its end is answered; anything
 * else returns undefined and main() reads it, with its messages: a larger, non-regular or missing
 * file, compressed or binary bytes, JSON/NDJSON/NumPy, a quote or a lone CR (csv-parse reads
 * those), a blank line among the first two, a head main() refuses (no numeric column), a row of
 * one value along rows (a note), a step that changes row lengths (glu), a line the lane stops at
 * (a blank line, another width, a bad cell, a row the step refuses).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { sameNonEmptyFile, stdoutFile } from './same-file.js';
import { basename } from 'node:path';
import type { Kernel } from '../kernels/spec.js';
import { alongRows, tableDirection, valueStep } from '../tensor.js';
import { binaryKind } from './binary.js';
import { compressionOf } from './compression-magic.js';
import { TableLane } from './fastlane/scan.js';
import { formatFromExtension, sniff } from './format-names.js';
import { openHead } from './head.js';
import { bomLength, hasLoneCr } from './lines.js';
import type { Row } from './table.js';
import { splitText } from './text.js';

/** The largest file answered here: what input.ts reads at once too. */
export const SMALL_TABLE_BYTES = 1 << 16;

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SPACE = 32;

/**
 * A Buffer with the binding its toString('utf8', start, end) calls (bad sequences as U+FFFD, as the
 * readers decode them), called directly: the wrapper's first call costs start-up time.
 */
type Utf8Bytes = Buffer & { utf8Slice(start: number, end: number): string };

export interface SmallTablePlan {
  /** The file named, or a descriptor (standard input: a regular file, read from its offset on). */
  readonly from: { readonly path: string } | { readonly fd: number };
  /** The bound activation, and its name for tensor.ts (which words its messages). */
  readonly kernel: Kernel;
  readonly name: string;
}

/** What main() would write for the file: notes for stderr (without 'activ: '), then the output. */
export interface SmallTableOutput {
  readonly notes: readonly string[];
  /** The header line, written as main()'s writers write it (text). */
  readonly head: string;
  /** The data lines as the byte lane writes them (passthrough cells byte for byte). */
  readonly body: Uint8Array;
}

/** The file's output, exactly as main() would write it, or undefined when main() must answer. */
export async function smallTable(plan: SmallTablePlan): Promise<SmallTableOutput | undefined> {
  const { kernel, name } = plan;
  if (process.env.ACTIV_LANE === 'general' || tableDirection(kernel, name) === 'columns') return undefined; // makePlan's way out of the byte lanes; down the columns
  const step = alongRows(kernel, name);
  if (!step.keepsLength) return undefined;
  const input = readInput(plan.from);
  if (!input) return undefined;
  // scanned as a plain Uint8Array: its indexOf is V8's own, where a Buffer's first call compiles node:buffer's (~0.4 ms of start-up)
  const bytes = new Uint8Array(input.bytes.buffer, input.bytes.byteOffset, input.bytes.length);
  if (compressionOf(bytes) !== undefined || binaryKind(bytes) !== undefined) return undefined;
  const format = formatFromExtension(input.ext) ?? sniff(input.bytes.utf8Slice(0, bytes.length));
  if (format !== 'csv' && format !== 'tsv' && format !== 'text') return undefined;
  if ((format !== 'text' && bytes.includes(QUOTE)) || hasLoneCr(bytes)) return undefined;
  const delimiter = format === 'csv' ? ',' : format === 'tsv' ? '\t' : ' ';
  const first = firstRows(input.bytes, (text) => (format === 'text' ? splitText(text) : text === '' ? [] : text.split(delimiter))); // as readText and readCsvPlain split
  if (!first) return undefined;
  // the head as main() reads it: header rule, column choice and its notes (an error: main()'s to say)
  const notes: string[] = [];
  const report = { note: (m: string) => void notes.push(m), skipped: 0, nonfinite: 0 };
  const rows = (async function* () {
    yield first.rows;
  })();
  const opened = await openHead(rows, { format, display: input.display, inline: false, notes: true }, { read: { onInvalid: 'fail', lane: 'auto' }, write: { nonfinite: 'null' }, report }).catch(
    () => undefined,
  );
  const data = opened?.head.firstData;
  if (!opened || !data) return undefined;
  const { header, firstWidth } = opened.head;
  if (valueStep(kernel).wholeVectors && firstWidth === 1) return undefined; // main() notes that a row of one value says little
  const width = data.cells.length;
  const select = new Uint8Array(width);
  for (const i of opened.head.select(data, false)) select[i] = 1;
  const lane = new TableLane({ sep: format === 'text' ? SPACE : delimiter.charCodeAt(0), select, rest: 0, width, step, crlf: header?.eol === '\r\n' });
  // without a header the lane starts at the first line, after a BOM, as main()'s does
  if (lane.run(bytes, header ? first.secondAt : first.firstAt, bytes.length, true) !== bytes.length || lane.stopped) return undefined;
  input.consume(); // a descriptor is left at the end of the file, as main() leaves it
  return { notes, head: header ? (header.cells as string[]).join(delimiter) + header.eol : '', body: lane.take() };
}

/** The input's bytes (a small regular file), how messages name it, its extension, and how to finish reading it. */
function readInput(from: SmallTablePlan['from']): { bytes: Utf8Bytes; display: string; ext: string; consume(): void } | undefined {
  if ('fd' in from) {
    const fd = descriptorHead(from.fd);
    return fd && { bytes: fd.bytes as Utf8Bytes, consume: fd.consume, display: '<stdin>', ext: '' };
  }
  const bytes = readSmallFile(from.path);
  const name = basename(from.path);
  const dot = name.lastIndexOf('.');
  return bytes && { bytes: bytes as Utf8Bytes, display: from.path, ext: dot > 0 ? name.slice(dot + 1).toLowerCase() : '', consume: () => undefined };
}

/**
 * The first two lines as rows (a UTF-8 BOM dropped, as both readers drop it), and where the first
 * and the second start; undefined when one is blank (main() reads those with the general lane).
 */
function firstRows(bytes: Utf8Bytes, cellsOf: (text: string) => string[]): { rows: Row[]; firstAt: number; secondAt: number } | undefined {
  const start = bomLength(bytes);
  const one = lineAt(bytes, start);
  const two = one.next < bytes.length ? lineAt(bytes, one.next) : undefined;
  const rows: Row[] = [{ line: 1, cells: cellsOf(one.text), eol: one.eol }];
  if (two) rows.push({ line: 2, cells: cellsOf(two.text), eol: two.eol });
  return rows.some((r) => r.cells.length === 0) ? undefined : { rows, firstAt: start, secondAt: one.next };
}

/** The line from `at`: its text (UTF-8 decoded, its ending removed), ending, and the next line's start. */
function lineAt(bytes: Utf8Bytes, at: number): { text: string; eol: string; next: number } {
  let nl = bytes.indexOf(LF, at);
  const end = nl < 0 ? bytes.length : nl;
  const cr = end > at && bytes[end - 1] === CR;
  if (nl < 0) nl = bytes.length - 1;
  // a CR last in the file counts as CRLF, as both readers read it
  return { text: bytes.utf8Slice(at, cr ? end - 1 : end), eol: cr ? '\r\n' : end < bytes.length ? '\n' : '', next: nl + 1 };
}

/**
 * A descriptor (standard input) when it is a regular file with at most SMALL_TABLE_BYTES from its
 * offset on (`activ relu < small.csv`), read with positioned reads that leave the offset where it
 * is (main() reads from there if this path steps aside); `consume` then reads to the end, as main()
 * would. Linux only: the offset is read from /proc/self/fdinfo (Node has no lseek).
 */
function descriptorHead(fd: number): { bytes: Buffer; consume(): void } | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || sameNonEmptyFile(st, stdoutFile())) return undefined; // main() refuses it (same-file.ts)
    const pos = /^pos:\s*(\d+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    if (!pos || st.size - Number(pos[1]) > SMALL_TABLE_BYTES) return undefined;
    const bytes = readAll(fd, Number(pos[1]));
    const scratch = Buffer.allocUnsafe(SMALL_TABLE_BYTES + 1);
    return bytes && { bytes, consume: () => void readAll(fd, null, scratch) };
  } catch {
    return undefined;
  }
}

/** Up to SMALL_TABLE_BYTES from `at` (null: from the descriptor's offset, moving it), or undefined when there are more. */
function readAll(fd: number, at: number | null, buf = Buffer.allocUnsafe(SMALL_TABLE_BYTES + 1)): Buffer | undefined {
  let n = 0;
  for (let k = 1; k > 0 && n < buf.length; n += k) k = readSync(fd, buf, n, buf.length - n, at === null ? null : at + n);
  return n > SMALL_TABLE_BYTES ? undefined : buf.subarray(0, n);
}

/** A regular file of at most SMALL_TABLE_BYTES, read at once; undefined for anything else (main() says what). */
function readSmallFile(path: string): Buffer | undefined {
  let fd: number | undefined;
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st?.isFile() || st.size > SMALL_TABLE_BYTES) return undefined;
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK); // a path that became a FIFO cannot hang the open
    const opened = fstatSync(fd);
    return opened.isFile() && !sameNonEmptyFile(opened, stdoutFile()) ? readAll(fd, 0) : undefined; // main() refuses the output's own file (same-file.ts)
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
