/**
 * One fast-lane worker: rebuilds the row step once from its recipe, then transforms the file segments it is sent
 * and posts their output back (transferred, not copied).
 */
import { openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { withRoom } from './bytes.js';
import { lookup } from '../../kernels/registry.js';
import type { ElementwiseKernel } from '../../kernels/spec.js';
import { alongRows } from '../../tensor.js';
import type { ParallelJob, SegmentReply } from './parallel.js';
import { FdLane } from './file.js';
import { TableLane } from './scan.js';

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
/** Output buffers the main thread has written and sent back, for reuse. */
const pool: Uint8Array<ArrayBuffer>[] = [];
const range = new FdLane(lane, fd, 0, 0);

parentPort!.on('message', (m: { id: number; from: number; to: number } | { recycle: ArrayBuffer }) => {
  if ('recycle' in m) {
    pool.push(new Uint8Array(m.recycle));
    return;
  }
  const { id, from, to } = m;
  let out = pool.pop() ?? new Uint8Array(2 << 20);
  let length = 0;
  const linesBefore = lane.lines;
  range.reset(from, to);
  for (let o = range.step(); o !== undefined; o = range.step()) {
    out = withRoom(out, length, o.length);
    out.set(o, length);
    length += o.length;
  }
  const reply: SegmentReply = { id, out, length, consumed: range.consumed, lines: lane.lines - linesBefore, stopped: range.stopped };
  parentPort!.postMessage(reply, [out.buffer as ArrayBuffer]);
});
