/**
 * Inputs: files, stdin and inline text as chunks of bytes; a one-shot input made replayable or
 * spilled to a temporary file for several passes; skipping the first lines of a byte stream.
 */
import { promises as fsp, closeSync, constants, createReadStream, fstatSync, openSync, readSync, statSync, unlinkSync, writeSync, type ReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ActivError } from '../errors.js';
import { readWatched, reportRead } from './progress-hook.js';
import { Checksum } from './checksum.js';
import { removeOnSignal } from './cleanup.js';
import { ioMessage } from './errno.js';
import { bomLength } from './lines.js';
import { PassGuard } from './passes.js';
import { processStdinChunks } from './stdin-fd.js';
import { randomName } from './target.js';

export interface Input {
  /** A file (read again for each pass), a one-shot stream (stdin, a pipe), or numbers typed on the command line. */
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
  /** Regular files: checks that each pass reads the same file and bytes (passes.ts). */
  readonly guard?: PassGuard;
}

/**
 * A named input. Regular files (and paths that do not open: their read reports why) may be read
 * several times, each pass checked against the others (passes.ts); anything else (a pipe, FIFO,
 * /dev/stdin, a process substitution, a character device) is read once, as a stream, like stdin.
 */
export function fileInput(path: string, display = path): Input {
  const b = basename(path);
  const dot = b.lastIndexOf('.');
  const ext = dot > 0 ? b.slice(dot + 1).toLowerCase() : '';
  if (isStream(path)) return streamInput(() => createReadStream(path, { highWaterMark: 1 << 16 }), display, ext, path);
  const guard = new PassGuard(path, display);
  return {
    kind: 'file',
    path,
    display,
    ext,
    rereadable: true,
    guard,
    async *chunks() {
      const sum = new Checksum();
      const start = readStart(path, guard);
      sum.update(start.bytes);
      if (start.fd === undefined) {
        if (start.bytes.length) yield start.bytes;
        guard.end(0, sum);
        return;
      }
      // The rest streams from the same descriptor (the same file, even if the path is replaced
      // meanwhile). A reader that needs only the head (the header rule, the byte lane's start)
      // stops at the first chunk, and no stream is opened.
      const first = start.bytes.length;
      let stream: ReadStream | undefined;
      let whole = false;
      try {
        if (first) yield start.bytes;
        stream = createReadStream(path, { fd: start.fd, start: first, highWaterMark: 1 << 16 });
        const size = readWatched() ? await fsp.stat(path).then((s) => s.size, () => 0) : 0; // progress (--progress)
        for await (const c of stream) {
          sum.update(c as Buffer);
          reportRead(first + stream.bytesRead, size);
          yield c as Buffer;
        }
        whole = true;
      } catch (e) {
        if (e instanceof ActivError) throw e;
        throw new ActivError(ioMessage(path, e), 'io');
      } finally {
        if (stream) stream.destroy(); // (closes the descriptor)
        else closeSync(start.fd);
      }
      guard.end(0, whole ? sum : undefined);
    },
  };
}

const SMALL = 1 << 16;
/** A larger file's first chunk: enough for most tables' header and first rows, far less to parse than 64 KiB. */
const HEAD = 1 << 12;

/**
 * A file's start, read with synchronous calls: a small regular file whole (many small inputs
 * would otherwise wait for the thread pool four times each: open, read, read to the end, close),
 * else its first HEAD bytes and the open descriptor (`fd`) to stream the rest from. A reader that
 * stops at the head (the header rule, then the byte lane, which reads the file itself) then parses
 * 4 KiB instead of a stream's first 64 KiB and opens no stream (the 77 MB CSV's head: 20-26 ms -> 4-5 ms).
 */
function readStart(path: string, guard: PassGuard): { bytes: Buffer; fd?: number } {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new ActivError(ioMessage(path, e), 'io');
  }
  let keep = false;
  try {
    const st = fstatSync(fd, { bigint: true });
    guard.begin(st); // this pass has begun: read to the end, however long the file has grown
    if (!st.isFile()) {
      keep = true;
      return { bytes: Buffer.alloc(0), fd }; // a directory: the stream says why it cannot be read
    }
    if (st.size > BigInt(SMALL)) {
      const head = Buffer.allocUnsafe(HEAD);
      let n = 0;
      for (let k = 1; k > 0 && n < HEAD; n += k) k = readSync(fd, head, n, HEAD - n, n);
      keep = true;
      return { bytes: head.subarray(0, n), fd };
    }
    let buf = Buffer.allocUnsafe(Number(st.size) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) buf = Buffer.concat([buf, Buffer.allocUnsafe(buf.length)]);
      const k = readSync(fd, buf, n, buf.length - n, n);
      if (k === 0) return { bytes: buf.subarray(0, n) };
      n += k;
    }
  } catch (e) {
    if (e instanceof ActivError) throw e;
    throw new ActivError(ioMessage(path, e), 'io');
  } finally {
    if (!keep) closeSync(fd);
  }
}

/** Whether a path names something that is read once, as a stream (not a regular file or a directory). */
function isStream(path: string): boolean {
  try {
    const st = statSync(path);
    return !st.isFile() && !st.isDirectory();
  } catch {
    return false; // the read reports why it cannot open it
  }
}

/** A one-shot byte stream (stdin, a pipe named as a file): read once. */
function streamInput(open: () => AsyncIterable<Buffer | string>, display: string, ext: string, path = display): Input {
  let used = false;
  return {
    kind: 'stream',
    path,
    display,
    ext,
    rereadable: false,
    async *chunks() {
      if (used) throw new Error(`${display} read twice`);
      used = true;
      let offset = 0;
      try {
        for await (const c of open()) {
          reportRead((offset += (c as Buffer).length), 0); // progress (--progress): no size known
          yield c as Buffer;
        }
      } catch (e) {
        throw new ActivError(ioMessage(display, e), 'io');
      }
    },
  };
}

/** stdin: the stream given, or this process's fd 0 (start-up seam, issue 11: stdin-fd.ts creates process.stdin only when needed). */
export function stdinInput(stream?: NodeJS.ReadableStream): Input {
  return streamInput(() => stream ?? processStdinChunks(), '<stdin>', '', '-');
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
  if (n === 0) {
    // the rest starts at the input's first line: a UTF-8 BOM before it is no cell's (both readers drop it)
    let head: Buffer = Buffer.alloc(0);
    while (head.length < 3) {
      const r = await it.next();
      if (r.done) break;
      head = head.length ? Buffer.concat([head, r.value]) : r.value;
    }
    offset = bomLength(head);
    first = head.subarray(offset);
  }
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
 * Copy a one-shot input (stdin, a pipe) to a temporary file so it can be read several times. The
 * file is created exclusively with mode 0600 and, on Linux, unlinked at once: it is read again
 * through /proc/self/fd/N (a new open file each time, worker threads included), so nothing is left
 * behind whatever ends the process. Elsewhere it is removed by `cleanup` or on a signal.
 */
export async function spill(input: Input): Promise<{ input: Input; cleanup: () => Promise<void> }> {
  const path = join(tmpdir(), `activ-spill-${randomName()}`);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o600);
  } catch (e) {
    throw new ActivError(ioMessage(`temporary file in ${tmpdir()} (TMPDIR)`, e), 'io');
  }
  const byFd = process.platform === 'linux';
  let forget = (): void => {};
  if (byFd) unlinkSync(path);
  else forget = removeOnSignal(path);
  const cleanup = async (): Promise<void> => {
    try {
      closeSync(fd);
    } catch {
      // closed already
    }
    if (!byFd) {
      try {
        unlinkSync(path);
      } catch {
        // gone already
      }
      forget();
    }
  };
  // Plain synchronous writes: no stream owns the descriptor, so a failure part way (a refused
  // chunk, a full disk) leaves exactly one close to do, in cleanup (a stream's destroy would close it too).
  try {
    for await (const c of input.chunks()) {
      for (let at = 0; at < c.length; ) at += writeSync(fd, c, at, c.length - at);
    }
  } catch (e) {
    await cleanup();
    if (e instanceof ActivError) throw e;
    throw new ActivError(ioMessage(`temporary file in ${tmpdir()} (TMPDIR)`, e), 'io');
  }
  const f = fileInput(byFd ? `/proc/self/fd/${fd}` : path, input.display);
  return { input: { ...f, ext: input.ext }, cleanup };
}
