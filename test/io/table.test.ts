/** In-process tests at the table seam: header detection, numeric columns, --on-invalid, places in messages. */
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { fillBlock, runBlocks } from '../../src/io/general.js';
import { RowMisfit, type RowBlock, type RowStep } from '../../src/tensor.js';
import { openHead } from '../../src/io/head.js';
import { parseColumns } from '../../src/io/select.js';
import { cellPlace, ROW_BLANK, ROW_DATA, ROW_SKIPPED, rowPlace, type OnInvalid, type ReadPlan, type Row, type TablePlan } from '../../src/io/table.js';

function rows(lines: string[][]): Row[] {
  return lines.map((cells, i) => ({ line: i + 1, cells, eol: '\n' }));
}

async function* once(r: Row[]): AsyncIterable<Row[]> {
  yield r;
}

function plan(read: Partial<ReadPlan> = {}, notes: string[] = []): TablePlan {
  return {
    read: { onInvalid: 'fail', lane: 'general', ...read },
    write: { nonfinite: 'null' },
    report: { note: (m) => notes.push(m), skipped: 0, nonfinite: 0 },
  };
}

const place = { format: 'csv' as const, display: 't.csv', inline: false, notes: true };

describe('openHead', () => {
  test('a first row of text over a row of numbers is a header', async () => {
    const { head } = await openHead(once(rows([['a', 'b'], ['1', '2']])), place, plan());
    expect(head.names).toEqual(['a', 'b']);
    expect(head.firstData?.line).toBe(2);
  });

  test('numbers in the first row: no header; --header forces one; inline numbers never have one', async () => {
    expect((await openHead(once(rows([['1', '2'], ['3', '4']])), place, plan())).head.header).toBeUndefined();
    expect((await openHead(once(rows([['1', '2'], ['3', '4']])), place, plan({ header: true }))).head.names).toEqual(['1', '2']);
    expect((await openHead(once(rows([['a', '1'], ['2', '3']])), { ...place, inline: true }, plan())).head.header).toBeUndefined();
  });

  test('a column whose first data cell is text passes through, and the note names it', async () => {
    const notes: string[] = [];
    const { head } = await openHead(once(rows([['id', 'label', 'x'], ['1', 'cat', '0.5']])), place, plan({}, notes));
    expect(head.select(head.firstData!)).toEqual([0, 2]);
    expect(notes).toEqual(["t.csv: column 2 ('label') holds text in the first data row: passed through (choose columns with -c); transformed: 1 ('id'), 3 ('x')"]);
  });

  test('no numeric column in the first data row is an error, not a copy of the input', async () => {
    await expect(openHead(once(rows([['0x10'], ['0x20']])), place, plan({ header: false }))).rejects.toThrow(
      't.csv:1: no column holds a number in the first data row, so nothing would be transformed',
    );
  });

  test('--columns by name needs a header and checks names before any output', async () => {
    await expect(openHead(once(rows([['1', '2']])), place, plan({ columns: parseColumns('x') }))).rejects.toThrow(/names columns, but t.csv has no header/);
    const { head } = await openHead(once(rows([['a', 'b'], ['1', '2']])), place, plan({ columns: parseColumns('b') }));
    expect(head.select(head.firstData!)).toEqual([1]);
  });
});

describe('openHead told what a lane already read (the NDJSON hand-over)', () => {
  const nd = { format: 'ndjson' as const, display: 't.ndjson', inline: false, notes: true };
  const arrays = (lines: unknown[][]): Row[] => lines.map((cells, i) => ({ line: 10 + i, cells, form: 'array' as const, eol: '\n' }));

  test('columns within the widest seen are numeric already: text there is a bad cell, not a pass-through', async () => {
    const notes: string[] = [];
    const { head } = await openHead(once(arrays([['x', 1, 'y']])), { ...nd, seen: { firstWidth: 1, width: 2 } }, plan({}, notes));
    // Column 3 is new here: its text passes through, named by this row's line, not as "the first data row".
    expect(head.select(head.firstData!)).toEqual([0, 1]);
    expect(notes).toEqual(['t.ndjson: column 3 holds text in its first row (line 10): passed through (choose columns with -c)']);
    expect(head.firstWidth).toBe(1);
  });

  test('the first data row the lane read decides the width of the first row, and no error for a row without numbers', async () => {
    const { head } = await openHead(once(arrays([['a']])), { ...nd, seen: { firstWidth: 3, width: 3 } }, plan());
    expect(head.firstWidth).toBe(3);
    await expect(openHead(once(arrays([['a']])), nd, plan())).rejects.toThrow(/no column holds a number in the first data row/);
  });
});

describe('fillBlock and --on-invalid', () => {
  const body = rows([['1', 'x'], [], ['3', '4']]);
  const head = { format: 'csv' as const, display: 't.csv', select: (r: Row) => r.cells.map((_, i) => i) };

  test.each<[OnInvalid, number[], number[]]>([
    ['skip', [ROW_SKIPPED, ROW_BLANK, ROW_DATA], [3, 4]],
    ['keep', [ROW_DATA, ROW_BLANK, ROW_DATA], [1, 3, 4]],
    ['null', [ROW_DATA, ROW_BLANK, ROW_DATA], [1, 3, 4]],
  ])('%s', (onInvalid, states, values) => {
    const report = { note: () => {}, skipped: 0, nonfinite: 0 };
    const b = fillBlock(body, head, { onInvalid, report });
    expect(Array.from(b.state)).toEqual(states);
    expect(Array.from(b.values.subarray(0, b.start[b.count]))).toEqual(values);
    expect(report.skipped).toBe(onInvalid === 'skip' ? 1 : 0);
    if (onInvalid !== 'skip') expect(b.invalid.get(0)).toEqual([{ cell: 1, action: onInvalid === 'null' ? 1 : 0 }]);
  });

  test('fail: the rows before the bad one are complete, the error names file:line:column and the value', () => {
    const b = fillBlock(rows([['1'], ['2', 'x'], ['3']]), head, { onInvalid: 'fail' });
    expect(b.failure).toBeInstanceOf(ActivError);
    expect(b.failure!.message).toBe("t.csv:2:2: not a number: 'x'");
    expect(Array.from(b.state)).toEqual([ROW_DATA, ROW_SKIPPED, ROW_SKIPPED]);
    expect(b.start[b.count]).toBe(1);
  });

  test('a step that only reads sees the rows before a bad cell: a row it cannot take there is reported first', async () => {
    // one block holds a row of another width (line 2) and, later, a bad cell (line 3): the first in
    // the file is the error, however many rows the lane puts in a block (seen: check and --axis 0
    // named the later bad cell on the plain CSV lane, the earlier row on csv-parse's)
    const seen: number[] = [];
    const widthCheck: RowStep = {
      keepsLength: true,
      writes: false,
      outLength: (n) => n,
      apply(b: RowBlock) {
        seen.push(b.rows);
        for (let r = 1; r < b.rows; r++) if (b.start[r + 1] - b.start[r] !== b.start[1]) throw new RowMisfit(r, 'another width');
        return undefined;
      },
    };
    const run = runBlocks(once(rows([['1', '2'], ['3', '4', '5'], ['6', 'x']])), head, { step: widthCheck, plan: plan() });
    await expect(run).rejects.toThrow(/^t\.csv:2: another width$/);
    expect(seen).toEqual([2]); // the rows before the bad cell only
    // no earlier misfit: the bad cell is the error
    seen.length = 0;
    await expect(runBlocks(once(rows([['1', '2'], ['6', 'x']])), head, { step: widthCheck, plan: plan() })).rejects.toThrow("t.csv:2:2: not a number: 'x'");
    expect(seen).toEqual([1]);
    seen.length = 0;
    await expect(runBlocks(once(rows([['x', '2']])), head, { step: widthCheck, plan: plan() })).rejects.toThrow("t.csv:1:1: not a number: 'x'");
    expect(seen).toEqual([]);
  });

  test('places: records are named by their key and record number', () => {
    const rec: Row = { line: 3, where: 'record 3', cells: [1], keys: ['p'], form: 'record', eol: '\n' };
    expect(cellPlace('d.json', rec, 0)).toBe("d.json: record 3, 'p'");
    expect(rowPlace('d.csv', rows([['1']])[0])).toBe('d.csv:1');
  });
});
