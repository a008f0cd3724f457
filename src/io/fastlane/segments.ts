/**
 * One thread's share of a parallel pass (src/io/fastlane/parallel.ts): the lane over segments of
 * a file, each read with positioned reads and transformed into an output buffer that is kept
 * until its turn to be written, then given back for reuse. Workers and the main thread use it alike.
 *
 * The output buffers are SharedArrayBuffers: posted between threads they are shared, neither
 * copied nor transferred. A transfer detaches an ArrayBuffer, and the first detach in a thread
 * throws away all its optimized code that indexes typed arrays (V8's detaching protector), which
 * is then compiled again with a detach check on every access: ~10 recompiles per thread.
 */
import { closeSync, openSync } from 'node:fs';
import { FdLane, type ByteLane } from './file.js';
import type { SegmentReply } from './parallel.js';
import type { TableLaneOptions } from './scan.js';
import { tableLane } from './wasm-lane.js';

/** seam (ndjson-speed): any byte lane (the CSV lane, the NDJSON lane), and what it adds to each reply. */
export interface SegmentWork extends ByteLane {
  /** Lines transformed so far. */
  readonly lines: number;
  /** Asked once a segment is done (the NDJSON lane: its widths and non-finite values). */
  extra?(): unknown;
}

export class SegmentLane {
  private readonly lane: SegmentWork;
  private readonly fd: number;
  private readonly range: FdLane;
  /** Output buffers written and given back, for reuse. */
  private readonly pool: Uint8Array<SharedArrayBuffer>[] = [];

  constructor(path: string, options: TableLaneOptions | { work: SegmentWork }) {
    this.lane = 'work' in options ? options.work : tableLane(options); // seam (wasm)
    this.fd = openSync(path, 'r');
    this.range = new FdLane(this.lane, this.fd, 0, 0);
    this.range.quiet = true; // the pass reports progress as segments are written
  }

  /** Transform bytes [from, to) of the file: segment `id`'s output, lines and where it stopped. */
  run(id: number, from: number, to: number): SegmentReply {
    const { lane, range } = this;
    let out = this.pool.pop() ?? shared(2 << 20);
    let length = 0;
    const linesBefore = lane.lines;
    range.reset(from, to);
    for (let o = range.step(); o !== undefined; o = range.step()) {
      if (length + o.length > out.length) {
        const grown = shared(Math.max(out.length * 2, length + o.length));
        grown.set(out.subarray(0, length));
        out = grown;
      }
      out.set(o, length);
      length += o.length;
    }
    return { id, out, length, consumed: range.consumed, lines: lane.lines - linesBefore, stopped: range.stopped, extra: lane.extra?.() };
  }

  recycle(out: Uint8Array<SharedArrayBuffer>): void {
    this.pool.push(out);
  }

  close(): void {
    closeSync(this.fd);
  }
}

function shared(bytes: number): Uint8Array<SharedArrayBuffer> {
  return new Uint8Array(new SharedArrayBuffer(bytes));
}
