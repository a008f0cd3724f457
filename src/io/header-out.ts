/**
 * --header-out never: a table writer that writes no header line, so chunks of one file processed
 * independently (GNU parallel, Hadoop Streaming, Spark's pipe) concatenate into exactly the
 * bytes of a single run. Only CSV, TSV and text: NDJSON and JSON take their keys from the header.
 */
import type { Format, TableWriter, WriteOptions } from './table.js';

export function applyHeaderOut(writer: TableWriter, to: Format, w: WriteOptions): TableWriter {
  if (w.headerOut !== 'never' || (to !== 'csv' && to !== 'tsv' && to !== 'text')) return writer;
  return {
    begin: () => writer.begin(undefined, undefined),
    row: (row, cells) => writer.row(row, cells),
    end: () => writer.end(),
  };
}
