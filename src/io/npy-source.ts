/**
 * Where a .npy array's bytes come from: a file (read in order, or at any position: a .npy file is
 * random access) or a stream (stdin: in order only, spilled to a temporary file when an axis needs
 * random access). Owns the header read and the size checks that turn a short or lying file into a
 * one-line error.
 */
import { promises as fsp } from 'node:fs';
import { ActivError } from '../errors.js';
import { headerLength, parseHeader, shapeRepr, type NpyHeader } from './npy-header.js';
import { spill, type Input } from './streams.js';

export interface NpySource {
  readonly where: string;
  readonly header: NpyHeader;
  /** The next `length` bytes of data, in order (a view valid until the next call). */
  next(length: number): Promise<Uint8Array>;
  /** `length` bytes of data at byte `offset` from the data's start; undefined for streams. */
  readonly at?: (offset: number, length: number) => Promise<Uint8Array>;
  close(): Promise<void>;
}

function truncated(where: string, h: NpyHeader, got: number): ActivError {
  return new ActivError(
    `${where}: truncated .npy file: shape ${shapeRepr(h.shape)} of ${h.dtype.size}-byte elements needs ${h.dataBytes} bytes of data, the file has ${got}`,
    'data',
  );
}

/** The data's size against the header's: short is truncated, long means the shape lies. */
function checkDataSize(where: string, h: NpyHeader, got: number): void {
  if (got < h.dataBytes) throw truncated(where, h, got);
  if (got > h.dataBytes) {
    throw new ActivError(`${where}: .npy header says shape ${shapeRepr(h.shape)} (${h.dataBytes} bytes of data) but ${got} bytes follow the header`, 'data');
  }
}

/** A growing scratch buffer: one allocation per size class, reused. */
class Scratch {
  private buf = Buffer.alloc(0);
  get(n: number): Buffer {
    if (this.buf.length < n) this.buf = Buffer.alloc(Math.max(n, this.buf.length * 2));
    return this.buf;
  }
}

export async function openNpyFile(path: string, where: string): Promise<NpySource> {
  let fh: fsp.FileHandle;
  try {
    fh = await fsp.open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ActivError(`${where}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, 'io');
  }
  try {
    const size = (await fh.stat()).size;
    const prefix = Buffer.alloc(12);
    const { bytesRead } = await fh.read(prefix, 0, 12, 0);
    const total = headerLength(prefix.subarray(0, bytesRead), where);
    if (total > size) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
    const head = Buffer.alloc(total);
    await fh.read(head, 0, total, 0);
    const header = parseHeader(head, where);
    checkDataSize(where, header, size - header.dataOffset);
    return fileSource(fh, { header, where, base: header.dataOffset });
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Where an array's data sits in a file: after its header, or (stdin spilled) from byte 0. */
interface Placement {
  readonly header: NpyHeader;
  readonly where: string;
  readonly base: number;
}

function fileSource(fh: fsp.FileHandle, place: Placement): NpySource {
  const { header, where, base } = place;
  const scratch = new Scratch();
  const at = async (offset: number, length: number): Promise<Uint8Array> => {
    const buf = scratch.get(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, base + offset + got);
      if (bytesRead === 0) throw truncated(where, header, offset + got);
      got += bytesRead;
    }
    return buf.subarray(0, length);
  };
  return randomAccess({ where, header, at, close: () => fh.close() });
}

/** A random-access source whose in-order reads are positioned reads from a moving offset. */
function randomAccess(s: Omit<NpySource, 'next'> & Required<Pick<NpySource, 'at'>>): NpySource {
  let pos = 0;
  return {
    ...s,
    async next(length) {
      const b = await s.at(pos, length);
      pos += length;
      return b;
    },
  };
}

/** Exact-length reads over an async iterator of chunks. */
class ChunkReader {
  private carry: Buffer = Buffer.alloc(0);
  private readonly scratch = new Scratch();
  constructor(readonly it: AsyncIterator<Buffer>) {}
  /** Up to n bytes (fewer only at the end of the stream). */
  async read(n: number): Promise<Buffer> {
    if (this.carry.length >= n) {
      const out = this.carry.subarray(0, n);
      this.carry = this.carry.subarray(n);
      return out;
    }
    const out = this.scratch.get(n);
    let got = this.carry.copy(out, 0);
    this.carry = Buffer.alloc(0);
    while (got < n) {
      const r = await this.it.next();
      if (r.done) break;
      const take = Math.min(n - got, r.value.length);
      r.value.copy(out, got, 0, take);
      got += take;
      if (take < r.value.length) this.carry = r.value.subarray(take);
    }
    return out.subarray(0, got);
  }
  /** What is left, as chunks: the carried bytes, then the rest of the stream. */
  async *rest(): AsyncIterable<Buffer> {
    if (this.carry.length) yield Buffer.from(this.carry);
    for (;;) {
      const r = await this.it.next();
      if (r.done) return;
      yield r.value;
    }
  }
}

export async function openNpyStream(chunks: AsyncIterable<Buffer>, where: string): Promise<{ source: NpySource; rest: () => AsyncIterable<Buffer> }> {
  const r = new ChunkReader(chunks[Symbol.asyncIterator]());
  const prefix = Buffer.from(await r.read(12));
  const total = headerLength(prefix, where);
  const more = await r.read(total - prefix.length);
  if (more.length < total - prefix.length) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
  const header = parseHeader(Buffer.concat([prefix, more]), where);
  let pos = 0;
  const source: NpySource = {
    where,
    header,
    async next(length) {
      const b = await r.read(length);
      if (b.length < length) throw truncated(where, header, pos + b.length);
      pos += length;
      if (pos === header.dataBytes) {
        let extra = 0;
        for await (const c of r.rest()) extra += c.length;
        checkDataSize(where, header, pos + extra);
      }
      return b;
    },
    close: async () => void (await r.it.return?.()),
  };
  return { source, rest: () => r.rest() };
}

/** Open an input's array: a file directly, a stream in order. */
export async function openNpy(input: Input): Promise<NpySource & { spill?: () => Promise<NpySource> }> {
  if (input.rereadable && input.text === undefined) return openNpyFile(input.path, input.display);
  const { source, rest } = await openNpyStream(input.chunks(), input.display);
  return {
    ...source,
    // Random access for stdin: copy the data (after the header) to a temporary file.
    spill: async () => {
      const s = await spill({ ...input, chunks: rest });
      const f = await fsp.open(s.input.path, 'r');
      const size = (await f.stat()).size;
      const h = source.header;
      try {
        checkDataSize(input.display, h, size);
      } catch (e) {
        await f.close();
        await s.cleanup();
        throw e;
      }
      const fs = fileSource(f, { header: h, where: input.display, base: 0 });
      return { ...fs, close: async () => (await f.close(), await s.cleanup()) };
    },
  };
}

/** An array held in memory (an entry of a .npz file), with the same checks as a file. */
export function memorySource(bytes: Uint8Array, where: string): NpySource {
  const prefix = bytes.subarray(0, 12);
  const total = headerLength(prefix, where);
  if (total > bytes.length) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
  const header = parseHeader(bytes.subarray(0, total), where);
  checkDataSize(where, header, bytes.length - total);
  const at = async (offset: number, length: number): Promise<Uint8Array> => bytes.subarray(total + offset, total + offset + length);
  return randomAccess({ where, header, at, close: async () => undefined });
}
