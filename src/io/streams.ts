/**
 * Bytes in and out: inputs (files, stdin, inline text), line splitting, and an output sink that
 * batches text into large writes and waits for 'drain' (backpressure). `-o FILE` goes to a
 * temporary file in the same directory that is renamed into place only on success.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { ActivError } from '../errors.js';

/** Thrown when the reader of our output went away (EPIPE): the program ends quietly with 0. */
export class PipeClosed extends Error {
  constructor() {
    super('output pipe closed');
    this.name = 'PipeClosed';
  }
}

function ioMessage(name: string, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err?.code) {
    case 'ENOENT':
      return `${name}: no such file`;
    case 'EACCES':
    case 'EPERM':
      return `${name}: permission denied`;
    case 'EISDIR':
      return `${name}: is a directory`;
    default:
      return `${name}: ${err?.message ?? String(e)}`;
  }
}

export interface Input {
  /** A file (read again for each pass), a one-shot stream (stdin), or numbers typed on the command line. */
  readonly kind: 'file' | 'stream' | 'inline';
  /** As given on the command line: a path, '-' for stdin, or '' for inline numbers. */
  readonly path: string;
  /** How messages name it. */
  readonly display: string;
  /** The file name's extension, lower case, without the dot. */
  readonly ext: string;
  /** Bytes from the start; may be called again for files (several passes). */
  chunks(): AsyncIterable<Buffer>;
  /** A file that can be read again. */
  readonly rereadable: boolean;
  /** Inline text (numbers typed on the command line). */
  readonly text?: string;
}

export function fileInput(path: string): Input {
  const b = basename(path);
  const dot = b.lastIndexOf('.');
  return {
    path,
    kind: 'file',
    display: path,
    ext: dot > 0 ? b.slice(dot + 1).toLowerCase() : '',
    rereadable: true,
    async *chunks() {
      const stream = createReadStream(path, { highWaterMark: 1 << 16 });
      try {
        for await (const c of stream) yield c as Buffer;
      } catch (e) {
        throw new ActivError(ioMessage(path, e), 'io');
      } finally {
        stream.destroy();
      }
    },
  };
}

export function stdinInput(stream: NodeJS.ReadableStream = process.stdin): Input {
  let used = false;
  return {
    kind: 'stream',
    path: '-',
    display: '<stdin>',
    ext: '',
    rereadable: false,
    async *chunks() {
      if (used) throw new Error('stdin read twice');
      used = true;
      try {
        for await (const c of stream) yield c as Buffer;
      } catch (e) {
        throw new ActivError(ioMessage('<stdin>', e), 'io');
      }
    },
  };
}

export function textInput(text: string, display = '<arguments>'): Input {
  return {
    kind: 'inline',
    path: '',
    display,
    ext: '',
    rereadable: true,
    text,
    async *chunks() {
      yield Buffer.from(text);
    },
  };
}

/**
 * A one-shot input (stdin) that can be read from the start once more: the first reader's chunks
 * are recorded, and a reader that stops early leaves the source open. `replay()` yields the
 * recorded chunks and then the rest of the source; `forget()` stops recording (the first reader
 * goes on alone). Lets the pipeline look at the first rows with the general reader, then hand the
 * same bytes to the fast lane.
 */
export class Replayable {
  private readonly source: AsyncIterator<Buffer>;
  private recorded: Buffer[] | undefined = [];
  private ended = false;
  readonly input: Input;

  constructor(base: Input) {
    this.source = base.chunks()[Symbol.asyncIterator]();
    const self = this;
    this.input = {
      ...base,
      async *chunks() {
        for (;;) {
          const r = await self.source.next();
          if (r.done) {
            self.ended = true;
            return;
          }
          self.recorded?.push(r.value);
          yield r.value;
        }
      },
    };
  }

  forget(): void {
    this.recorded = undefined;
  }

  async *replay(): AsyncIterable<Buffer> {
    const head = this.recorded ?? [];
    this.recorded = undefined;
    yield* head;
    while (!this.ended) {
      const r = await this.source.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

/**
 * Skip the first n lines of a byte stream; the rest starts at the byte after the n-th newline.
 * Returns the byte offset of that point too.
 */
export async function skipLines(
  chunks: AsyncIterable<Buffer>,
  n: number,
): Promise<{ offset: number; rest: AsyncIterable<Buffer>; close: () => Promise<unknown> }> {
  const it = chunks[Symbol.asyncIterator]();
  let offset = 0;
  let first: Buffer | undefined;
  while (n > 0) {
    const r = await it.next();
    if (r.done) break;
    let p = 0;
    while (n > 0) {
      const q = r.value.indexOf(10, p);
      if (q < 0) break;
      p = q + 1;
      n--;
    }
    if (n === 0) {
      first = r.value.subarray(p);
      offset += p;
    } else offset += r.value.length;
  }
  async function* rest(): AsyncIterable<Buffer> {
    if (first?.length) yield first;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { offset, rest: rest(), close: async () => it.return?.() };
}

/**
 * Copy a one-shot input (stdin) to a temporary file so it can be read several times; the
 * returned input deletes nothing: call `cleanup` when done.
 */
export async function spill(input: Input): Promise<{ input: Input; cleanup: () => Promise<void> }> {
  const dir = await fsp.mkdtemp(join(tmpdir(), 'activ-'));
  const path = join(dir, 'stdin');
  const out = createWriteStream(path);
  try {
    for await (const c of input.chunks()) {
      if (!out.write(c)) {
        await new Promise<void>((res, rej) => {
          const ok = (): void => {
            out.off('error', bad);
            res();
          };
          const bad = (e: Error): void => {
            out.off('drain', ok);
            rej(e);
          };
          out.once('drain', ok);
          out.once('error', bad);
        });
      }
    }
    await new Promise<void>((res, rej) => out.end((e?: Error | null) => (e ? rej(e) : res())));
  } catch (e) {
    out.destroy();
    await fsp.rm(dir, { recursive: true, force: true });
    if (e instanceof ActivError) throw e;
    throw new ActivError(ioMessage('temporary file', e), 'io');
  }
  const f = fileInput(path);
  return {
    input: { ...f, display: input.display, ext: input.ext },
    cleanup: () => fsp.rm(dir, { recursive: true, force: true }),
  };
}

/** Strip a UTF-8 byte order mark from the first chunk. */
export async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncIterable<string> {
  const dec = new TextDecoder('utf-8', { ignoreBOM: false });
  for await (const c of chunks) {
    const s = dec.decode(c, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

export interface Line {
  text: string;
  eol: string;
  line: number;
}

/** Split decoded text into lines, keeping each line's ending ('\n', '\r\n', or '' at EOF). */
export async function* lines(text: AsyncIterable<string>): AsyncIterable<Line[]> {
  let carry = '';
  let n = 0;
  let lastEol: string | undefined;
  for await (const s of text) {
    const buf = carry + s;
    const batch: Line[] = [];
    let p = 0;
    let cr = buf.indexOf('\r'); // found once per chunk and moved on only when passed: linear time
    for (;;) {
      if (cr >= 0 && cr < p) cr = buf.indexOf('\r', p);
      const lf = buf.indexOf('\n', p);
      const q = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (q < 0) break;
      // a CR last in the buffer may be the first half of a CRLF: wait for the next chunk
      if (buf.charCodeAt(q) === 13 && q + 1 === buf.length) break;
      const eol = buf.charCodeAt(q) === 10 ? '\n' : buf.charCodeAt(q + 1) === 10 ? '\r\n' : '\r';
      batch.push({ text: buf.slice(p, q), eol, line: ++n });
      lastEol = eol;
      p = q + eol.length;
    }
    carry = buf.slice(p);
    if (batch.length) yield batch;
  }
  if (carry) {
    // a CR alone at the very end is CRLF, as the byte lane reads it, unless the lines end in lone CRs
    const cr = carry.endsWith('\r');
    yield [{ text: cr ? carry.slice(0, -1) : carry, eol: cr ? (lastEol === '\r' ? '\r' : '\r\n') : '', line: ++n }];
  }
}

/**
 * Text out with backpressure: `write` appends to a buffer; `flush` sends it once it is large and
 * resolves when the stream can take more. A closed pipe (EPIPE) rejects with PipeClosed.
 */
export class Sink {
  private parts: string[] = [];
  private size = 0;
  private failure: Error | undefined;
  private readonly onError = (e: NodeJS.ErrnoException): void => {
    this.failure = e.code === 'EPIPE' || e.code === 'ERR_STREAM_DESTROYED' ? new PipeClosed() : new ActivError(ioMessage(this.name, e), 'io');
  };

  constructor(
    readonly stream: Writable,
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
    await new Promise<void>((resolve) => this.stream.write(bytes, (e) => (e ? this.onError(e) : undefined, resolve())));
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

/** `-o FILE`: write to a temporary sibling and rename it over FILE on success. */
export class FileOutput {
  readonly tmp: string;
  readonly sink: Sink;
  constructor(readonly path: string) {
    this.tmp = join(dirname(path), `.${basename(path)}.activ-${process.pid}-${Date.now().toString(36)}.tmp`);
    const stream = createWriteStream(this.tmp, { flags: 'wx' });
    this.sink = new Sink(stream, path);
  }

  async commit(): Promise<void> {
    await this.sink.finish(true);
    try {
      // Keep the mode of a file we replace (an executable stays executable).
      const st = await fsp.stat(this.path).catch(() => undefined);
      if (st) await fsp.chmod(this.tmp, st.mode & 0o7777);
      await fsp.rename(this.tmp, this.path);
    } catch (e) {
      await this.abort();
      throw new ActivError(ioMessage(this.path, e), 'io');
    }
  }

  async abort(): Promise<void> {
    this.sink.stream.destroy();
    await fsp.rm(this.tmp, { force: true }).catch(() => undefined);
  }
}
