/**
 * A byte lane's worker thread, its side of parallel.ts: transform each file segment it is sent
 * and post the output back (transferred, not copied), reusing the buffers the main thread sends
 * back once written. The CSV worker and the NDJSON worker each build their lane, then call this.
 */
import { parentPort } from 'node:worker_threads';
import { withRoom } from './bytes.js';
import type { FdLane } from './file.js';
import type { SegmentReply } from './parallel.js';

export interface SegmentWork {
  /** The lane over the worker's file, moved from segment to segment. */
  readonly range: FdLane;
  /** Lines the lane has transformed so far (a reply says how many its segment took). */
  lines(): number;
  /** What the lane adds to a segment's reply, asked once the segment is done. */
  extra?(): unknown;
}

type Message = { id: number; from: number; to: number } | { recycle: ArrayBuffer };

export function serveSegments(work: SegmentWork): void {
  const { range } = work;
  /** Output buffers the main thread has written and sent back, for reuse. */
  const pool: Uint8Array<ArrayBuffer>[] = [];
  parentPort!.on('message', (m: Message) => {
    if ('recycle' in m) {
      pool.push(new Uint8Array(m.recycle));
      return;
    }
    const { id, from, to } = m;
    let out = pool.pop() ?? new Uint8Array(2 << 20);
    let length = 0;
    const linesBefore = work.lines();
    range.reset(from, to);
    for (let o = range.step(); o !== undefined; o = range.step()) {
      out = withRoom(out, length, o.length);
      out.set(o, length);
      length += o.length;
    }
    const reply: SegmentReply = { id, out, length, consumed: range.consumed, lines: work.lines() - linesBefore, stopped: range.stopped, extra: work.extra?.() };
    parentPort!.postMessage(reply, [out.buffer as ArrayBuffer]);
  });
}
