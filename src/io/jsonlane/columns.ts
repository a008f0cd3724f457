/**
 * An axis-wise activation down the first axis of a JSON tensor in a file (`softmax --axis 0` on [N, M],
 * or on [N, ...] with the rest flattened), in passes over the file's bytes holding only the
 * kernel's per-column state (its ColumnRun), never the document: the observation passes feed
 * each top-level element's values to the run as one row, the last pass writes through the JSON
 * lane with every value replaced by the run's output for its column.
 *
 * The lane takes the file only if it is one numeric tensor document of rank 2 or more that it
 * streams whole (checked by the first pass, which writes nothing); else it says so and the
 * caller goes the general way, which also owns every message. Every pass is under the input's
 * PassGuard (passes.ts): a file that changes between passes fails with one line, as the CSV lanes do.
 */
import type { ColumnRun } from '../../kernels/spec.js';
import type { ValueStep } from '../../tensor.js';
import type { LanePlan, LaneStep } from './documents.js';
import type { PassGuard } from '../passes.js';
import { fileChunks } from './fileread.js';
import { runJsonLane } from './run.js';
import { ARR, JsonScanner, JsonSyntaxError, type JsonEvents } from './scan.js';

/** Values of the first top-level element (the row width down axis 0), and the rank; undefined if the file does not start like a tensor. */
async function firstRow(file: GuardedFile): Promise<{ width: number; rank: number } | undefined> {
  let width = 0;
  let depth = 0;
  let rank = 0;
  let done = false;
  let odd = false;
  const events: JsonEvents = {
    open(kind) {
      if (kind !== ARR && !done) odd = true;
      depth++;
    },
    close() {
      depth--;
      if (depth === 1) done = true;
    },
    key() {
      if (!done) odd = true;
    },
    number() {
      if (done) return; // the scanner goes on to the end of its chunk
      if (rank === 0) rank = depth;
      width++;
      if (depth === 1) done = true;
    },
    string() {
      if (!done) odd = true;
    },
    literal() {
      if (!done) odd = true;
    },
    docStart() {},
    docEnd() {
      done = true;
    },
  };
  const scan = new JsonScanner(events);
  const chunks = fileChunks(file.path, file.guard);
  if (!chunks) return undefined;
  const it = chunks[Symbol.asyncIterator]();
  let rest: Uint8Array = new Uint8Array(0);
  try {
    for (;;) {
      const r = await it.next();
      if (r.done) return undefined;
      // A token cut at the chunk's end is scanned again with the next chunk.
      const buf = new Uint8Array(rest.length + r.value.length);
      buf.set(rest);
      buf.set(r.value, rest.length);
      const used = scan.run(buf, 0, buf.length, false);
      rest = buf.subarray(used);
      if (odd) return undefined;
      if (done) return rank >= 2 && width > 0 ? { width, rank } : undefined;
    }
  } catch (e) {
    if (e instanceof JsonSyntaxError) return undefined;
    throw e;
  } finally {
    await it.return?.();
  }
}

/** The values in stream order, cut into rows of `width`: observed (a pass) or replaced by the run's output (the last pass). */
class RowFeed implements LaneStep {
  // To the lane, a run of any values at all: it cuts them into rows itself.
  readonly anyRun = true;
  readonly wholeVectors = false;
  readonly axis = -1;
  readonly keepsLength = true;
  private readonly row: Float64Array;
  private readonly out: Float64Array;
  private col = 0;
  emitting = false;
  constructor(
    private readonly columns: ColumnRun,
    private readonly rowWidth: number,
  ) {
    this.row = new Float64Array(rowWidth);
    this.out = new Float64Array(rowWidth);
  }

  strided(): void {
    throw new Error('RowFeed takes runs, not strided vectors');
  }

  /** values[start, end) in place: observed, or each replaced by its column's output. */
  run(values: Float64Array, start: number, end: number): void {
    const w = this.rowWidth;
    let i = start;
    while (i < end) {
      const c0 = this.col;
      const n = Math.min(w - c0, end - i);
      for (let k = 0; k < n; k++) this.row[c0 + k] = values[i + k];
      if (this.emitting) {
        // Each output depends on its value and its column's statistics only: a part of a row is emitted as it comes.
        this.columns.emit(this.row, 0, this.out, 0);
        for (let k = 0; k < n; k++) values[i + k] = this.out[c0 + k];
      } else if (c0 + n === w) this.columns.observe(this.row, 0);
      i += n;
      this.col = (c0 + n) % w;
    }
  }
}

class NotForTheLane extends Error {}

/** A file and the guard that checks each pass over it reads the same bytes (passes.ts). */
export interface GuardedFile {
  readonly path: string;
  readonly guard?: PassGuard;
}

/** The lane's plan with the whole value step: its column passes run down axis 0. */
export interface AxisPlan extends LanePlan {
  readonly step: ValueStep;
}

/**
 * Run the kernel down axis 0 of the tensor in the file; false when the lane does not
 * take the file (nothing has been written then).
 */
export async function runJsonAxis0(file: GuardedFile, plan: AxisPlan, writeBytes: (b: Uint8Array) => Promise<void>): Promise<boolean> {
  const { step } = plan;
  const first = await firstRow(file);
  if (!first || (step.axis < 0 ? step.axis + first.rank : step.axis) !== 0) return false;
  const run = step.columns(first.width);
  if (!run) return false;
  const feed = new RowFeed(run, first.width);
  const pass = (write: (b: Uint8Array) => Promise<void>): Promise<number> => {
    const chunks = fileChunks(file.path, file.guard);
    if (!chunks) throw new NotForTheLane();
    const lanePlan: LanePlan = { ...plan, step: feed, vectorsAreRows: false, onInvalid: 'fail', generalOnly: false, silent: !feed.emitting };
    return runJsonLane(chunks, lanePlan, {
      writeBytes: write,
      general: () => Promise.reject(new NotForTheLane()),
      error: () => new NotForTheLane(),
    });
  };
  try {
    let firstPass = true;
    while (run.wantsPass()) {
      const docs = await pass(async () => {});
      if (firstPass && docs !== 1) return false;
      firstPass = false;
      run.endPass();
    }
  } catch (e) {
    if (e instanceof NotForTheLane) return false;
    throw e;
  }
  feed.emitting = true;
  await pass(writeBytes);
  return true;
}
