/**
 * One fast-lane worker: binds the activation once, then transforms the file segments it is sent
 * and posts their output back (transferred, not copied).
 */
import { openSync, readSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { lookup } from '../kernels/registry.js';
import type { ParallelJob, SegmentReply } from './parallel.js';
import { TableLane } from './table.js';

const job = workerData as Omit<ParallelJob, 'select'> & { select: number[] };
const kernel = lookup(job.activation).bind(job.params);
const lane = new TableLane({
  sep: job.sep,
  select: Uint8Array.from(job.select),
  rest: job.rest,
  kernel,
  precision: job.precision,
  crlf: job.crlf,
  width: job.width,
});
const fd = openSync(job.path, 'r');
const READ = 1 << 20;
let buf = new Uint8Array(READ * 2);

parentPort!.on('message', ({ id, from, to }: { id: number; from: number; to: number }) => {
  const outs: Uint8Array[] = [];
  let outBytes = 0;
  let pos = from; // file offset of buf[0]
  let have = 0; // bytes in buf
  const linesBefore = lane.lines;
  let stopped = false;
  let consumed = from;
  while (consumed < to) {
    const want = Math.min(READ, to - (pos + have));
    if (have + want > buf.length) {
      const b = new Uint8Array(Math.max(buf.length * 2, have + want));
      b.set(buf.subarray(0, have));
      buf = b;
    }
    const n = want > 0 ? readSync(fd, buf, have, want, pos + have) : 0;
    have += n;
    const atEnd = pos + have >= to;
    const used = lane.run(buf, 0, have, atEnd);
    const o = lane.take();
    if (o.length) {
      outs.push(o.slice());
      outBytes += o.length;
    }
    consumed = pos + used;
    if (lane.stopped || (atEnd && used < have)) {
      stopped = consumed < to;
      break;
    }
    buf.copyWithin(0, used, have);
    pos += used;
    have -= used;
  }
  const out = new Uint8Array(outBytes);
  let o = 0;
  for (const part of outs) {
    out.set(part, o);
    o += part.length;
  }
  const reply: SegmentReply = { id, out, consumed, lines: lane.lines - linesBefore, stopped };
  parentPort!.postMessage(reply, [out.buffer]);
});
