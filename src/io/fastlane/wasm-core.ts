/**
 * The WebAssembly side of the wasm byte lane (wasm-lane.ts): dist/wasm/lane.wasm (compiled from
 * src/wasm/ by `npm run build`) read and compiled once per thread (or given by the main thread),
 * and LaneCore, one instance over its own memory: the regions the scan and write passes use
 * (values, cells, lines, input, output), laid out once and grown only when an input or output
 * does not fit (a grow detaches the typed-array views, which V8 then recompiles with checks).
 */
import { readFileSync } from 'node:fs';
import { formatNumberInto } from '../../numbers/format.js';
import { slowBytes } from '../../numbers/parse.js';

/** Room for the module's static data (tables): the regions start here. */
const STATIC = 1 << 16;
const PAGE = 1 << 16;
const MAX_VALS = 1 << 17;
const MAX_CELLS = 1 << 17;

/** The WebAssembly API used here (the project's lib, ES2022 without DOM, does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => LaneModule;
  Instance: new (module: LaneModule, imports: object) => { exports: object };
  Memory: new (d: { initial: number }) => WasmMemory;
}
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmGlobal {
  readonly value: number;
}
/** A compiled LaneModule of lane.wasm (cloneable to worker threads). */
export type LaneModule = { readonly __laneModule?: never };
const Wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

interface LaneExports {
  scanBatch(p: number, end: number): number;
  writeBatch(o: number): number;
  configure(plan: number): void;
  setLastCr(cr: number): void;
  heapBase(): number;
  parseRange(start: number, end: number): number;
  format(x: number, o: number): number;
  lastCr: WasmGlobal;
  batchLines: WasmGlobal;
  batchNeed: WasmGlobal;
  batchOdd: WasmGlobal;
}

let compiled: LaneModule | null | undefined;

/** The compiled lane module (compiled once per thread, or given by the main thread), or null when it is not built. */
export function laneModule(): LaneModule | null {
  if (compiled === undefined) {
    compiled = null;
    // dist/io/fastlane -> dist/wasm; the sources (tests) -> the built dist/wasm
    for (const rel of ['../../wasm/lane.wasm', '../../../dist/wasm/lane.wasm']) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(new URL(rel, import.meta.url));
      } catch {
        continue;
      }
      compiled = new Wasm.Module(bytes);
      break;
    }
  }
  return compiled;
}

/** A worker thread takes the module the main thread compiled (a Module is cloned between threads, not compiled again). */
export function useLaneModule(m: LaneModule | undefined): void {
  if (m && compiled === undefined) compiled = m;
}

/** What the wasm scan needs of the lane's options (TableLaneOptions has them). */
export interface CoreOptions {
  readonly select: Uint8Array;
  readonly sep: number;
  readonly rest: 0 | 1;
  readonly width?: number;
}

/** One instance of the module over its own memory, for one lane. */
export class LaneCore {
  readonly x: LaneExports;
  readonly memory: WasmMemory;
  /** Region offsets (bytes). */
  readonly valsAt: number;
  readonly lineValAt: number;
  inAt: number;
  inCap = 0;
  outAt = 0;
  outCap = 0;
  u8!: Uint8Array;
  vals!: Float64Array;
  lineVal!: Int32Array;

  constructor(module: LaneModule, o: CoreOptions, inCap: number) {
    const planAt = STATIC;
    const selAt = planAt + 64;
    const lineCellAt = align(selAt + o.select.length);
    this.lineValAt = lineCellAt + (MAX_CELLS + 1) * 4;
    const lineCrAt = this.lineValAt + (MAX_CELLS + 1) * 4;
    const cellAAt = align(lineCrAt + MAX_CELLS + 1);
    const cellBAt = cellAAt + MAX_CELLS * 4;
    this.valsAt = cellBAt + MAX_CELLS * 4;
    this.inAt = this.valsAt + MAX_VALS * 8;
    this.inCap = align(inCap);
    this.outAt = this.inAt + this.inCap;
    this.outCap = align(inCap + (1 << 20));
    // sized once, so that no grow detaches the views (V8 then drops the thread's typed-array code)
    this.memory = new Wasm.Memory({ initial: Math.ceil((this.outAt + this.outCap) / PAGE) });
    const instance = new Wasm.Instance(module, {
      env: {
        memory: this.memory,
        // what the wasm code cannot settle exactly goes to the TypeScript lane's own fallbacks
        slowParse: (start: number, end: number) => slowBytes(this.u8, start, end),
        slowFormat: (x: number, o: number) => formatNumberInto(x, this.u8, o),
      },
    });
    this.x = instance.exports as unknown as LaneExports;
    if (this.x.heapBase() > STATIC) throw new Error(`lane.wasm: static data beyond ${STATIC} bytes`);
    this.views();
    this.u8.set(o.select, selAt);
    // the plan src/wasm/lane.ts configure() reads: options, then the regions
    const plan = [o.sep, selAt, o.select.length, o.rest, o.width ?? 0, this.valsAt, MAX_VALS, cellAAt, cellBAt, MAX_CELLS, lineCellAt, this.lineValAt, lineCrAt];
    new Int32Array(this.memory.buffer, planAt, plan.length).set(plan);
    this.x.configure(planAt);
  }

  private views(): void {
    const b = this.memory.buffer;
    this.u8 = new Uint8Array(b);
    this.vals = new Float64Array(b, this.valsAt, MAX_VALS);
    this.lineVal = new Int32Array(b, this.lineValAt, MAX_CELLS + 1);
  }

  private grow(bytes: number): void {
    const have = this.memory.buffer.byteLength;
    if (bytes > have) this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.views();
  }

  /** Room for n input bytes; the output region (and the outLen bytes in it) moves up when the input one grows. */
  roomIn(n: number, outLen: number): void {
    if (n <= this.inCap) return;
    const inCap = align(Math.max(n, this.inCap * 2));
    const outAt = this.inAt + inCap;
    this.grow(outAt + this.outCap);
    this.u8.copyWithin(outAt, this.outAt, this.outAt + outLen);
    this.inCap = inCap;
    this.outAt = outAt;
  }

  /** Room for `need` more output bytes after outLen. */
  roomOut(outLen: number, need: number): void {
    if (outLen + need <= this.outCap) return;
    this.outCap = align(Math.max(this.outCap * 2, outLen + need));
    this.grow(this.outAt + this.outCap);
  }
}

function align(n: number): number {
  return (n + 15) & ~15;
}
