/**
 * One NDJSON-lane worker: takes its job with its first message (fastlane/pool.ts), rebuilds the
 * kernel from its recipe, then transforms the file segments it is sent (fastlane/segments.ts),
 * adding to each reply what the main thread keeps of a segment: its data lines, widths and
 * non-finite values written as null.
 */
import { parentPort } from 'node:worker_threads';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { valueStep } from '../../tensor.js';
import { SegmentLane } from '../fastlane/segments.js';
import type { NdjsonWorkerData } from './ndjson-file.js';
import { ndjsonWork } from './ndjson-work.js';

parentPort!.once('message', ({ job }: { job: NdjsonWorkerData }) => {
  const spec = lookup(job.recipe.activation);
  const kernel = job.recipe.grad ? (spec.bindGrad(job.recipe.params) as ElementwiseKernel) : spec.bind(job.recipe.params);
  const work = ndjsonWork({ step: valueStep(kernel), precision: job.precision, nonfinite: job.nonfinite });
  const segments = new SegmentLane(job.path, { work });
  parentPort!.on('message', (m: { id: number; from: number; to: number } | { recycle: SharedArrayBuffer }) => {
    if ('recycle' in m) {
      segments.recycle(new Uint8Array(m.recycle));
      return;
    }
    // Shared, not transferred (fastlane/segments.ts): the main thread writes it, then posts it back.
    parentPort!.postMessage(segments.run(m.id, m.from, m.to));
  });
  // Ready: segments may come.
  parentPort!.postMessage({ ready: true });
});
