/**
 * The fast lane over a large file on every core: the file is cut at newlines into segments,
 * worker threads transform segments (each reads its own bytes, so nothing but the output
 * crosses threads) and the main thread writes the outputs in order. At most two segments per
 * worker are in flight, so memory stays constant whatever the file's size.
 */
import type { Digits } from '../../numbers/format.js';
import { open } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import type { KernelRecipe } from '../../tensor.js';
import { reportRead } from '../progress-hook.js';

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
  /** The output is out[0, length); the buffer goes back to the worker once written. */
  out: Uint8Array;
  length: number;
  consumed: number; // absolute offset reached
  lines: number;
  stopped: boolean;
  error?: string;
}

const SEGMENT = 1 << 20;

/** Segment boundaries at line starts: [start, ..., size]. */
async function cut(path: string, start: number, size: number, segment: number): Promise<number[]> {
  const fh = await open(path, 'r');
  try {
    const bounds = [start];
    const probe = Buffer.alloc(1 << 16);
    for (let at = start + segment; at < size; ) {
      const { bytesRead } = await fh.read(probe, 0, probe.length, at);
      const nl = probe.subarray(0, bytesRead).indexOf(10);
      if (nl < 0) {
        at += bytesRead; // a very long line: keep looking
        if (bytesRead === 0) break;
        continue;
      }
      bounds.push(at + nl + 1);
      at = at + nl + 1 + segment;
    }
    if (bounds[bounds.length - 1] !== size) bounds.push(size);
    return bounds;
  } finally {
    await fh.close();
  }
}

/** Threads for the fast lane: the cores, at most 8, or ACTIV_THREADS (1 keeps activ on one core). */
export function workerCount(): number {
  const asked = Number(process.env.ACTIV_THREADS);
  if (Number.isInteger(asked) && asked >= 1) return Math.min(asked, 64);
  return Math.max(1, Math.min(availableParallelism(), 8));
}

/**
 * Transform job.path from job.start on with worker threads, handing each output to `write` in
 * order (write must respect backpressure). Stops at the first line a worker cannot take.
 */
export async function transformFileParallel(job: ParallelJob, size: number, write: (chunk: Uint8Array) => Promise<void>): Promise<ParallelResult> {
  const bounds = await cut(job.path, job.start, size, job.segmentBytes ?? SEGMENT);
  const segments = bounds.length - 1;
  const nWorkers = Math.min(workerCount(), segments);
  // Loaded here, not at the top: node:worker_threads costs every small run ~5 ms of start-up (issue 11).
  const { Worker } = await import('node:worker_threads');
  const workers: Worker[] = [];
  const pending = new Map<number, SegmentReply>();
  let waiting: ((r: SegmentReply) => void) | undefined;
  let failure: Error | undefined;
  const workerUrl = job.workerUrl ?? new URL('./worker.js', import.meta.url);
  let next = 0;
  let lines = 0;
  let stoppedAt = size;
  let written = 0;
  // A segment goes to whichever worker has the least queued, not round-robin: a worker slowed by
  // its warm-up or by the other core's load then takes fewer segments instead of holding the
  // in-order writer (and so the other worker) back. Each worker keeps one queued behind the one
  // it works on; the window bounds the outputs waiting to be written (memory).
  const queued = new Int32Array(nWorkers);
  const owner: number[] = [];
  const windowSize = nWorkers * 4;
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
    const worker = new Worker(workerUrl, {
      workerData: { ...job, workerUrl: undefined, select: Array.from(job.select) },
      // A worker allocates almost nothing per value (typed arrays are reused): small heaps keep
      // the process's peak memory low whatever the file's size.
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 48 },
    });
    worker.on('message', (r: SegmentReply) => {
      pending.set(r.id, r);
      queued[owner[r.id]]--;
      dispatch();
      if (waiting) waiting(r);
    });
    worker.on('error', (e) => {
      failure = e;
      if (waiting) waiting({ id: -1, out: new Uint8Array(0), length: 0, consumed: 0, lines: 0, stopped: true, error: e.message });
    });
    workers.push(worker);
  }
  try {
    dispatch();
    while (written < segments) {
      let r = pending.get(written);
      while (!r) {
        if (failure) throw failure;
        await new Promise<SegmentReply>((resolve) => (waiting = resolve));
        waiting = undefined;
        if (failure) throw failure;
        r = pending.get(written);
      }
      pending.delete(written);
      if (r.error) throw new Error(r.error);
      if (r.length > 0) await write(r.out.subarray(0, r.length));
      workers[owner[written]].postMessage({ recycle: r.out.buffer }, [r.out.buffer as ArrayBuffer]);
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
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return { stoppedAt, lines };
}
