/**
 * reader -> select cells -> kernel -> writer, with backpressure.
 *
 * Tables (CSV, TSV, text, NDJSON, JSON records) stream in blocks of rows: the selected cells of a
 * block are parsed into one Float64Array, the kernel runs over it (element-wise: one call per
 * block; along rows: one vector per row), and the writer writes each row with its passthrough
 * cells. Down columns (--axis 0) the table is read in passes (the kernel's ColumnRun: per-column
 * state only), re-reading files and spilling stdin to a temporary file; glu, which has no
 * column passes, holds the selected values in memory. A JSON document is a tensor held in memory.
 *
 * The pipeline does no math of its own: every value goes through the kernel module. Its parts:
 * pipeline/table.ts (rows), pipeline/columns.ts (--axis 0), pipeline/document.ts (JSON documents).
 */
import { detectFormat } from './io/formats.js';
import type { Input, Sink } from './io/streams.js';
import { tableSource, type PipelineOptions, type Stats } from './pipeline/common.js';
import { runJsonDocument } from './pipeline/document.js';
import { isArrayFormat, runNpy, runToArray } from './pipeline/npy.js';
import { npyOptions } from './pipeline/npy-options.js';
import { runRows } from './pipeline/rows.js';

export type { OnInvalid, PipelineOptions } from './pipeline/common.js';

/** Run every input through the activation into the sink, in order. */
export async function runPipeline(inputs: readonly Input[], opt: PipelineOptions, sink: Sink): Promise<void> {
  const stats: Stats = { skipped: 0, nonfinite: 0 };
  for (const given of inputs) {
    const { input, format } = await detectFormat(given, given.text !== undefined ? 'text' : opt.from);
    if (isArrayFormat(format)) await runNpy({ input, format, opt: npyOptions(opt, stats), sink }); // npy seam
    else if (isArrayFormat(opt.to)) await runToArray({ input, format, opt: npyOptions(opt, stats), sink }); // npy seam
    else if (format === 'json') await runJsonDocument(input, opt, sink, stats);
    else await runRows(input, format, opt, sink, stats, tableSource(input, format, opt));
    await sink.flush();
  }
  if (stats.skipped) opt.note(`skipped ${stats.skipped} row${stats.skipped === 1 ? '' : 's'} with values that are not numbers`);
  if (stats.nonfinite) {
    opt.note(
      `wrote ${stats.nonfinite} NaN/Infinity value${stats.nonfinite === 1 ? '' : 's'} as null (JSON has no such numbers; --json-nonfinite string writes "NaN", "Infinity")`,
    );
  }
}

