/**
 * One NDJSON-lane worker: rebuilds the kernel from its recipe, then transforms the file segments
 * it is sent (fastlane/serve.ts), adding to each reply what the main thread keeps of a segment:
 * its data lines, widths and non-finite values written as null.
 */
import { openSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { valueStep } from '../../tensor.js';
import { FdLane } from '../fastlane/file.js';
import { serveSegments } from '../fastlane/serve.js';
import type { NdjsonSegment, NdjsonWorkerData } from './ndjson-file.js';
import { NdjsonLane } from './ndjson.js';

const job = workerData as NdjsonWorkerData;
const spec = lookup(job.recipe.activation);
const kernel = job.recipe.grad ? (spec.bindGrad(job.recipe.params) as ElementwiseKernel) : spec.bind(job.recipe.params);
let nonfinite = 0;
const lane = new NdjsonLane({ step: valueStep(kernel), precision: job.precision, nonfinite: job.nonfinite, onNonfinite: () => void nonfinite++ });
const bytes = {
  run: (buf: Uint8Array, start: number, end: number, atEof: boolean) => lane.run(buf, start, end, atEof),
  get stopped() {
    return lane.stopped;
  },
  take: () => lane.emit.take(),
};

/** The segment's counts, then zero for the next (firstWidth is taken at a segment's first data line). */
function segmentDone(): NdjsonSegment {
  const s: NdjsonSegment = { dataLines: lane.dataLines, width: lane.width, firstWidth: lane.firstWidth, nonfinite };
  lane.dataLines = lane.width = lane.firstWidth = nonfinite = 0;
  return s;
}

serveSegments({ range: new FdLane(bytes, openSync(job.path, 'r'), 0, 0), lines: () => lane.lines, extra: segmentDone });
