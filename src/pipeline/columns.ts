/**
 * --axis 0 on a table: per-column passes through the kernel's ColumnRun, over the file's bytes
 * (fast lane) or its rows (general lane).
 */
import { closeSync, openSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ActivError } from '../errors.js';
import { PASS_CELL, ROW_DATA, ROW_SKIPPED, type Block, type Format } from '../io/block.js';
import { skipLines, spill, type Input, type Sink } from '../io/streams.js';
import { checkedPass } from '../io/passes.js';
import { FdLane } from '../fastlane/fdlane.js';
import { TableLane, type TableLaneOptions } from '../fastlane/table.js';
import type { AxisKernel } from '../kernels/spec.js';
import { applyKernel } from '../tensor.js';
import {
  type PipelineOptions,
  type Stats,
  type RowSource,
  tableSource,
  writeOptions,
  makeWriter,
  rowPlace,
} from './common.js';
import {
  type Opened,
  openTable,
  fillBlock,
  writeBlock,
  recordHeader,
  laneOptions,
} from './table.js';


/**
 * --axis 0 through the fast lane: every pass reads the file's bytes with positioned reads and
 * hands each row's values to the kernel's ColumnRun; the last pass writes. When the lane meets
 * a line it cannot take (in the first pass, as every pass reads the same bytes), nothing has
 * been written and the general lane does the whole job. Returns whether it did it.
 */
export async function columnsByLane(
  input: Input,
  format: Format,
  lane: TableLaneOptions,
  kernel: AxisKernel,
  width: number,
  o: Opened,
  opt: PipelineOptions,
  stats: Stats,
  sink: Sink,
): Promise<boolean> {
  const st = input.path ? await stat(input.path).catch(() => undefined) : undefined;
  const run = kernel.columns?.(width);
  if (!st?.isFile() || !run) return false;
  const { offset, close } = await skipLines(input.chunks(), o.firstData!.line - 1);
  await close();
  const fd = openSync(input.path, 'r');
  try {
    while (run.wantsPass()) {
      const pass = new FdLane(new TableLane({ ...lane, perRow: (v, s) => run.observe(v, s), silent: true }), fd, offset, st.size);
      const sum = checkedPass(input, pass); // safety seam: each pass reads the same bytes
      while (pass.step() !== undefined);
      if (pass.stopped) return false;
      input.guard?.end(offset, sum);
      run.endPass();
    }
    await o.close();
    const writer = await makeWriter(format, sink, writeOptions(opt, stats, format, format));
    writer.begin(o.header, o.header ? new Array(o.header.cells.length).fill(PASS_CELL) : undefined);
    const last = new FdLane(new TableLane({ ...lane, perRow: (v, s) => run.emit(v, s, v, s) }), fd, offset, st.size);
    const sum = checkedPass(input, last);
    for (let out = last.step(); out !== undefined; out = last.step()) await sink.writeBytes(out);
    input.guard?.end(offset, sum);
    writer.end();
    return true;
  } finally {
    closeSync(fd);
  }
}

/**
 * --axis 0 on a table: per-column passes through the kernel's ColumnRun (constant memory:
 * files are read again for each pass, stdin is spilled to a temporary file first). Without a
 * ColumnRun (glu), the selected values are held in memory as one tensor.
 */
export async function runColumns(input: Input, format: Format, opt: PipelineOptions, sink: Sink, stats: Stats, source: RowSource): Promise<void> {
  const kernel = opt.kernel as AxisKernel;
  const { name } = opt;
  if (opt.onInvalid === 'keep' || opt.onInvalid === 'null') {
    throw new ActivError(`--on-invalid ${opt.onInvalid} cannot be used with --axis 0: every column needs all its values; use fail or skip`);
  }
  let cleanup: (() => Promise<void>) | undefined;
  if (!input.rereadable) {
    const s = await spill(input);
    input = s.input;
    cleanup = s.cleanup;
    source = tableSource(input, format, opt);
  }
  try {
    const to = opt.to ?? (format === 'json' ? 'json' : format);
    const display = input.display;
    let o = await openTable(source, format, input, opt, true);
    const width = o.firstData ? o.select(o.firstData).length : 0;
    let firstLine = o.firstData?.line ?? 0;
    if ((format === 'csv' || format === 'tsv' || format === 'text') && to === format) {
      const lane = laneOptions(format, opt, o, true);
      if (lane && (await columnsByLane(input, format, lane, kernel, width, o, opt, stats, sink))) return;
    }

    /** Every data row's selected values, checked for equal length. */
    const blocks = async function* (opened: Opened, count: boolean): AsyncIterable<Block> {
      for await (const rows of opened.batches) {
        const b = fillBlock(rows, opened, opt, display, count ? stats : undefined);
        if (b.failure) throw b.failure;
        for (let r = 0; r < rows.length; r++) {
          if (b.state[r] !== ROW_DATA) continue;
          const n = b.start[r + 1] - b.start[r];
          if (n !== width) {
            throw new ActivError(
              `${rowPlace(display, rows[r])}: ${n} values in a row where line ${firstLine} has ${width}; --axis 0 works down columns and needs rows of equal length`,
              'data',
            );
          }
        }
        yield b;
      }
    };

    const run = kernel.columns?.(width);
    let memoryOut: Float64Array | undefined;
    let memoryRows = 0;
    if (run) {
      let first = true;
      while (run.wantsPass()) {
        if (!first) o = await openTable(source, format, input, opt, false);
        first = false;
        for await (const b of blocks(o, false)) {
          for (let r = 0; r < b.rows.length; r++) if (b.state[r] === ROW_DATA) run.observe(b.values, b.start[r]);
        }
        run.endPass();
      }
      o = await openTable(source, format, input, opt, false);
    } else {
      // No column passes for this activation (glu): hold the selected values in memory.
      const chunks: Float64Array[] = [];
      let n = 0;
      for await (const b of blocks(o, false)) {
        chunks.push(b.values.slice(0, b.start[b.rows.length]));
        for (let r = 0; r < b.rows.length; r++) if (b.state[r] === ROW_DATA) n++;
      }
      const data = new Float64Array(n * width);
      let p = 0;
      for (const c of chunks) {
        data.set(c, p);
        p += c.length;
      }
      const t = applyKernel(kernel, { data, shape: [n, width] }, name);
      memoryOut = t.data;
      memoryRows = t.shape[0];
      o = await openTable(source, format, input, opt, false);
    }
    firstLine = o.firstData?.line ?? 0;

    const writer = await makeWriter(to, sink, writeOptions(opt, stats, format, to));
    const header = o.header ?? recordHeader(o, to);
    writer.begin(header, header ? new Array(header.cells.length).fill(PASS_CELL) : undefined);
    let d = 0; // data rows so far
    for await (const b of blocks(o, true)) {
      for (let r = 0; r < b.rows.length; r++) {
        if (b.state[r] !== ROW_DATA) continue;
        const s = b.start[r];
        if (run) run.emit(b.values, s, b.values, s);
        else if (memoryOut) {
          if (d < memoryRows) b.values.set(memoryOut.subarray(d * width, (d + 1) * width), s);
          else b.state[r] = ROW_SKIPPED; // glu down columns halves the rows
        }
        d++;
      }
      writeBlock(b, writer);
      await sink.flush();
    }
    writer.end();
  } finally {
    await cleanup?.();
  }
}
