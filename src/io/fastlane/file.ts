/**
 * The lane over a byte range of a file, read with positioned reads into one reused buffer, so a
 * gigabyte passes through a few megabytes of memory and allocates nothing per chunk.
 */
import { readSync } from 'node:fs';
import { reportRead } from '../progress-hook.js';
import { withRoom } from './bytes.js';

/** seam (ndjson-speed): what FdLane drives, the CSV lane (scan.ts) or the NDJSON lane (jsonlane/ndjson-file.ts). */
export interface ByteLane {
  /** Transform the whole lines in buf[start, end); returns the first byte not consumed. */
  run(buf: Uint8Array, start: number, end: number, atEof: boolean): number;
  /** The last run stopped at a line the lane cannot take. */
  readonly stopped: boolean;
  /** The output so far, and reset it. */
  take(): Uint8Array;
}

const READ = 1 << 20;
const NOTHING = new Uint8Array(0);

export class FdLane {
  /** File offset of the first byte not transformed. */
  consumed: number;
  /** The lane stopped before `to` at a line it cannot take. */
  stopped = false;
  done = false;
  private buf: Uint8Array<ArrayBuffer>;
  private pos: number; // file offset of buf[0]
  private have = 0; // bytes in buf

  private to: number;
  /** Report no progress: the range is one segment of a larger pass, which reports its own. */
  quiet = false;
  /** safety seam: sees every byte read, in order (a pass's checksum, src/io/passes.ts). */
  onRead?: (buf: Uint8Array, start: number, end: number) => void;

  constructor(
    private readonly lane: ByteLane,
    readonly fd: number,
    from: number,
    to: number,
  ) {
    this.consumed = from;
    this.pos = from;
    this.to = to;
    // safety seam: a small file gets a small buffer (withRoom grows it for longer ranges)
    this.buf = new Uint8Array(Math.min(READ * 2, Math.max(4096, to - from + 1)));
  }

  /** Start on another range, keeping the buffer (a worker goes from segment to segment). */
  reset(from: number, to: number): void {
    this.consumed = from;
    this.pos = from;
    this.to = to;
    this.have = 0;
    this.stopped = false;
    this.done = false;
  }

  /** Transform the next chunk; returns the lane's output (valid until the next call), or undefined when done. */
  step(): Uint8Array | undefined {
    if (this.done) return undefined;
    const { lane, to } = this;
    const want = Math.min(READ, to - (this.pos + this.have));
    this.buf = withRoom(this.buf, this.have, want); // grows only for a line longer than a chunk
    const n = want > 0 ? readSync(this.fd, this.buf, this.have, want, this.pos + this.have) : 0;
    this.onRead?.(this.buf, this.have, this.have + n);
    this.have += n;
    if (!this.quiet) reportRead(this.pos + this.have, to); // seam (shell, #14): progress
    const atEnd = this.pos + this.have >= to || n === 0;
    // safety seam: bytes without a newline end no line: wait for more rather than scan the carry again
    if (!atEnd && this.buf.subarray(this.have - n, this.have).indexOf(10) < 0) return NOTHING;
    const used = lane.run(this.buf, 0, this.have, atEnd);
    this.consumed = this.pos + used;
    if (lane.stopped || (atEnd && used < this.have)) {
      this.stopped = this.consumed < to;
      this.done = true;
    } else if (atEnd) this.done = true;
    this.buf.copyWithin(0, used, this.have);
    this.pos += used;
    this.have -= used;
    return lane.take();
  }
}
