/**
 * Driving the fast lane over an input's bytes: single-threaded over a byte stream (stdin, small
 * files), or on every core over a large file. Either way it returns where it stopped so the
 * general lane can go on from that line with the same header, selection and writer.
 */
import { closeSync, createReadStream, openSync } from 'node:fs';
import { prepend, resume, withRoom } from './bytes.js';
import { FdLane } from './file.js';
import { PARALLEL_MIN_BYTES, transformFileParallel, workerCount } from './parallel.js';
import type { TableLaneOptions } from './scan.js';
import { tableLane } from './wasm-lane.js';

export interface ByteSink {
  writeBytes(bytes: Uint8Array): Promise<void>;
}

export interface LaneResult {
  /** Lines transformed. */
  lines: number;
  /** The bytes from the first line not transformed on, or undefined when all were. */
  rest?: AsyncIterable<Buffer>;
}

export { PARALLEL_MIN_BYTES };

/** How long the input may pause before the lines already in are written (tail -f, a slow producer). */
const PAUSE_MS = 30;
export const PAUSED = Symbol('paused');

/** The next chunk, or PAUSED when none comes within PAUSE_MS (the read stays pending). */
export function nextOrPause<T>(next: Promise<IteratorResult<T>>): Promise<IteratorResult<T> | typeof PAUSED> {
  let timer: NodeJS.Timeout | undefined;
  const pause = new Promise<typeof PAUSED>((resolve) => (timer = setTimeout(() => resolve(PAUSED), PAUSE_MS)));
  return Promise.race([next, pause]).finally(() => clearTimeout(timer));
}

/**
 * The lane over a byte stream whose first byte starts a data line. It gathers about 1 MiB before a
 * batch (fewer, larger calls and writes), but when the input pauses the whole lines already in go
 * through at once, so a live stream's rows come out as they come in.
 */
export async function runLaneOverStream(bytes: AsyncIterable<Buffer>, opt: TableLaneOptions, sink: ByteSink): Promise<LaneResult> {
  const lane = tableLane(opt); // seam (wasm): the wasm lane or the TypeScript one
  const it = bytes[Symbol.asyncIterator]();
  let buf = new Uint8Array(1 << 20);
  let have = 0;
  let pending = it.next();
  for (;;) {
    const got = have > 0 ? await nextOrPause(pending) : await pending;
    const paused = got === PAUSED;
    const r = paused ? undefined : got;
    const atEof = r?.done === true;
    if (r && !r.done) {
      pending = it.next();
      const c = r.value;
      buf = withRoom(buf, have, c.length);
      buf.set(c, have);
      have += c.length;
      if (have < 1 << 20) continue;
      // safety seam: a chunk without a newline ends no line; scanning the carry again would be quadratic
      if (c.indexOf(10) < 0) continue;
    }
    const used = lane.run(buf, 0, have, atEof);
    await sink.writeBytes(lane.take());
    if (lane.stopped) return { lines: lane.lines, rest: prepend(buf.slice(used, have), atEof ? undefined : resume(pending, it)) };
    buf.copyWithin(0, used, have);
    have -= used;
    if (atEof) return { lines: lane.lines, rest: have > 0 ? prepend(buf.slice(0, have), undefined) : undefined };
    if (paused) {
      // nothing more to do until the input moves: wait for it without a timer
      const next = await pending;
      pending = Promise.resolve(next);
    }
  }
}

/** Bytes [start, size) of a regular file. */
export interface FileRange {
  readonly path: string;
  readonly start: number;
  readonly size: number;
  /** safety seam: sees every byte the lane reads (a pass's checksum, src/io/passes.ts); one thread. */
  readonly onRead?: (buf: Uint8Array, start: number, end: number) => void;
}

/** The lane over a file from byte `start` on, on every core when the file is large. */
export async function runLaneOverFile(range: FileRange, opt: TableLaneOptions, sink: ByteSink): Promise<LaneResult> {
  const { path, start, size } = range;
  const recipe = opt.step.recipe;
  if (!recipe || range.onRead || size - start < PARALLEL_MIN_BYTES || workerCount() < 2) {
    const fd = openSync(path, 'r');
    try {
      const lane = tableLane(opt); // seam (wasm): the wasm lane or the TypeScript one
      const bytes = new FdLane(lane, fd, start, size);
      bytes.onRead = range.onRead;
      for (let o = bytes.step(); o !== undefined; o = bytes.step()) await sink.writeBytes(o);
      if (!bytes.stopped) return { lines: lane.lines };
      return { lines: lane.lines, rest: createReadStream(path, { start: bytes.consumed, highWaterMark: 1 << 16 }) as AsyncIterable<Buffer> };
    } finally {
      closeSync(fd);
    }
  }
  const r = await transformFileParallel(
    { path, start, sep: opt.sep, select: opt.select, rest: opt.rest, precision: opt.precision, crlf: opt.crlf, width: opt.width, recipe },
    size,
    { write: (chunk) => sink.writeBytes(chunk), here: opt },
  );
  if (r.stoppedAt >= size) return { lines: r.lines };
  return { lines: r.lines, rest: createReadStream(path, { start: r.stoppedAt, highWaterMark: 1 << 16 }) as AsyncIterable<Buffer> };
}
