import { describe, expect, test } from 'vitest';
import { PASS_CELL, NULL_CELL, DROP_CELL, type Row, type WriteOptions } from '../../src/io/table.js';
import { CsvWriter, readCsv, splitRaw } from '../../src/io/csv.js';
import { textInput } from '../../src/io/streams.js';

async function rows(text: string, delimiter = ','): Promise<Row[]> {
  const out: Row[] = [];
  for await (const b of readCsv(textInput(text, 't.csv'), delimiter)) out.push(...b);
  return out;
}

const opts = (over: Partial<WriteOptions> = {}): WriteOptions => ({ nonfinite: 'null', delimiter: ',', sameDialect: true, onNonfinite: () => {}, ...over });

describe('splitRaw', () => {
  test('keeps quotes and doubled quotes', () => {
    expect(splitRaw('a,"b,c","d""e",', ',')).toEqual(['a', '"b,c"', '"d""e"', '']);
    expect(splitRaw('x\t"y\tz"', '\t')).toEqual(['x', '"y\tz"']);
  });
});

describe('readCsv', () => {
  test('fields, quotes, line numbers and line endings', async () => {
    const r = await rows('\uFEFFa,"b,c"\r\n1,2\n"multi\nline",3\n4,5');
    expect(r.map((x) => x.cells)).toEqual([['a', 'b,c'], ['1', '2'], ['multi\nline', '3'], ['4', '5']]);
    expect(r.map((x) => x.line)).toEqual([1, 2, 3, 5]);
    expect(r.map((x) => x.eol)).toEqual(['\r\n', '\n', '\n', '']);
    expect(r[0].raw).toEqual(['a', '"b,c"']);
  });
  test('an empty line is a row without cells', async () => {
    expect((await rows('1\n\n2\n')).map((x) => x.cells)).toEqual([['1'], [], ['2']]);
  });
  test('TSV is CSV with a tab', async () => {
    expect((await rows('1\t2\n', '\t'))[0].cells).toEqual(['1', '2']);
  });
  test('an unclosed quote is a data error with the line', async () => {
    await expect(rows('a,b\n1,"2\n')).rejects.toMatchObject({ kind: 'data', message: expect.stringMatching(/^t\.csv:2:2: a quoted field is not closed/) });
  });
});

describe('CsvWriter', () => {
  test('numbers replace selected cells; passthrough is byte for byte', async () => {
    let s = '';
    const w = await CsvWriter.create({ write: (t) => void (s += t) }, opts());
    w.row({ line: 1, cells: ['x,y', '1', 'n'], raw: ['"x,y"', '1', 'n'], eol: '\r\n' }, [PASS_CELL, 0.5, NULL_CELL]);
    w.row({ line: 2, cells: ['a', '2', '3'], eol: '' }, [PASS_CELL, -0, DROP_CELL]);
    expect(s).toBe('"x,y",0.5,\r\na,-0\r\n');
  });
  test('cells from another format are quoted when needed', async () => {
    let s = '';
    const w = await CsvWriter.create({ write: (t) => void (s += t) }, opts({ sameDialect: false }));
    w.row({ line: 1, cells: ['a,b', 'say "hi"', 1], form: 'array', eol: '\n' }, [PASS_CELL, PASS_CELL, 2]);
    expect(s).toBe('"a,b","say ""hi""",2\n');
  });
  test('precision', async () => {
    let s = '';
    const w = await CsvWriter.create({ write: (t) => void (s += t) }, opts({ precision: 3 }));
    w.row({ line: 1, cells: ['1'], eol: '\n' }, [Math.PI]);
    expect(s).toBe('3.14\n');
  });
});
