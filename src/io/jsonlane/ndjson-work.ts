/**
 * The NDJSON lane as one thread's share of a parallel pass (fastlane/segments.ts): the lane over
 * segments, adding to each reply what the main thread keeps of a segment (its data lines,
 * widths, and non-finite values written as null). Workers and the main thread use it alike.
 */
import type { SegmentWork } from '../fastlane/segments.js';
import type { NdjsonSegment } from './ndjson-file.js';
import { NdjsonLane, type NdjsonPlan } from './ndjson.js';

export function ndjsonWork(plan: Omit<NdjsonPlan, 'onNonfinite'>): SegmentWork {
  let nonfinite = 0;
  const lane = new NdjsonLane({ ...plan, onNonfinite: () => void nonfinite++ });
  return {
    run: (buf, start, end, atEof) => lane.run(buf, start, end, atEof),
    get stopped() {
      return lane.stopped;
    },
    take: () => lane.emit.take(),
    get lines() {
      return lane.lines;
    },
    // The segment's counts, then zero for the next (firstWidth is taken at a segment's first data line).
    extra(): NdjsonSegment {
      const s: NdjsonSegment = { dataLines: lane.dataLines, width: lane.width, firstWidth: lane.firstWidth, nonfinite };
      lane.dataLines = lane.width = lane.firstWidth = nonfinite = 0;
      return s;
    },
  };
}
