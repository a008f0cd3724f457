/**
 * The general lane: a TableSource over any reader's rows. Each block's selected cells are parsed
 * (invalid cells fail, skip the row, or are kept/nulled), the row step runs over the block, and
 * the writer writes it. The byte lanes (src/io/fastlane/) hand the lines they cannot take to it.
 */
import { ActivError } from '../errors.js';
import { RowMisfit, type RowStep } from '../tensor.js';
import { openHead, type HeadPlace, type OpenedHead } from './head.js';
import {
  cellNumber,
  cellPlace,
  isBlank,
  newBlock,
  NULL,
  outCells,
  PASS,
  quoteValue,
  ROW_BLANK,
  ROW_DATA,
  ROW_SKIPPED,
  rowPlace,
  type Block,
  type OnInvalid,
  type Report,
  type Row,
  type TableHead,
  type TableOutput,
  type TablePlan,
  type TableSource,
  type TableWriter,
} from './table.js';

/** How a block's invalid cells are handled, and where skipped rows are counted (the writing pass only). */
export interface BlockPlan {
  readonly onInvalid: OnInvalid;
  readonly na?: ReadonlySet<string>;
  readonly report?: Report;
}

const MISSING_HINT = '--on-invalid skip (drop the row), keep (write it as it came) or null (an empty cell)';

/** Why a cell is not taken: a missing value says how to let it through. */
function invalidText(v: unknown, na: ReadonlySet<string> | undefined): string {
  if (v === '' || v === undefined) return `missing value (an empty cell); ${MISSING_HINT}`;
  if (v === null) return `missing value (null); ${MISSING_HINT}`;
  if (na?.has(v as string)) return `missing value ${quoteValue(v)} (--na); ${MISSING_HINT}`;
  return `not a number: ${quoteValue(v)}`;
}

/** Rows from the start of the input, each call a fresh read. */
export type RowReader = () => AsyncIterable<Row[]>;

/** What a source needs to read its table (again). */
export interface RowsOrigin {
  readonly reader: RowReader;
  readonly place: HeadPlace;
  readonly plan: TablePlan;
  /** Called once when the source closes (a spilled copy is removed). */
  readonly cleanup?: () => Promise<void>;
}

export async function openRows(origin: RowsOrigin): Promise<RowsSource> {
  return new RowsSource(await openHead(origin.reader(), origin.place, origin.plan), origin);
}

export class RowsSource implements TableSource {
  constructor(
    readonly opened: OpenedHead,
    private readonly origin: RowsOrigin,
  ) {}

  get head(): TableHead {
    return this.opened.head;
  }

  async pass(step: RowStep, out?: TableOutput): Promise<void> {
    await runBlocks(this.opened.batches, this.head, { step, out, plan: this.origin.plan });
  }

  async reopen(): Promise<TableSource> {
    await this.opened.close();
    const place = { ...this.origin.place, notes: false };
    return new RowsSource(await openHead(this.origin.reader(), place, this.origin.plan), { ...this.origin, place });
  }

  async close(): Promise<void> {
    await this.opened.close();
    await this.origin.cleanup?.();
  }
}

/** A step, where it writes, and the plan: what runBlocks needs besides the rows. */
export interface BlockRun {
  readonly step: RowStep;
  readonly out?: TableOutput;
  readonly plan: TablePlan;
}

/** Rows in blocks through the step and to the writer; a bad cell stops after the rows before it are written. */
export async function runBlocks(batches: AsyncIterable<Row[]>, head: TableHead, run: BlockRun): Promise<void> {
  const { step, out, plan } = run;
  const blockPlan: BlockPlan = { onInvalid: plan.read.onInvalid, na: plan.read.na, report: step.writes ? plan.report : undefined };
  for await (const rows of batches) {
    const b = fillBlock(rows, head, blockPlan);
    // A step that only reads (check's tensor, --axis 0's first pass) still sees the rows before a
    // bad cell: a row it cannot take there is the first error, whatever the lane's block size.
    const taken = b.failure && !step.writes ? b.state.indexOf(ROW_SKIPPED) : b.count;
    let result;
    try {
      result = taken > 0 ? step.apply({ values: b.values, start: b.start, rows: taken, skip: b.state }) : undefined;
    } catch (e) {
      if (!(e instanceof RowMisfit)) throw e;
      // As with a bad cell: the rows before the one the step cannot take are written, none after.
      b.failure = new ActivError(`${rowPlace(head.display, rows[e.row])}: ${e.message}`, e.kind);
      if (!step.writes) throw b.failure;
      b.state.fill(ROW_SKIPPED, e.row);
      result = e.row > 0 ? step.apply({ values: b.values, start: b.start, rows: e.row, skip: b.state }) : undefined;
    }
    if (b.failure && !step.writes) throw b.failure;
    if (out && result) {
      b.out = result.out;
      b.outStart = result.outStart;
      writeBlock(b, out.writer, result.dropped);
      await out.sink.flush();
    }
    if (b.failure) throw b.failure;
  }
}

/** Parse a block's selected cells; invalid cells fail, skip the row, or are kept/nulled. */
export function fillBlock(rows: Row[], head: TableHead, plan: BlockPlan): Block {
  const { onInvalid, report, na } = plan;
  const display = head.display;
  const sels: (number[] | undefined)[] = new Array(rows.length);
  let cap = 0;
  for (let r = 0; r < rows.length; r++) {
    if (isBlank(rows[r])) continue;
    const s = head.select(rows[r]);
    sels[r] = s;
    cap += s.length;
  }
  const b = newBlock(rows, cap);
  const { values, cellOf, start, state } = b;
  let k = 0;
  for (let r = 0; r < rows.length; r++) {
    const sel = sels[r];
    if (!sel) {
      state[r] = ROW_BLANK;
      start[r + 1] = k;
      continue;
    }
    const row = rows[r];
    const k0 = k;
    let bad: { cell: number; action: typeof PASS | typeof NULL }[] | undefined;
    for (const i of sel) {
      const x = na?.has(row.cells[i] as string) ? undefined : cellNumber(row, i);
      if (x === undefined) {
        if (onInvalid === 'fail') {
          // Rows before this one are written (a stream writes what it has done), none after.
          b.failure = new ActivError(`${cellPlace(display, row, i)}: ${invalidText(row.cells[i], na)}`, 'data');
          for (let q = r; q < rows.length; q++) {
            state[q] = ROW_SKIPPED;
            start[q + 1] = k0;
          }
          return b;
        }
        if (onInvalid === 'skip') {
          state[r] = ROW_SKIPPED;
          break;
        }
        (bad ??= []).push({ cell: i, action: onInvalid === 'null' ? NULL : PASS });
        continue;
      }
      values[k] = x;
      cellOf[k] = i;
      k++;
    }
    if (state[r] === ROW_SKIPPED) {
      k = k0;
      if (report) report.skipped++;
    } else if (bad) b.invalid.set(r, bad);
    start[r + 1] = k;
  }
  return b;
}

export function writeBlock(b: Block, writer: TableWriter, dropped?: Uint8Array): void {
  for (let r = 0; r < b.rows.length; r++) {
    const st = b.state[r];
    if (st === ROW_SKIPPED || dropped?.[r]) continue;
    writer.row(b.rows[r], st === ROW_BLANK ? [] : outCells(b, r));
  }
}

