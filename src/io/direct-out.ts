/**
 * Output without a stream while it is small (issue 11: start-up): standard output, and `-o`'s
 * temporary file (sink.ts). A stream's creation loads Node's stream modules (for a pipe or a
 * terminal the network ones too, for a file fs's stream classes): milliseconds on every run.
 * DirectOut writes its descriptor with fs.writeSync while the output stays under DIRECT_LIMIT, then
 * hands over to the real stream for the rest (long outputs keep the stream's behaviour: a pipe
 * whose reader is slow is waited for by the event loop, not by a blocked thread, and a file's
 * writes overlap the work). A descriptor left non-blocking by whoever shares it (EAGAIN) hands
 * over at once. It offers what Sink uses of a Writable: write with a callback, events, destroyed,
 * need-drain, end; failures arrive as 'error' events, as a stream's do.
 */
import { EventEmitter } from 'node:events';
import { fstatSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

/** Bytes written directly before the stream takes over. */
export const DIRECT_LIMIT = 1 << 16;

type Callback = (e?: Error | null) => void;

/** The descriptor written directly (1 for stdout), and the stream that takes over from it. */
export interface DirectPlan {
  readonly fd: number;
  readonly open: () => Writable;
}

const MEMORY_DEVICES = 1; // Linux char major 1: /dev/null, /dev/zero, /dev/full, never a terminal

/** False when `fd` is surely not a terminal (cheap: one fstat); true when only a tty check can tell. */
export function mayBeTerminal(fd: number): boolean {
  if (process.platform !== 'linux') return true;
  try {
    const st = fstatSync(fd);
    return st.isCharacterDevice() && ((st.rdev >>> 8) & 0xfff) !== MEMORY_DEVICES;
  } catch {
    return false;
  }
}

export class DirectOut extends EventEmitter {
  private real: Writable | undefined;
  private written = 0;
  private failure: Error | undefined;

  constructor(private readonly plan: DirectPlan = { fd: 1, open: () => process.stdout }) {
    super();
  }

  get destroyed(): boolean {
    return this.real ? this.real.destroyed : this.failure !== undefined;
  }

  get writableNeedDrain(): boolean {
    return this.real?.writableNeedDrain ?? false;
  }

  /** A terminal? (npy output refuses one); the stream is created only when an fstat cannot tell. */
  get isTTY(): boolean {
    return mayBeTerminal(this.plan.fd) && (this.stream() as { isTTY?: boolean }).isTTY === true;
  }

  write(chunk: string | Uint8Array, cb?: Callback): boolean {
    if (this.real) return this.real.write(chunk, cb);
    if (this.failure) {
      if (cb) process.nextTick(cb, this.failure);
      return false;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (this.written + bytes.length > DIRECT_LIMIT) return this.stream().write(bytes, cb);
    let at = 0;
    try {
      while (at < bytes.length) at += writeSync(this.plan.fd, bytes, at);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') return this.fail(e as Error, cb);
    }
    this.written += at;
    if (at < bytes.length) return this.stream().write(bytes.subarray(at), cb);
    if (cb) process.nextTick(cb);
    return true;
  }

  end(cb?: () => void): this {
    if (this.real) this.real.end(cb);
    else if (cb) process.nextTick(cb);
    return this;
  }

  destroy(): this {
    if (this.real) this.real.destroy();
    else this.failure ??= Object.assign(new Error('write after destroy'), { code: 'ERR_STREAM_DESTROYED' });
    return this;
  }

  /**
   * The real stream from now on, for a producer that needs a Writable to pipe into (gzip, -o
   * NAME.gz); the bytes written directly so far stay before its own.
   */
  handOver(): Writable {
    return this.stream();
  }

  /** The real stream if it was created (a handed-over or long output), else undefined. */
  get opened(): Writable | undefined {
    return this.real;
  }

  /** The stream behind the descriptor, created on first need; its events become ours. */
  private stream(): Writable {
    if (!this.real) {
      const real = this.plan.open();
      for (const event of ['error', 'drain', 'close']) real.on(event, (...args: unknown[]) => this.emit(event, ...args));
      this.real = real;
    }
    return this.real;
  }

  private fail(e: Error, cb: Callback | undefined): boolean {
    this.failure = e;
    process.nextTick(() => {
      cb?.(e);
      this.emit('error', e);
    });
    return false;
  }
}
