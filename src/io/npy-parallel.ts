/**
 * Runs cut anywhere (element-wise activations) over a large .npy file on every core: the main
 * thread and cores - 1 worker threads (npy-worker.ts) take ranges of elements in turn; a worker
 * reads its ranges at their place in the file and sends back float64 results, the main thread
 * computes its own turn and writes everything in order. At most two ranges per worker are in flight, so memory stays
 * constant whatever the file's size; one worker fewer than cores keeps a worker's heap (about
 * 25 MB) out of the peak. ACTIV_THREADS=1 keeps activ on one core.
 */
import { Worker } from 'node:worker_threads';
import { ActivError } from '../errors.js';
import { workerCount } from './fastlane/parallel.js';
import type { NpyDtype } from './npy-dtype.js';
import type { ArrayOut } from './arrays.js';
import type { Dtype } from '../numbers/dtype.js';

/** Files smaller than this are not worth starting threads for. */
export const PARALLEL_MIN_BYTES = 8 << 20;

export interface NpyWorkerData {
  readonly path: string;
  readonly dataOffset: number;
  readonly element: NpyDtype;
  readonly activation: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly dtype?: Dtype;
}

export interface RangeRequest {
  readonly id: number;
  readonly from: number;
  readonly to: number;
}

export interface RangeReply {
  id: number;
  values: Float64Array<ArrayBuffer>;
  count: number;
  error?: string;
}

export interface ParallelPlan {
  readonly job: NpyWorkerData;
  /** Elements in the array. */
  readonly count: number;
  /** Elements per range (a multiple of the row width when a parameter varies along it). */
  readonly step: number;
  readonly out: ArrayOut;
  /** The file as messages name it. */
  readonly where: string;
  /** The main thread's turn: values of elements [from, to) into dst[0, to - from). */
  readonly local: (from: number, dst: Float64Array) => Promise<void>;
}

/** Whether to use threads: a big enough file and more than one core to use. */
export function parallelWorthIt(bytes: number): boolean {
  return bytes >= PARALLEL_MIN_BYTES && workerCount() > 1;
}

export async function runParallel(plan: ParallelPlan): Promise<void> {
  const { job, count, step, out } = plan;
  const ranges = Math.ceil(count / step);
  const nWorkers = Math.max(1, Math.min(workerCount() - 1, ranges));
  // Range id: the main thread takes every (nWorkers + 1)-th, the workers the others in turn.
  const turns = nWorkers + 1;
  const isLocal = (id: number): boolean => id % turns === nWorkers;
  const workerOf = (id: number): Worker => workers[(id % turns) % nWorkers];
  const mine = new Float64Array(step);
  const pending = new Map<number, RangeReply>();
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  const workers: Worker[] = [];
  for (let w = 0; w < nWorkers; w++) {
    const worker = new Worker(new URL('./npy-worker.js', import.meta.url), {
      workerData: job,
      resourceLimits: { maxYoungGenerationSizeMb: 2, maxOldGenerationSizeMb: 32 },
    });
    worker.on('message', (r: RangeReply) => {
      pending.set(r.id, r);
      wake?.();
    });
    worker.on('error', (e) => {
      failure = e;
      wake?.();
    });
    workers.push(worker);
  }
  let next = 0;
  let written = 0;
  const dispatch = (): void => {
    for (; next < ranges && next - written < turns * 2; next++) {
      if (isLocal(next)) continue;
      const req: RangeRequest = { id: next, from: next * step, to: Math.min(count, (next + 1) * step) };
      workerOf(next).postMessage(req);
    }
  };
  try {
    dispatch();
    for (; written < ranges; written++) {
      if (isLocal(written)) {
        const from = written * step;
        const n = Math.min(count, from + step) - from;
        await plan.local(from, mine.subarray(0, n));
        await out.write(mine, n);
        dispatch();
        continue;
      }
      let r: RangeReply | undefined;
      while (!(r = pending.get(written))) {
        if (failure) throw failure;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
      pending.delete(written);
      if (r.error) throw new ActivError(`${plan.where}: ${r.error} (did the file change while activ read it?)`, 'io');
      await out.write(r.values, r.count);
      workerOf(written).postMessage({ recycle: r.values.buffer }, [r.values.buffer]);
      dispatch();
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
