/**
 * One NDJSON-lane worker: rebuilds the kernel from its recipe, then transforms the file segments
 * it is sent (fastlane/segments.ts), adding to each reply what the main thread keeps of a segment:
 * its data lines, widths and non-finite values written as null.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { valueStep } from '../../tensor.js';
import { SegmentLane } from '../fastlane/segments.js';
import type { NdjsonSegment, NdjsonWorkerData } from './ndjson-file.js';
import { NdjsonLane } from './ndjson.js';

const job = workerData as NdjsonWorkerData;
const spec = lookup(job.recipe.activation);
const kernel = job.recipe.grad ? (spec.bindGrad(job.recipe.params) as ElementwiseKernel) : spec.bind(job.recipe.params);
let nonfinite = 0;
const lane = new NdjsonLane({ step: valueStep(kernel), precision: job.precision, nonfinite: job.nonfinite, onNonfinite: () => void nonfinite++ });
/** The segment's counts, then zero for the next (firstWidth is taken at a segment's first data line). */
function segmentDone(): NdjsonSegment {
  const s: NdjsonSegment = { dataLines: lane.dataLines, width: lane.width, firstWidth: lane.firstWidth, nonfinite };
  lane.dataLines = lane.width = lane.firstWidth = nonfinite = 0;
  return s;
}

const segments = new SegmentLane(job.path, {
  work: {
    run: (buf, start, end, atEof) => lane.run(buf, start, end, atEof),
    get stopped() {
      return lane.stopped;
    },
    take: () => lane.emit.take(),
    get lines() {
      return lane.lines;
    },
    extra: segmentDone,
  },
});

parentPort!.on('message', (m: { id: number; from: number; to: number } | { recycle: SharedArrayBuffer }) => {
  if ('recycle' in m) {
    segments.recycle(new Uint8Array(m.recycle));
    return;
  }
  // Shared, not transferred (fastlane/segments.ts): the main thread writes it, then posts it back.
  parentPort!.postMessage(segments.run(m.id, m.from, m.to));
});
// Started and loaded: segments may come.
parentPort!.postMessage({ ready: true });
