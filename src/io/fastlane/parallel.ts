/**
 * The fast lane over a large file on every core: the file is cut at newlines into segments,
 * which worker threads and the main thread transform (each reads its own bytes, so nothing but
 * the output crosses threads); the main thread writes the outputs in order. With T threads
 * there are T - 1 workers: the main thread works between writes, so it needs no warm-up of its
 * own beyond the single-thread run's and each worker's start-up (~0.2 s of CPU: an isolate, the
 * modules, a JIT warm-up) is paid once less. A few segments per thread are in flight, so memory
 * stays constant whatever the file's size.
 */
import type { Digits } from '../../numbers/format.js';
import { closeSync, openSync, readSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { KernelRecipe } from '../../tensor.js';
import { reportRead } from '../progress-hook.js';
import type { TableLaneOptions } from './scan.js';
import { prestart, takeWorker } from './pool.js';
import { SegmentLane, type SegmentWork } from './segments.js';
import { laneModule } from './wasm-core.js';
import { wasmWanted } from './wasm-lane.js';

export interface ParallelJob {
  path: string;
  /** First byte to transform (after any header); the file is taken to its end. */
  start: number;
  sep: number;
  select: Uint8Array;
  rest: 0 | 1;
  /** How the worker rebuilds the row step. */
  recipe: KernelRecipe;
  precision?: Digits; // seam (shell, #14)
  crlf: boolean;
  width?: number;
  /** Bytes per segment; small segments keep memory low, large ones cost fewer messages. */
  segmentBytes?: number;
  /** The worker script; defaults to the built worker.js beside this module (tests running the sources name dist's). */
  workerUrl?: URL;
}

export interface ParallelResult {
  /** Offset of the first byte not transformed (the file's size when all was). */
  stoppedAt: number;
  /** Lines transformed. */
  lines: number;
}

export interface SegmentReply {
  id: number;
  /** The output is out[0, length), in a SharedArrayBuffer that goes back to its thread once written. */
  out: Uint8Array;
  length: number;
  consumed: number; // absolute offset reached
  lines: number;
  stopped: boolean;
  error?: string;
  /** seam (ndjson-speed): what a lane's worker adds (the NDJSON lane: its widths and non-finite values). */
  extra?: unknown;
}

/**
 * seam (ndjson-speed): another byte lane's segments (NDJSON): its worker script (which posts
 * { ready: true } once loaded, as worker.ts does), the data each worker starts with (cloned: no
 * functions), and each reply in file order, seen before its output is written.
 */
export interface SegmentJob {
  path: string;
  start: number;
  segmentBytes?: number;
  workerUrl: URL;
  workerData: unknown;
  onReply?: (r: SegmentReply) => void;
}

const SEGMENT = 1 << 20;

/** Files at least this large are split across worker threads (start-up of a worker is ~0.1 s of CPU). */
export const PARALLEL_MIN_BYTES = 8 << 20;

/**
 * Segment boundaries at line starts: [start, ..., size]. Synchronous reads of a small probe at
 * each cut (a 77 MB file has 74 cuts: awaited reads of 64 KiB took 5-15 ms before any work began).
 */
export function cut(fd: number, range: { start: number; size: number }, segment: number): number[] {
  const { start, size } = range;
  const bounds = [start];
  let probe = Buffer.allocUnsafe(1 << 12);
  for (let at = start + segment; at < size; ) {
    const bytesRead = readSync(fd, probe, 0, probe.length, at);
    const nl = probe.subarray(0, bytesRead).indexOf(10);
    if (nl < 0) {
      if (bytesRead === 0) break;
      at += bytesRead; // a long line: keep looking, with a larger probe
      if (probe.length < 1 << 16) probe = Buffer.allocUnsafe(probe.length * 4);
      continue;
    }
    bounds.push(at + nl + 1);
    at = at + nl + 1 + segment;
  }
  if (bounds[bounds.length - 1] !== size) bounds.push(size);
  return bounds;
}

/**
 * Threads for the fast lane: the cores, at most 8, or ACTIV_THREADS (1 keeps activ on one core).
 * One when the current folder was removed: Node's worker threads read it as they start, and fail.
 */
export function workerCount(): number {
  if (!cwdExists()) return 1;
  const asked = Number(process.env.ACTIV_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 64);
  return Math.max(1, Math.min(availableParallelism(), 8));
}

function cwdExists(): boolean {
  try {
    process.cwd();
    return true;
  } catch {
    return false;
  }
}

/**
 * The fast lane's worker script: the built worker.js beside this module. Made on first use: in the
 * bundle, import.meta.url is a file URL built with node:url, ~0.3 ms that a small run need not pay.
 */
let laneWorkerUrl: URL | undefined;
const laneWorker = (): URL => (laneWorkerUrl ??= new URL('./worker.js', import.meta.url));

/**
 * Start the workers a pass over this file would use, before it is known that one will run (pool.ts):
 * called when a large file is opened for the byte lane, while its head is still to be read.
 */
export function prestartLaneWorkers(size: number): void {
  const threads = workerCount();
  if (size >= PARALLEL_MIN_BYTES && threads >= 2) prestart(laneWorker(), threads - 1);
}

/**
 * Transform job.path from job.start on with worker threads, handing each output to `write` in
 * order (write must respect backpressure). Stops at the first line a worker cannot take.
 * With `here` (the lane's options, step included) the main thread transforms segments too,
 * between writes, and one worker fewer is started.
 */
export function transformFileParallel(
  job: ParallelJob,
  size: number,
  io: { write: (chunk: Uint8Array) => Promise<void>; here?: TableLaneOptions },
): Promise<ParallelResult> {
  const workerUrl = job.workerUrl ?? laneWorker();
  // seam (wasm): the lane module compiled here goes to the workers (cloned, not compiled again)
  const laneWasm = job.precision === undefined && wasmWanted() ? (laneModule() ?? undefined) : undefined;
  const workerData = { ...job, workerUrl: undefined, select: Array.from(job.select), laneWasm };
  return transformSegments({ path: job.path, start: job.start, segmentBytes: job.segmentBytes, workerUrl, workerData }, size, io);
}

/** seam (ndjson-speed): the pass itself, for any lane's workers (transformFileParallel's, the NDJSON lane's). */
export async function transformSegments(
  job: SegmentJob,
  size: number,
  io: { write: (chunk: Uint8Array) => Promise<void>; here?: TableLaneOptions | { work: SegmentWork } },
): Promise<ParallelResult> {
  const { write, here } = io;
  const fd = openSync(job.path, 'r');
  let bounds: number[];
  try {
    bounds = cut(fd, { start: job.start, size }, job.segmentBytes ?? SEGMENT);
  } finally {
    closeSync(fd);
  }
  const segments = bounds.length - 1;
  const nWorkers = Math.max(1, Math.min(workerCount(), segments) - (here ? 1 : 0));
  const workers: Worker[] = [];
  const pending = new Map<number, SegmentReply>();
  let waiting: (() => void) | undefined;
  let failure: Error | undefined;
  let next = 0;
  let lines = 0;
  let stoppedAt = size;
  let written = 0;
  // A segment goes to whichever worker has the least queued, not round-robin: a worker slowed by
  // its warm-up or by the other core's load then takes fewer segments instead of holding the
  // in-order writer (and so the other threads) back. Each worker keeps one queued behind the one
  // it works on, no more: what a worker holds the main thread cannot take when that worker is
  // slow (with 3, default threads were slower than one on a loaded machine). The window bounds
  // the outputs waiting to be written (memory).
  // A worker takes no segment before it has started (~0.1-0.3 s): one sent earlier would hold the
  // in-order writer, and so the main thread, until then. Until ready, its queue counts as full.
  const queued = new Int32Array(nWorkers).fill(2);
  const owner: number[] = [];
  // A worker's heap is small (pool.ts LIMITS): one that runs out of it (a line of a million
  // digits) is dropped, and the main thread, with the process's whole heap, does its segments again.
  const redo: number[] = [];
  const lose = (w: number): void => {
    queued[w] = 1 << 30; // never chosen again
    for (let id = written; id < next; id++) if (owner[id] === w && !pending.has(id)) redo.push(id);
    redo.sort((a, b) => a - b);
  };
  const windowSize = (nWorkers + 1) * 4;
  const dispatch = (): void => {
    while (next < segments && next - written < windowSize) {
      let w = 0;
      for (let i = 1; i < nWorkers; i++) if (queued[i] < queued[w]) w = i;
      if (queued[w] >= 2) return;
      const id = next++;
      owner[id] = w;
      queued[w]++;
      workers[w].postMessage({ id, from: bounds[id], to: bounds[id + 1] });
    }
  };
  for (let w = 0; w < nWorkers; w++) {
    const worker = takeWorker(job.workerUrl, job.workerData);
    worker.on('message', (r: SegmentReply | { ready: true }) => {
      if ('ready' in r) queued[w] = 0;
      else {
        pending.set(r.id, r);
        queued[owner[r.id]]--;
      }
      dispatch();
      waiting?.();
    });
    worker.on('error', (e: NodeJS.ErrnoException) => {
      if (here && e.code === 'ERR_WORKER_OUT_OF_MEMORY') lose(w);
      else failure = e;
      waiting?.();
    });
    workers.push(worker);
  }
  const local = here && new SegmentLane(job.path, here);
  try {
    dispatch();
    while (written < segments) {
      if (failure) throw failure;
      const r = pending.get(written);
      if (!r) {
        const again = local ? redo.shift() : undefined;
        if (again !== undefined) {
          owner[again] = -1;
          pending.set(again, local!.run(again, bounds[again], bounds[again + 1]));
          continue;
        }
        if (local && next < segments && next - written < windowSize) {
          // Nothing to write yet: transform the next segment here, after letting the workers'
          // replies in (their queues refill), so no worker waits on the main thread's segment.
          await new Promise<void>((resolve) => setImmediate(resolve));
          if (pending.has(written) || next >= segments) continue;
          const id = next++;
          owner[id] = -1;
          pending.set(id, local.run(id, bounds[id], bounds[id + 1]));
          continue;
        }
        await new Promise<void>((resolve) => (waiting = resolve));
        waiting = undefined;
        continue;
      }
      pending.delete(written);
      if (r.error) throw new Error(r.error);
      job.onReply?.(r);
      if (r.length > 0) await write(r.out.subarray(0, r.length));
      const w = owner[written];
      const used = r.out as Uint8Array<SharedArrayBuffer>;
      if (w >= 0) workers[w].postMessage({ recycle: used.buffer });
      else local!.recycle(used);
      lines += r.lines;
      written++;
      reportRead(bounds[written], size); // seam (shell, #14): progress
      if (r.stopped) {
        stoppedAt = r.consumed;
        break;
      }
      dispatch();
    }
  } finally {
    local?.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { stoppedAt, lines };
}
