/**
 * A table's head: its first rows decide the header (CSV/TSV/text: the first row is a header when
 * some column holds text there and a number in the next row) and, without --columns, which
 * columns hold numbers (those whose first data cell is not text; a column first seen in a later
 * row is decided there). The rows looked at are handed on, so the table is read once.
 */
import { ActivError } from '../errors.js';
import { cellNumber, isBlank, jsonValueNumber, rowPlace, type Format, type Row, type TableHead, type TablePlan } from './table.js';

/** Where the head is read: the format, how messages name the input, whether it is inline numbers, and whether to note choices. */
export interface HeadPlace {
  readonly format: Format;
  readonly display: string;
  readonly inline: boolean;
  readonly notes: boolean;
  /** Data rows a lane already read and wrote (arrays of numbers only): the first one's width, and the widest. */
  readonly seen?: { readonly firstWidth: number; readonly width: number };
}

export interface OpenedHead {
  readonly head: TableHead;
  /** Every row from the start (the looked-at ones first). */
  readonly batches: AsyncIterable<Row[]>;
  /** Stop reading (a byte lane takes the bytes from here). */
  close(): Promise<void>;
}

export async function openHead(rows: AsyncIterable<Row[]>, at: HeadPlace, plan: TablePlan): Promise<OpenedHead> {
  const { format, display, inline, notes, seen } = at;
  const it = rows[Symbol.asyncIterator]();
  const pre: Row[] = [];
  let nonBlank = 0;
  let done = false;
  while (nonBlank < 2) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    for (const row of r.value) {
      pre.push(row);
      if (!isBlank(row)) nonBlank++;
    }
  }
  const rowsLike = format === 'csv' || format === 'tsv' || format === 'text';
  let header: Row | undefined;
  const firstIdx = pre.findIndex((r) => !isBlank(r));
  if (rowsLike && firstIdx >= 0 && !inline) {
    const first = pre[firstIdx];
    let isHeader = plan.read.header;
    if (isHeader === undefined) {
      const second = pre.slice(firstIdx + 1).find((r) => !isBlank(r));
      const text = (row: Row, j: number): boolean => row.cells[j] !== '' && cellNumber(row, j) === undefined;
      if (second) {
        isHeader = false;
        for (let j = 0; j < Math.min(first.cells.length, second.cells.length); j++) {
          if (text(first, j) && cellNumber(second, j) !== undefined) isHeader = true;
        }
      } else {
        isHeader = first.cells.every((_, j) => text(first, j));
      }
    }
    if (isHeader) {
      header = first;
      pre.splice(firstIdx, 1);
    }
  }
  const names = header?.cells.map((c) => String(c));
  const firstData = pre.find((r) => !isBlank(r));

  let select: (row: Row, decide?: boolean) => number[];
  if (plan.read.columns) {
    const sel = plan.read.columns;
    if (sel.usesNames && !names && firstData && !firstData.keys) {
      throw new ActivError(`--columns '${sel.spec}' names columns, but ${display} has no header; use column numbers, or --header`);
    }
    // Check names and indices against the header (or first row) now, so a typo fails before any output.
    if (names) sel.indices(names.length, names);
    const width = names?.length ?? (firstData && !firstData.keys ? firstData.cells.length : undefined);
    if (width !== undefined) sel.check(width, names);
    select = (row) => (row.keys ? sel.indices(row.cells.length, row.keys, true) : sel.indices(row.cells.length, names));
  } else {
    // Every numeric column: a column (or record key) whose first data cell is text passes
    // through. A column first seen in a later row (longer rows, new keys) is decided there.
    const na = plan.read.na; // missing values are not text: they do not decide a column
    const passIdx = new Set<number>();
    const passKeys = new Set<string>();
    const seenKeys = new Set<string>();
    // Columns a lane already took as numbers are decided.
    let decidedWidth = seen?.width ?? 0;
    const byWidth = new Map<number, number[]>();
    const isText = (row: Row, j: number): boolean => {
      const v = row.cells[j];
      return row.form !== undefined ? v !== null && jsonValueNumber(v) === undefined : v !== '' && !na?.has(v as string) && cellNumber(row, j) === undefined;
    };
    const announce = (row: Row, described: string[], keys: boolean): void => {
      if (!described.length || !notes || row.form === 'scalar') return;
      const done = described[described.length - 1]?.startsWith('transformed: ') ? described.pop() : undefined;
      const what = keys ? (described.length === 1 ? 'key' : 'keys') : described.length === 1 ? 'column' : 'columns';
      const first = row === firstData && !seen ? 'the first data row' : `its first row (${rowPlace(display, row).replace(`${display}:`, 'line ').replace(`${display}: `, '')})`;
      plan.report.note(`${display}: ${what} ${described.join(', ')} hold${described.length === 1 ? 's' : ''} text in ${first}: passed through (choose columns with -c)${done ? `; ${done}` : ''}`);
    };
    select = (row, decide = true) => {
      if (row.keys) {
        const described: string[] = [];
        const out: number[] = [];
        for (let j = 0; j < row.keys.length; j++) {
          const k = row.keys[j];
          if (decide && !seenKeys.has(k)) {
            seenKeys.add(k);
            if (isText(row, j)) {
              passKeys.add(k);
              described.push(`'${k}'`);
            }
          }
          if (!passKeys.has(k)) out.push(j);
        }
        announce(row, described, true);
        return out;
      }
      const w = row.cells.length;
      if (decide && w > decidedWidth) {
        const described: string[] = [];
        for (let j = decidedWidth; j < w; j++) {
          if (!isText(row, j)) continue;
          passIdx.add(j);
          described.push(names && names[j] !== undefined ? `${j + 1} ('${names[j]}')` : String(j + 1));
        }
        decidedWidth = w;
        byWidth.clear();
        if (names && row === firstData && described.length) {
          // With a header, say what is transformed too: an id column of numbers is, and should be seen.
          const done = names.flatMap((n, j) => (j < w && !passIdx.has(j) ? [`${j + 1} ('${n}')`] : []));
          if (done.length) described.push(`transformed: ${done.join(', ')}`);
        }
        announce(row, described, false);
      }
      let sel = byWidth.get(w);
      if (!sel) {
        sel = [];
        for (let j = 0; j < w; j++) if (!passIdx.has(j)) sel.push(j);
        byWidth.set(w, sel);
      }
      return sel;
    };
    if (!seen && firstData && select(firstData).length === 0 && firstData.cells.length > 0) {
      throw new ActivError(
        `${rowPlace(display, firstData)}: no ${firstData.keys ? 'key' : 'column'} holds a number in the first data row, so nothing would be transformed; choose columns with -c, or check --from and --delimiter`,
        'data',
      );
    }
  }

  async function* batches(): AsyncIterable<Row[]> {
    try {
      if (pre.length) yield pre;
      if (done) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield r.value;
      }
    } finally {
      // Stopped early (an error, a closed pipe): close the reader and its file or stdin.
      if (!done) await it.return?.();
    }
  }
  const close = async (): Promise<void> => {
    if (!done) await it.return?.();
  };
  const firstWidth = seen ? seen.firstWidth : firstData && select(firstData, false).length;
  return { head: { format, display, header, names, firstData, firstWidth, select }, batches: batches(), close };
}
