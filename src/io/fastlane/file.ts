/**
 * The lane over a byte range of a file, read with positioned reads into one reused buffer, so a
 * gigabyte passes through a few megabytes of memory and allocates nothing per chunk.
 */
import { readSync } from 'node:fs';
import { reportRead } from '../progress-hook.js';
import { withRoom } from './bytes.js';
import type { TableLane } from './scan.js';

const READ = 1 << 20;

export class FdLane {
  /** File offset of the first byte not transformed. */
  consumed: number;
  /** The lane stopped before `to` at a line it cannot take. */
  stopped = false;
  done = false;
  private buf = new Uint8Array(READ * 2);
  private pos: number; // file offset of buf[0]
  private have = 0; // bytes in buf

  private to: number;

  constructor(
    private readonly lane: TableLane,
    readonly fd: number,
    from: number,
    to: number,
  ) {
    this.consumed = from;
    this.pos = from;
    this.to = to;
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
    this.have += n;
    reportRead(this.pos + this.have, to); // seam (shell, #14): progress
    const atEnd = this.pos + this.have >= to || n === 0;
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
