/**
 * Compressed inputs and outputs, told by their magic bytes (not the file name): gzip is
 * decompressed on the fly with node:zlib, a file or stdin alike; zstd, xz and bzip2 are refused
 * with a one-line error that names the tool to decompress with. `-o NAME.gz` writes gzip.
 *
 * A gzip input becomes a one-shot stream (like stdin): it has no path to reopen (the fast lane
 * and positioned reads would see the compressed bytes), so --axis 0 spills the decompressed rows
 * to a temporary file as it does for stdin. node:zlib is loaded only when gzip is met.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { ActivError } from '../errors.js';
import { readHead } from './fastlane/bytes.js';
import { Sink, type Input } from './streams.js';
import { compressionOf, MAGIC_BYTES, type Compression } from './compression-magic.js';
import { pipeInto } from './pipe.js';
import { ioMessage } from './errno.js';

export { compressionOf, MAGIC_BYTES, type Compression };

const TOOLS: Record<Exclude<Compression, 'gzip'>, string> = { zstd: 'zstd -dc', xz: 'xz -dc', bzip2: 'bzip2 -dc' };

function refuse(display: string, kind: Exclude<Compression, 'gzip'>): never {
  throw new ActivError(`${display}: ${kind}-compressed data; activ decompresses gzip only: decompress it first (${TOOLS[kind]})`, 'data');
}

async function* gunzip(display: string, chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  const { createGunzip } = await import('node:zlib');
  const z = pipeInto(Readable.from(chunks, { objectMode: false }), createGunzip());
  try {
    for await (const c of z) yield c as Buffer;
  } catch (e) {
    if (e instanceof ActivError) throw e;
    throw new ActivError(`${display}: bad gzip data: ${(e as Error).message}`, 'data');
  } finally {
    z.destroy();
  }
}

/**
 * The first bytes of a file, or none when it cannot be read (the real read reports why).
 * seam (startup, #11): synchronous calls, not fs/promises (whose loading costs every run
 * milliseconds) nor callbacks (three trips through the thread pool); O_NONBLOCK so that a path
 * that became a FIFO since it was looked at cannot hang the open.
 */
function fileHead(path: string): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return new Uint8Array(0);
  }
  try {
    const buf = new Uint8Array(MAGIC_BYTES);
    return buf.subarray(0, readSync(fd, buf, 0, MAGIC_BYTES, 0));
  } catch {
    return new Uint8Array(0);
  } finally {
    closeSync(fd);
  }
}

/** A one-shot input's chunks with the compression of its first bytes undone (or refused). */
async function* undoCompression(input: Input): AsyncIterable<Buffer> {
  const { head, rest } = await readHead(input.chunks(), (h) => h.length >= MAGIC_BYTES);
  const kind = compressionOf(head);
  if (kind === undefined) yield* rest;
  else if (kind === 'gzip') yield* gunzip(input.display, rest);
  else refuse(input.display, kind);
}

/**
 * The input as activ should read it: a gzip file becomes a one-shot stream of its decompressed
 * bytes, its extension the one under .gz; stdin is checked as it is read; others are unchanged.
 */
export async function decompressed(input: Input): Promise<Input> {
  if (input.text !== undefined) return input;
  if (!input.rereadable) return { ...input, chunks: () => undoCompression(input) };
  const kind = compressionOf(fileHead(input.path));
  if (kind === undefined) return input;
  if (kind !== 'gzip') refuse(input.display, kind);
  const inner = basename(input.path).replace(/\.gz$/i, '');
  const dot = inner.lastIndexOf('.');
  return {
    ...input,
    kind: 'stream',
    path: '', // nothing to reopen or read by position: the bytes on disk are compressed
    ext: dot > 0 ? inner.slice(dot + 1).toLowerCase() : '',
    rereadable: false,
    chunks: () => gunzip(input.display, input.chunks()),
  };
}

/** An output file: its sink, and commit/abort (FileOutput in streams.ts). */
export interface OutputFile {
  readonly sink: Sink;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/** The same file written through gzip: the sink compresses, commit finishes the stream then the file. */
export async function gzipOutput(file: OutputFile & { readonly path: string; writable(): Writable }): Promise<OutputFile> {
  const { createGzip } = await import('node:zlib');
  const { finished } = await import('node:stream/promises');
  const z = createGzip();
  const out = file.writable();
  z.pipe(out, { end: false });
  // pipe() only stops at a failed write (ENOSPC, EIO): fail the gzip stream too, or the sink's
  // writes would wait for a drain and commit for an end that never come (seen: exit 0, no file)
  out.once('error', (e: Error) => z.destroy(e));
  const sink = new Sink(z, file.path);
  return {
    sink,
    async commit() {
      await sink.finish(true);
      await finished(z).catch((e: Error) => {
        throw new ActivError(ioMessage(file.path, e), 'io');
      });
      await file.commit();
    },
    async abort() {
      z.destroy();
      await file.abort();
    },
  };
}
