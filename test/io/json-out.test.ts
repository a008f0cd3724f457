import { describe, expect, it } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { jsonTensor } from '../../src/io/json.js';
import { recordsOf, writeObject, writesJson, writeTensorTable } from '../../src/io/json-out.js';
import type { Format, OutCell, Row, TableOutput } from '../../src/io/table.js';

/** An output that records what is written. */
function recorder(format: Format): { output: TableOutput; rows: [Row, OutCell[]][]; text: string[] } {
  const rows: [Row, OutCell[]][] = [];
  const text: string[] = [];
  const output = {
    format,
    options: {} as TableOutput['options'],
    sink: { write: (s: string) => void text.push(s) } as unknown as TableOutput['sink'],
    writer: { begin() {}, row: (r: Row, c: OutCell[]) => void rows.push([r, c]), end() {} },
  };
  return { output, rows, text };
}

describe('json-out', () => {
  it('says which outputs keep a document JSON', () => {
    expect(writesJson(undefined)).toBe(true);
    expect(writesJson('ndjson')).toBe(true);
    expect(writesJson('csv')).toBe(false);
  });

  it('takes records, and one flat object only when written as a table', () => {
    expect(recordsOf([{ a: 1 }, { a: 2 }], 'json')).toHaveLength(2);
    expect(recordsOf({ a: 1, b: 'x' }, 'csv')).toEqual([{ a: 1, b: 'x' }]);
    expect(recordsOf({ a: 1, b: 'x' }, 'json')).toBeUndefined();
    expect(recordsOf({ a: [1, 2] }, 'csv')).toBeUndefined();
  });

  it('writes the chosen members through the step and keeps the others', () => {
    const { output, text } = recorder('json');
    writeObject(output, { id: 7, x: [1, -2] }, { chosen: new Set(['x']), display: 'in.json', text: () => '[1,0]' });
    expect(text.join('')).toBe('{"id":7,"x":[1,0]}\n');
  });

  it('refuses an object as a table, naming the input and the format', () => {
    const { output } = recorder('csv');
    expect(() => writeObject(output, { x: [1] }, { chosen: new Set(['x']), display: 'in.json', text: () => '' })).toThrow(
      new ActivError('in.json: a JSON object can only be written as JSON (--to json or ndjson), not csv'),
    );
  });

  it('writes a 2-D tensor as rows, drops cells glu removed and keeps an invalid value in place', () => {
    const doc = [[1, 2], [3, 'x']];
    const t = jsonTensor(doc, true)!;
    const { output, rows } = recorder('csv');
    writeTensorTable(output, { doc, t, result: { data: new Float64Array([10, 30]), shape: [2, 1] }, display: 'd' }, 'keep');
    expect(rows.map(([r, c]) => [r.line, r.cells, c.length])).toEqual([
      [1, [1, 2], 2],
      [2, [3, 'x'], 2],
    ]);
    expect(rows[0][1][0]).toBe(10);
    expect(rows[1][1][0]).toBe(30);
    expect(typeof rows[0][1][1]).toBe('object'); // DROP_CELL: the column glu halved away
  });

  it('refuses a 3-D tensor as a table', () => {
    const doc = [[[1]]];
    const t = jsonTensor(doc, true)!;
    const { output } = recorder('tsv');
    expect(() => writeTensorTable(output, { doc, t, result: { data: new Float64Array([1]), shape: [1, 1, 1] }, display: 'd' }, 'fail')).toThrow(/3-D tensor cannot be written as tsv/);
  });
});
