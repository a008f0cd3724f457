/** A table along its rows: one pass, each block through the kernel's row step, then written. */
import { beginTable, createOutput, openTable } from '../io/formats.js';
import { longLinePlan, streamLongLines } from '../io/longlines.js';
import type { Input, Sink } from '../io/streams.js';
import type { Format, TableSource } from '../io/table.js';
import { alongRows, tableDirection, valueStep } from '../tensor.js';
import { runColumns } from './columns.js';
import { checkColumnPlan, type Plan } from './plan.js';

/** An input, or rows already read (JSON records), opened as a table for some number of passes. */
export type TableOpener = { input: Input; format: Format } | ((passes: 'one' | 'many') => Promise<TableSource>);

/** A table along its rows, or down its columns (--axis 0). */
export async function runTable(from: TableOpener, plan: Plan, sink: Sink): Promise<void> {
  const columns = tableDirection(plan.kernel.kernel, plan.kernel.name) === 'columns';
  if (columns) checkColumnPlan(plan);
  const passes = columns ? 'many' : 'one';
  // safety seam: a first line over 1 MiB is streamed cell by cell (src/io/longlines.ts)
  if (!columns && typeof from !== 'function') {
    const long = longLinePlan(from.input, from.format, { kernel: plan.kernel.kernel, read: plan.read, write: plan.write, note: (m) => plan.report.note(m) });
    if (long && (await streamLongLines(long, sink))) return;
  }
  const source = typeof from === 'function' ? await from(passes) : await openTable(from, plan, passes);
  try {
    if (columns) await runColumns(source, plan, sink);
    else await runRows(source, plan, sink);
  } finally {
    await source.close();
  }
}

async function runRows(source: TableSource, plan: Plan, sink: Sink): Promise<void> {
  const { kernel, name, recipe } = plan.kernel;
  const step = alongRows(kernel, name, recipe);
  const { firstWidth, display } = source.head;
  if (valueStep(kernel).wholeVectors && firstWidth === 1) {
    plan.report.note(`${display}: ${name} along rows of one value gives the same for every row; --axis 0 goes down the column`);
  }
  const out = await createOutput(sink, plan, source.head);
  beginTable(out, source.head, step);
  await source.pass(step, out);
  out.writer.end();
}
