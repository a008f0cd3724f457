/**
 * Output: a sink that batches text into large writes and waits for 'drain' (backpressure), and
 * `-o FILE`: written directly (devices, FIFOs) or through a temporary file renamed on success.
 */
import { closeSync, createWriteStream, fchmodSync, fchownSync, fsyncSync, renameSync, rmSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { ActivError } from '../errors.js';
import { DirectOut } from './direct-out.js';
import { removeOnSignal } from './cleanup.js';
import { ioMessage } from './errno.js';
import { createTemp, resolveTarget, type Target } from './target.js';

/** What a Sink uses of its stream: a Writable, or standard output written directly (direct-out.ts). */
export interface OutStream {
  write(chunk: string | Uint8Array, callback?: (error: Error | null | undefined) => void): boolean;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  end(cb?: () => void): unknown;
  destroy(): unknown;
  readonly destroyed: boolean;
  readonly writableNeedDrain: boolean;
}

/** Thrown when the reader of our output went away (EPIPE): the program ends quietly with 0. */
export class PipeClosed extends Error {
  constructor() {
    super('output pipe closed');
    this.name = 'PipeClosed';
  }
}

/**
 * Text out with backpressure: `write` appends to a buffer; `flush` sends it once it is large and
 * resolves when the stream can take more. A closed pipe (EPIPE) rejects with PipeClosed.
 */
export class Sink<S extends OutStream = OutStream> {
  private parts: string[] = [];
  private size = 0;
  private failure: Error | undefined;
  private readonly onError = (e: NodeJS.ErrnoException): void => {
    this.failure = e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' ? new PipeClosed() : new ActivError(ioMessage(this.name, e), 'io');
  };

  constructor(
    readonly stream: S,
    readonly name: string,
    private readonly threshold = 1 << 16,
  ) {
    stream.on('error', this.onError);
  }

  private timer: NodeJS.Timeout | undefined;

  write(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    // Slow input (tail -f, a terminal): do not hold small output back for long.
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.size > 0 && !this.failure && !this.stream.destroyed) {
          const text = this.parts.join('');
          this.parts = [];
          this.size = 0;
          this.stream.write(text);
        }
      }, 20);
      this.timer.unref();
    }
  }

  /**
   * Bytes from the fast lane, after any text written before them; resolves once the stream has
   * written them, so the caller may reuse its buffer.
   */
  async writeBytes(bytes: Uint8Array): Promise<void> {
    await this.flush(true);
    if (bytes.length === 0) return;
    if (this.stream.destroyed) throw this.failure ?? new PipeClosed();
    // Wait until the stream has taken the bytes: the caller reuses its buffer, and no copy is made.
    // Or until it closes: a transform (gzip) destroyed by its destination's error never calls
    // back the write it was in (seen: -o NAME.gz past ulimit -f, the run stalled).
    await new Promise<void>((resolve) => {
      const s = this.stream;
      const done = (): void => {
        s.off('close', done);
        resolve();
      };
      s.on('close', done);
      s.write(bytes, (e) => {
        if (e) this.onError(e);
        done();
      });
    });
    if (this.failure) throw this.failure;
  }

  /** Send buffered text if there is enough of it (or `force`), waiting for drain if needed. */
  async flush(force = false): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.size === 0 || (!force && this.size < this.threshold)) {
      if (this.stream.writableNeedDrain) await this.waitDrain();
      return;
    }
    const text = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.size = 0;
    if (this.stream.destroyed) throw this.failure ?? new PipeClosed();
    if (!this.stream.write(text)) await this.waitDrain();
    if (this.failure) throw this.failure;
  }

  private waitDrain(): Promise<void> {
    return new Promise((resolve, reject) => {
      const s = this.stream;
      const done = (): void => {
        s.off('drain', done);
        s.off('error', fail);
        s.off('close', done);
        if (this.failure) reject(this.failure);
        else resolve();
      };
      const fail = (e: NodeJS.ErrnoException): void => {
        this.onError(e);
        done();
      };
      s.on('drain', done);
      s.on('error', fail);
      s.on('close', done);
    });
  }

  /** Flush everything; for files also close the stream and wait until the data is written. */
  async finish(close: boolean): Promise<void> {
    await this.flush(true);
    if (close) {
      await new Promise<void>((resolve, reject) => {
        this.stream.end((e?: Error | null) => (e ? reject(new ActivError(ioMessage(this.name, e), 'io')) : resolve()));
      });
    } else if (this.stream.writableNeedDrain) {
      await this.waitDrain();
    }
    if (this.failure) throw this.failure;
  }
}

/**
 * `-o FILE`: see target.ts for where the bytes go. A replaced file is written to its temporary
 * sibling, which gets its final mode (and owner, when activ may set it) through the descriptor and
 * is renamed over the file only on success; an interrupted run removes it (cleanup.ts).
 */
export class FileOutput {
  readonly sink: Sink<Writable | DirectOut>;
  private readonly target: Target;
  private temp?: { path: string; fd: number; forget: () => void };

  constructor(readonly path: string) {
    this.target = resolveTarget(path);
    if (this.target.kind === 'direct') {
      this.sink = new Sink(createWriteStream(path, { flags: 'w' }), path);
      return;
    }
    const t = createTemp(this.target.dest, path);
    this.temp = { ...t, forget: removeOnSignal(t.path) };
    // the temporary file is ours and regular: a small output is written to it directly, a large
    // one through a stream from 64 KiB on (direct-out.ts), which leaves the descriptor to commit
    this.sink = new Sink(new DirectOut({ fd: t.fd, open: () => createWriteStream(t.path, { fd: t.fd, autoClose: false }) }), path);
  }

  /** The stream under the sink, for a producer that pipes into it (gzipOutput). */
  writable(): Writable {
    const s = this.sink.stream;
    return s instanceof DirectOut ? s.handOver() : s;
  }

  async commit(): Promise<void> {
    await this.sink.finish(true);
    const { target, temp } = this;
    if (target.kind === 'direct' || !temp) return;
    try {
      if (target.owner) {
        try {
          fchownSync(temp.fd, target.owner.uid, target.owner.gid);
        } catch {
          // not root: the new file is ours, as with any rewrite by its owner's group
        }
      }
      fchmodSync(temp.fd, target.mode);
      if (process.env.ACTIV_FSYNC === '1') fsyncSync(temp.fd);
      await this.closeTemp(temp);
      renameSync(temp.path, target.dest);
      temp.forget();
    } catch (e) {
      await this.abort();
      throw new ActivError(ioMessage(this.path, e), 'io');
    }
  }

  async abort(): Promise<void> {
    const { temp } = this;
    if (!temp || temp.fd < 0) {
      this.sink.stream.destroy();
      if (!temp) return;
    } else {
      try {
        await this.closeTemp(temp);
      } catch {
        // a failed close leaves nothing to keep: the file is removed below
      }
    }
    rmSync(temp.path, { force: true });
    temp.forget();
  }

  /**
   * Closes the temporary file's descriptor exactly once. A stream over it closes it when destroyed
   * (fs streams do, autoClose: false or not), asynchronously: closing it here as well would close
   * whatever file took the number in between (seen: a later -o's writes failing with EBADF).
   */
  private async closeTemp(temp: { fd: number }): Promise<void> {
    const { fd } = temp;
    const stream = this.sink.stream;
    const real = stream instanceof DirectOut ? stream.opened : stream;
    temp.fd = -1;
    if (real) await closeStream(real);
    else closeSync(fd);
  }
}

/** Destroys a file stream and waits until its descriptor is closed; a failed close rejects. */
function closeStream(s: Writable): Promise<void> {
  if (s.closed) return Promise.resolve();
  return new Promise((resolve, reject) => {
    let failure: Error | undefined;
    s.once('error', (e: Error) => (failure = e));
    s.once('close', () => (failure ? reject(failure) : resolve()));
    s.destroy();
  });
}
