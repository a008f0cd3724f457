/**
 * One worker thread of the parallel element-wise run over a .npy file (npy-parallel.ts): binds
 * the activation once (in --dtype when given), then for each range of elements it is sent reads
 * the bytes at their place in the file, decodes, maps, and posts the float64 results back
 * (transferred, not copied; the buffer comes back to be reused).
 */
import { openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { ElementDecoder } from './npy-dtype.js';
import { kernelInDtype } from '../kernels/dtype.js';
import { lookup } from '../kernels/registry.js';
import { valueStep } from '../tensor.js';
import type { NpyWorkerData, RangeReply, RangeRequest } from './npy-parallel.js';

const job = workerData as NpyWorkerData;
const bound = lookup(job.activation).bind(job.params);
// runs cut anywhere: the main thread sends workers only kernels whose step allows it
const step = valueStep(job.dtype ? kernelInDtype(bound, job.dtype) : bound);
const decoder = new ElementDecoder(job.element);
const fd = openSync(job.path, 'r');
const pool: Float64Array<ArrayBuffer>[] = [];
let bytes = Buffer.alloc(0);

parentPort!.on('message', (m: RangeRequest | { recycle: ArrayBuffer }) => {
  if ('recycle' in m) {
    pool.push(new Float64Array(m.recycle));
    return;
  }
  const count = m.to - m.from;
  const size = job.element.size;
  if (bytes.length < count * size) bytes = Buffer.alloc(count * size);
  let got = 0;
  while (got < count * size) {
    const n = readSync(fd, bytes, got, count * size - got, job.dataOffset + m.from * size + got);
    if (n === 0) break;
    got += n;
  }
  let out = pool.pop();
  if (!out || out.length < count) out = new Float64Array(count);
  const reply: RangeReply = { id: m.id, values: out, count };
  if (got < count * size) reply.error = 'short read';
  else {
    decoder.decode(bytes, out.subarray(0, count));
    step.run(out, 0, count);
  }
  parentPort!.postMessage(reply, [out.buffer]);
});
