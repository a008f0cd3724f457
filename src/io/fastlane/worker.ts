/**
 * One fast-lane worker: rebuilds the row step once from its recipe, then transforms the file segments it is sent
 * and posts their output back (transferred, not copied).
 */
import { openSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { alongRows } from '../../tensor.js';
import type { ParallelJob } from './parallel.js';
import { FdLane } from './file.js';
import { TableLane } from './scan.js';
import { serveSegments } from './serve.js';

const job = workerData as Omit<ParallelJob, 'select'> & { select: number[] };
// The same step the main thread would run, rebuilt from its recipe.
const spec = lookup(job.recipe.activation);
const kernel = job.recipe.grad ? (spec.bindGrad(job.recipe.params) as ElementwiseKernel) : spec.bind(job.recipe.params);
const step = alongRows(kernel, job.recipe.activation, job.recipe);
const lane = new TableLane({
  sep: job.sep,
  select: Uint8Array.from(job.select),
  rest: job.rest,
  step,
  precision: job.precision,
  crlf: job.crlf,
  width: job.width,
});
const fd = openSync(job.path, 'r');
// seam (ndjson-speed): the segment loop is serve.ts's, shared with the NDJSON worker
serveSegments({ range: new FdLane(lane, fd, 0, 0), lines: () => lane.lines });
