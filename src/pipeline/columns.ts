/**
 * --axis 0 on a table: down the columns in passes through the kernel's ColumnRun, holding state
 * per column only (the source reads the table again for each pass). Without a ColumnRun (glu),
 * the selected values are held in memory as one tensor.
 */
import { beginTable, createOutput } from '../io/formats.js';
import type { Sink } from '../io/streams.js';
import type { TableSource } from '../io/table.js';
import { applyKernel, emitColumns, observeColumns, valueStep, type RowStep, type Tensor } from '../tensor.js';
import type { Plan } from './plan.js';

export async function runColumns(first: TableSource, plan: Plan, sink: Sink): Promise<void> {
  const kernel = plan.kernel.kernel;
  const head = first.head;
  const width = head.firstData ? head.select(head.firstData).length : 0;
  const firstLine = head.firstData?.line ?? 0;
  const run = valueStep(kernel).columns(width);
  let source = first;
  let last: RowStep;
  if (run) {
    while (run.wantsPass()) {
      await source.pass(observeColumns(run, width, firstLine));
      run.endPass();
      source = await source.reopen();
    }
    last = emitColumns(run, width, firstLine);
  } else {
    const held = new HeldColumns(width, firstLine);
    await source.pass(held.collect());
    source = await source.reopen();
    last = held.emit(applyKernel(kernel, held.tensor(), plan.kernel.name));
  }
  try {
    const out = await createOutput(sink, plan, source.head);
    beginTable(out, source.head, last);
    await source.pass(last, out);
    out.writer.end();
  } finally {
    if (source !== first) await source.close();
  }
}

/** glu down the columns: every selected value in memory, then the results row by row (glu halves the rows). */
class HeldColumns {
  private chunks: Float64Array[] = [];
  private rows = 0;

  constructor(
    private readonly width: number,
    private readonly firstLine: number,
  ) {}

  collect(): RowStep {
    return observeColumns(
      {
        wantsPass: () => true,
        observe: (values, start) => {
          this.chunks.push(values.slice(start, start + this.width));
          this.rows++;
        },
        endPass: () => {},
        emit: () => {},
      },
      this.width,
      this.firstLine,
    );
  }

  tensor(): { data: Float64Array; shape: number[] } {
    const data = new Float64Array(this.rows * this.width);
    this.chunks.forEach((c, i) => data.set(c, i * this.width));
    this.chunks = [];
    return { data, shape: [this.rows, this.width] };
  }

  /** The last pass: each data row takes its results; rows past the results' count are not written. */
  emit(results: Tensor): RowStep {
    const width = this.width;
    const outRows = results.shape[0];
    const data = results.data;
    let d = 0; // data rows so far
    const check = observeColumns({ wantsPass: () => true, observe: () => {}, endPass: () => {}, emit: () => {} }, width, this.firstLine);
    return {
      keepsLength: false, // it drops rows: not for a byte lane, which writes every line it reads
      writes: true,
      outLength: (n) => n,
      apply(b) {
        check.apply(b);
        const dropped = new Uint8Array(b.rows);
        for (let r = 0; r < b.rows; r++) {
          if (b.skip?.[r]) continue;
          if (d < outRows) b.values.set(data.subarray(d * width, (d + 1) * width), b.start[r]);
          else dropped[r] = 1;
          d++;
        }
        return { out: b.values, outStart: b.start, dropped };
      },
    };
  }
}
