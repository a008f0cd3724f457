/**
 * The byte lane as a TableSource: numeric CSV, TSV and text go from bytes to bytes while the
 * lane can take them exactly as the general lane would, and the general lane goes on, lines
 * numbered on, from the first line it cannot (a quote, a bad cell, an empty line, a row of another
 * width). The head (header, column choice) is always read by the general reader, so both lanes
 * agree on it; a one-shot stream is recorded while the head is read and replayed to the lane.
 */
import { statSync } from 'node:fs';
import type { RowStep } from '../../tensor.js';
import { runBlocks, type RowReader, type RowsOrigin, type RowsSource } from '../general.js';
import { openHead } from '../head.js';
import { Replayable, skipLines, type Input } from '../streams.js';
import type { Format, TableHead, TableOutput, TableSource } from '../table.js';
import { prestartLaneWorkers } from './parallel.js';
import { runLaneOverFile, runLaneOverStream, type LaneResult } from './run.js';
import type { TableLaneOptions } from './scan.js';
import { Checksum } from '../checksum.js';

/** What the lane source reads: the input as given and how to read its rows from any byte stream. */
export interface LaneOrigin extends RowsOrigin {
  readonly input: Input;
  /** Rows of the table format over any bytes (the rest after the lane stops, lines numbered on). */
  readonly rowsOf: (bytes: Input, base?: number) => RowReader;
  readonly delimiter: string;
  /** 'many' (--axis 0): each lane pass over a file is checksummed and compared (src/io/passes.ts). */
  readonly passes?: 'one' | 'many';
}

/** Open a table for the byte lane; a one-shot input is recorded while its head is read. */
export async function openLane(origin: LaneOrigin): Promise<TableSource> {
  const replay = origin.input.rereadable ? undefined : new Replayable(origin.input);
  // A large file: its pass's workers start loading now, while the head is read (pool.ts).
  if (origin.input.kind === 'file' && origin.passes !== 'many') {
    const st = statSync(origin.input.path, { throwIfNoEntry: false });
    if (st?.isFile()) prestartLaneWorkers(st.size);
  }
  const reader = replay ? origin.rowsOf(replay.input) : origin.reader;
  const opened = await openHead(reader(), origin.place, origin.plan);
  return new LaneSource({ ...origin, reader }, opened, replay);
}

class LaneSource implements TableSource {
  constructor(
    private readonly origin: LaneOrigin,
    private readonly opened: RowsSource['opened'],
    private readonly replay: Replayable | undefined,
  ) {}

  get head(): TableHead {
    return this.opened.head;
  }

  async pass(step: RowStep, out?: TableOutput): Promise<void> {
    const lane = laneOptions(this.origin, this.head, { step, out });
    if (!lane) {
      this.replay?.forget();
      return runBlocks(this.opened.batches, this.head, { step, out, plan: this.origin.plan });
    }
    await this.opened.close();
    const skip = this.head.firstData!.line - 1;
    const bytes = { writeBytes: async (b: Uint8Array) => (out ? out.sink.writeBytes(b) : undefined) };
    const r = await this.runLane(lane, skip, bytes);
    if (!r.rest) return;
    // The general lane goes on from the first line the byte lane did not take.
    const rest = r.rest;
    const restRows = this.origin.rowsOf({ ...this.origin.input, rereadable: false, chunks: () => rest }, skip + r.lines);
    await runBlocks(restRows(), this.head, { step, out, plan: this.origin.plan });
  }

  private async runLane(lane: TableLaneOptions, skip: number, sink: { writeBytes(b: Uint8Array): Promise<void> }): Promise<LaneResult> {
    if (this.replay) {
      const { rest } = await skipLines(this.replay.replay(), skip);
      return runLaneOverStream(rest, lane, sink);
    }
    const input = this.origin.input;
    const { offset, rest, close } = await skipLines(input.chunks(), skip);
    // seam (startup, #11): a synchronous stat: the first asynchronous fs call starts libuv's thread pool (about 3 ms)
    const st = statSync(input.path, { throwIfNoEntry: false });
    if (!st?.isFile()) return runLaneOverStream(rest, lane, sink);
    await close();
    // safety seam: the file the lane reads is the one whose head was read; passes (--axis 0) read the same bytes
    const sum = input.guard && this.origin.passes === 'many' ? new Checksum() : undefined;
    input.guard?.begin();
    const r = await runLaneOverFile({ path: input.path, start: offset, size: st.size, onRead: sum && ((b, s, e) => sum.update(b, s, e)) }, lane, sink);
    if (!r.rest && sum) input.guard?.end(offset, sum);
    return r;
  }

  async reopen(): Promise<TableSource> {
    await this.opened.close();
    return openLane({ ...this.origin, place: { ...this.origin.place, notes: false } });
  }

  async close(): Promise<void> {
    await this.opened.close();
    await this.origin.cleanup?.();
  }
}

/**
 * The lane's options when it can give exactly what the general lane would from the first data
 * row on: a step that keeps row lengths, an output in the input's own format and dialect, a plain
 * header and first row (no quotes, no blank lines before the data), a one-byte delimiter, and the
 * selection of the first data row for every row of its width (rows of another width go back to
 * the general lane).
 */
function laneOptions(origin: LaneOrigin, head: TableHead, run: { step: RowStep; out?: TableOutput }): TableLaneOptions | undefined {
  const { step, out } = run;
  const format: Format = head.format;
  if (!step.keepsLength) return undefined;
  if (out?.options.dtype !== undefined) return undefined; // --dtype: the byte lane prints float64 digits only
  if (out && (out.format !== format || (format !== 'text' && out.options.delimiter !== origin.delimiter))) return undefined;
  const first = head.firstData;
  if (!first || first.keys || first.raw || first.form !== undefined) return undefined;
  // lone-CR line ends: the lane counts lines by LF
  if (first.eol === '\r' || head.header?.eol === '\r') return undefined;
  if (head.header ? head.header.raw !== undefined || head.header.line !== 1 || first.line !== 2 : first.line !== 1) return undefined;
  let sep = 32;
  if (format !== 'text') {
    const c = origin.delimiter.charCodeAt(0);
    if (origin.delimiter.length !== 1 || c >= 128 || c === 34 || c === 10 || c === 13 || c === 32) return undefined;
    sep = c;
  }
  const width = first.cells.length;
  if (width === 0) return undefined;
  const select = new Uint8Array(width);
  for (const i of head.select(first, false)) select[i] = 1;
  return { sep, select, rest: 0, width, step, precision: out?.options.precision, crlf: head.header?.eol === '\r\n' };
}
