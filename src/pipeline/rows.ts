/** A table's rows: down the columns (--axis 0) or along the rows. */
import type { Format } from '../io/block.js';
import type { Input, Sink } from '../io/streams.js';
import { resolveAxis } from '../tensor.js';
import { runColumns } from './columns.js';
import type { PipelineOptions, RowSource, Stats } from './common.js';
import { runTable } from './table.js';

export async function runRows(input: Input, format: Format, opt: PipelineOptions, sink: Sink, stats: Stats, source: RowSource): Promise<void> {
  const { kernel, name } = opt;
  if (kernel.kind === 'axiswise' && resolveAxis(kernel.axis, 2, name) === 0) return runColumns(input, format, opt, sink, stats, source);
  return runTable(input, format, opt, sink, stats, source);
}
