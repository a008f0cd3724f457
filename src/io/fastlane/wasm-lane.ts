/**
 * The byte lane with its scan and write passes in WebAssembly (dist/wasm/lane.wasm, compiled
 * from src/wasm/ by `npm run build`): the same bytes as TableLane (scan.ts), about twice as fast,
 * since wasm has the 64-bit integers that exact parsing and shortest formatting want.
 *
 * Per batch: the wasm scan parses the plain lines' selected cells into a Float64Array in wasm
 * memory, the row step (TypeScript: the math exists once) runs over that view, and the wasm
 * write pass formats the values between the passthrough cells into an output region. A line
 * the wasm scan does not take (a word such as nan, a quote, a bad cell, an empty line, another
 * width, a last line without an ending) goes to a TableLane, which takes it or stops exactly as
 * it would alone; rare numbers the wasm parser cannot settle are read by Number() (imported).
 *
 * Start-up: nothing is read or compiled until a lane has seen WASM_MIN_BYTES; before that, and
 * for --precision/--decimals and text, the TableLane does all the work.
 */
import { RowMisfit } from '../../tensor.js';
import { TableLane, type TableLaneOptions } from './scan.js';
import { LaneCore, laneModule, type LaneModule } from './wasm-core.js';

const LF = 10;
const SPACE = 32;
/**
 * Input bytes a lane sees before it switches to wasm. Reading, compiling and instantiating the
 * module costs ~3 ms; the TypeScript lane, still cold, spends more than that on 64 KiB (measured:
 * 70 KB sigmoid 167 ms against 202 ms; 20 KB even), and a 3-line CSV never loads the module.
 */
export const WASM_MIN_BYTES = 1 << 14;
/**
 * Test hooks: ACTIV_WASM=0 keeps the byte lane in TypeScript, ACTIV_WASM=always takes wasm from the
 * first byte (small test inputs included); the tests compare the lanes.
 */
export function wasmWanted(): boolean {
  return process.env.ACTIV_WASM !== '0';
}
function wasmFrom(): number {
  return process.env.ACTIV_WASM === 'always' ? 0 : WASM_MIN_BYTES;
}

/** Whether the wasm lane can do these options (not --precision/--decimals, not text). */
function wasmCan(o: TableLaneOptions): boolean {
  return o.precision === undefined && o.sep !== SPACE;
}

/** The byte lane for these options: the wasm lane when it can do them (it delegates to TableLane until the input is large). */
export function tableLane(o: TableLaneOptions): TableLane | WasmTableLane {
  if (!wasmCan(o) || !wasmWanted()) return new TableLane(o);
  return new WasmTableLane(o);
}

/** The byte lane of scan.ts, its plain lines done in wasm: the same interface (run, take, stopped, lines). */
export class WasmTableLane {
  stopped = false;
  /** Lines and bytes done by the TableLane before the switch, and lines by wasm since. */
  private wasmLines = 0;
  private seen = 0;
  private core: LaneCore | undefined;
  private readonly ts: TableLane;
  private outLen = 0;
  /** Input bytes before the switch to wasm; Infinity: never (options only the TableLane does). */
  private from: number;

  /** `from`: test hook, the input bytes before the switch to wasm (default WASM_MIN_BYTES, or ACTIV_WASM's). */
  constructor(
    private readonly o: TableLaneOptions,
    from?: number,
  ) {
    this.ts = new TableLane(o);
    this.from = wasmCan(o) ? (from ?? wasmFrom()) : Infinity;
  }

  get lines(): number {
    return this.wasmLines + this.ts.lines;
  }

  /** Whether the wasm core has taken over (tests check that they test it). */
  get inWasm(): boolean {
    return this.core !== undefined;
  }

  run(buf: Uint8Array, start: number, end: number, atEof: boolean): number {
    this.stopped = false;
    let core = this.core;
    if (!core) {
      this.seen += end - start;
      const module = this.seen >= this.from ? laneModule() : null;
      core = module ? this.startCore(module, end - start) : undefined;
      if (!core) {
        const used = this.ts.run(buf, start, end, atEof);
        this.stopped = this.ts.stopped;
        return used;
      }
      // what the TableLane wrote before the switch comes first
      this.append(this.ts.take());
    }
    const { x } = core;
    core.roomIn(end - start, this.outLen);
    core.u8.set(buf.subarray(start, end), core.inAt);
    const base = core.inAt - start; // wasm address of buf[i] is base + i
    x.setLastCr(this.ts.lastCr ? 1 : 0);
    let p = start;
    while (p < end) {
      const next = x.scanBatch(base + p, base + end) - base;
      const rows = x.batchLines.value;
      if (rows > 0) {
        if (!this.apply(core, rows)) {
          this.stopped = true;
          break; // nothing of this batch written: the general lane takes it, with its own message
        }
        if (this.o.step.writes) {
          core.roomOut(this.outLen, x.batchNeed.value);
          this.outLen = x.writeBatch(core.outAt + this.outLen) - core.outAt;
        }
        this.wasmLines += rows;
        p = next;
      }
      if (!x.batchOdd.value) continue;
      // a line for the TableLane: it takes it, or stops before it, or waits for its end
      const nl = buf.indexOf(LF, p);
      if ((nl < 0 || nl >= end) && !atEof) break;
      const lineEnd = nl < 0 || nl >= end ? end : nl + 1;
      this.ts.lastCr = (x.lastCr.value) !== 0;
      const used = this.ts.run(buf, p, lineEnd, lineEnd === end && atEof);
      this.append(this.ts.take());
      x.setLastCr(this.ts.lastCr ? 1 : 0);
      if (this.ts.stopped || used === p) {
        this.stopped = this.ts.stopped;
        break;
      }
      p = used;
    }
    this.ts.lastCr = (x.lastCr.value) !== 0;
    return p;
  }

  /**
   * The wasm core, or none (and the TableLane from now on) when its memory cannot be had: V8
   * reserves ~10 GB of address space for a wasm memory, more than a `ulimit -v` of some batch
   * systems allows. The TableLane writes the same bytes, more slowly.
   */
  private startCore(module: LaneModule, bytes: number): LaneCore | undefined {
    try {
      return (this.core = new LaneCore(module, this.o, Math.max(2 * bytes, 1 << 16)));
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      this.from = Infinity;
      return undefined;
    }
  }

  /** The output so far, and reset it. The view is valid until the next call to run(). */
  take(): Uint8Array {
    const core = this.core;
    if (!core) return this.ts.take();
    const v = core.u8.subarray(core.outAt, core.outAt + this.outLen);
    this.outLen = 0;
    return v;
  }

  private append(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const core = this.core!;
    core.roomOut(this.outLen, bytes.length);
    core.u8.set(bytes, core.outAt + this.outLen);
    this.outLen += bytes.length;
  }

  /** Run the row step over the batch in place; false when a row does not fit it (prelu width). */
  private apply(core: LaneCore, rows: number): boolean {
    try {
      this.o.step.apply({ values: core.vals, start: core.lineVal, rows });
      return true;
    } catch (e) {
      if (e instanceof RowMisfit) return false;
      throw e;
    }
  }
}
