/**
 * AssemblyScript entry of dist/wasm/lane.wasm: the byte lane's scan and write passes over plain
 * CSV/TSV lines (src/io/fastlane/wasm-lane.ts is the JS side, which lays out the memory, runs the
 * kernel between the passes and hands every other line to the TypeScript lane, scan.ts).
 *
 * scanBatch reads whole lines from the input region exactly as TableLane.plainLine does: each
 * selected cell parsed where it stands (its end found by the parse), each passthrough cell
 * skipped to its separator. It stops before a line that is not plain (empty, no line end yet, a
 * quote, a stray CR, a cell that is not a number, another width) and reports why.
 * writeBatch writes the batch's lines: values formatted, passthrough cells copied.
 */
import { formatNumber, scanNumber, scanned } from './number';

const LF: u8 = 10;
const CR: u8 = 13;
const QUOTE: u8 = 34;

/** Values per batch before no new line is started (as TableLane's BATCH_VALUES). */
const BATCH_VALUES: i32 = 1 << 16;

// The options and the memory layout, set by configure() from JS.
let sep: u8 = 44;
let selPtr: usize = 0;
let selLen: i32 = 0;
let rest: u8 = 0;
let width: i32 = 0;
let valsPtr: usize = 0;
let maxVals: i32 = 0;
let cellAPtr: usize = 0; // per cell: start of a passthrough cell, or -1 for a value
let cellBPtr: usize = 0; // per cell: end of a passthrough cell, or its value's index
let maxCells: i32 = 0;
let lineCellPtr: usize = 0; // per line: first cell; one extra at the end
let lineValPtr: usize = 0; // per line: first value; one extra at the end
let lineCrPtr: usize = 0; // per line: 1 when it ended in CR LF

/** The last line's ending (CR LF or LF): the JS side reads it for the TypeScript lane. */
export let lastCr: bool = false;
/** After scanBatch: lines, output bytes the write may need, and whether it stopped at a line it cannot take. */
export let batchLines: i32 = 0;
export let batchNeed: i32 = 0;
export let batchOdd: bool = false;

/** First free byte after the module's static data: the JS side lays its regions out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Options and layout from the 13 32-bit words at `plan` (src/io/fastlane/wasm-core.ts writes them):
 * separator, selection (address, length), rest, width, values (address, capacity), cell starts and
 * ends (addresses, capacity), per line first cell, first value and CR (addresses).
 */
export function configure(plan: usize): void {
  sep = <u8>load<i32>(plan);
  selPtr = <usize>load<i32>(plan, 4);
  selLen = load<i32>(plan, 8);
  rest = <u8>load<i32>(plan, 12);
  width = load<i32>(plan, 16);
  valsPtr = <usize>load<i32>(plan, 20);
  maxVals = load<i32>(plan, 24);
  cellAPtr = <usize>load<i32>(plan, 28);
  cellBPtr = <usize>load<i32>(plan, 32);
  maxCells = load<i32>(plan, 36);
  lineCellPtr = <usize>load<i32>(plan, 40);
  lineValPtr = <usize>load<i32>(plan, 44);
  lineCrPtr = <usize>load<i32>(plan, 48);
}

export function setLastCr(cr: bool): void {
  lastCr = cr;
}

// The batch's cells and values so far (a plain line adds its own), and that line's output room and CR.
let batchCells: i32 = 0;
let batchValues: i32 = 0;
let lineNeed: i32 = 0;
let lineCrlf: u8 = 0;
/** plainLine: not an ordinary complete line (-1), or no room left in this batch (-2). */
const NOT_PLAIN: isize = -1;
const FULL: isize = -2;

function plainLine(p: usize, end: usize): isize {
  const first = load<u8>(p);
  if (first == LF || first == CR) return NOT_PLAIN;
  const cells0 = batchCells;
  let nCells = cells0;
  let nVals = batchValues;
  let need: i32 = 2 + 48; // and the last value's may spill past the line's end
  let col: i32 = 0;
  let q = p;
  for (;;) {
    if (nCells >= maxCells) return FULL;
    let e: usize;
    const selected = col < selLen ? load<u8>(selPtr + col) : rest;
    if (selected) {
      const r = scanNumber(q, end);
      if (r < 0) return NOT_PLAIN;
      if (nVals >= maxVals) return FULL;
      e = <usize>r;
      store<i32>(cellAPtr + (<usize>nCells << 2), -1);
      store<i32>(cellBPtr + (<usize>nCells << 2), nVals);
      store<f64>(valsPtr + (<usize>nVals << 3), scanned);
      nVals++;
      need += 49; // formatNumber may write 48 bytes, then the separator
    } else {
      e = q;
      while (e < end) {
        const c = load<u8>(e);
        if (c == sep || c == LF || c == CR || c == QUOTE) break;
        e++;
      }
      store<i32>(cellAPtr + (<usize>nCells << 2), <i32>q);
      store<i32>(cellBPtr + (<usize>nCells << 2), <i32>e);
      need += <i32>(e - q) + 1;
    }
    nCells++;
    col++;
    if (e >= end) return NOT_PLAIN;
    const c = load<u8>(e);
    if (c == sep) {
      q = e + 1;
      continue;
    }
    let next: usize;
    if (c == LF) {
      lineCrlf = 0;
      next = e + 1;
    } else if (c == CR && e + 1 < end && load<u8>(e + 1) == LF) {
      lineCrlf = 1;
      next = e + 2;
    } else return NOT_PLAIN;
    if (width > 0 && nCells - cells0 != width) return NOT_PLAIN;
    batchCells = nCells;
    batchValues = nVals;
    lineNeed = need;
    return <isize>next;
  }
}

/** Scan the plain lines from p (a line start) on, up to end; returns where the batch ends. */
export function scanBatch(p: usize, end: usize): usize {
  let nLines: i32 = 0;
  let need: i32 = 0;
  let odd = false;
  batchCells = 0;
  batchValues = 0;
  while (p < end && batchValues < BATCH_VALUES) {
    const nCells = batchCells;
    const nVals = batchValues;
    const next = plainLine(p, end);
    if (next < 0) {
      // a line too large for an empty batch is the TypeScript lane's too
      odd = next == NOT_PLAIN || nLines == 0;
      break;
    }
    store<i32>(lineCellPtr + (<usize>nLines << 2), nCells);
    store<i32>(lineValPtr + (<usize>nLines << 2), nVals);
    store<u8>(lineCrPtr + <usize>nLines, lineCrlf);
    lastCr = lineCrlf != 0;
    need += lineNeed;
    nLines++;
    p = <usize>next;
  }
  store<i32>(lineCellPtr + (<usize>nLines << 2), batchCells);
  store<i32>(lineValPtr + (<usize>nLines << 2), batchValues);
  batchLines = nLines;
  batchNeed = need;
  batchOdd = odd;
  return p;
}

/** Write the batch's lines at o (batchNeed bytes free); returns the end. */
export function writeBatch(o: usize): usize {
  const nLines = batchLines;
  let c = load<i32>(lineCellPtr);
  for (let i: i32 = 0; i < nLines; i++) {
    const c1 = load<i32>(lineCellPtr + ((<usize>i + 1) << 2));
    for (; c < c1; ) {
      const a = load<i32>(cellAPtr + (<usize>c << 2));
      const b = load<i32>(cellBPtr + (<usize>c << 2));
      if (a < 0) o = formatNumber(load<f64>(valsPtr + (<usize>b << 3)), o);
      else {
        memory.copy(o, <usize>a, <usize>(b - a));
        o += <usize>(b - a);
      }
      c++;
      store<u8>(o++, sep);
    }
    // the last cell's separator becomes the line end
    if (load<u8>(lineCrPtr + <usize>i)) {
      store<u8>(o - 1, CR);
      store<u8>(o++, LF);
    } else store<u8>(o - 1, LF);
  }
  return o;
}

/** Test hooks (test/wasm/number.test.ts): one number parsed from [start, end), NaN when not all of it is one. */
export function parseRange(start: usize, end: usize): f64 {
  return scanNumber(start, end) == <isize>end ? scanned : NaN;
}
export function format(x: f64, o: usize): usize {
  return formatNumber(x, o);
}
