/**
 * Inputs: files, stdin and inline text as chunks of bytes; a one-shot input made replayable or
 * spilled to a temporary file for several passes; skipping the first lines of a byte stream.
 */
import { createReadStream, createWriteStream, promises as fsp } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { ActivError } from '../errors.js';
import { ioMessage } from './errno.js';

export interface Input {
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
