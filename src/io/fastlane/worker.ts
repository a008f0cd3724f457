/**
 * One fast-lane worker: takes its job with its first message (it may have been started before the
 * job was known: pool.ts), rebuilds the row step from the job's recipe, then transforms the file
 * segments it is sent and posts their output back (in a SharedArrayBuffer: shared, not copied).
 */
import { parentPort } from 'node:worker_threads';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { alongRows } from '../../tensor.js';
import type { ParallelJob, SegmentReply } from './parallel.js';
import { SegmentLane } from './segments.js';
import { type LaneModule, useLaneModule } from './wasm-core.js';

type WorkerJob = Omit<ParallelJob, 'select'> & { select: number[]; laneWasm?: LaneModule };

/** The segments of this job, read and transformed as the main thread's lane would. */
function segmentsOf(job: WorkerJob): SegmentLane {
  useLaneModule(job.laneWasm); // seam (wasm): the main thread's compiled module
  // The same step the main thread would run, rebuilt from its recipe.
  const spec = lookup(job.recipe.activation);
  const kernel = job.recipe.grad ? (spec.bindGrad(job.recipe.params) as ElementwiseKernel) : spec.bind(job.recipe.params);
  const step = alongRows(kernel, job.recipe.activation, job.recipe);
  return new SegmentLane(job.path, {
    sep: job.sep,
    select: Uint8Array.from(job.select),
    rest: job.rest,
    step,
    precision: job.precision,
    crlf: job.crlf,
    width: job.width,
  });
}

parentPort!.once('message', ({ job }: { job: WorkerJob }) => {
  const segments = segmentsOf(job);
  parentPort!.on('message', (m: { id: number; from: number; to: number } | { recycle: SharedArrayBuffer }) => {
    if ('recycle' in m) {
      segments.recycle(new Uint8Array(m.recycle));
      return;
    }
    // Shared, not transferred (see segments.ts): the main thread writes it, then posts it back.
    const reply: SegmentReply = segments.run(m.id, m.from, m.to);
    parentPort!.postMessage(reply);
  });
  // Ready: segments may come (until now the main thread took them all).
  parentPort!.postMessage({ ready: true });
});
