import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { recordRows } from '../../src/io/json.js';
import { isRecordArrayFile, readRecordArray, startsLikeRecordArray } from '../../src/io/json-records.js';
import { documentTexts, rememberTexts } from '../../src/io/jsonlane/texts.js';
import type { Row } from '../../src/io/table.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-records-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;
const file = (text: string): string => {
  const path = join(dir, `f${files++}.json`);
  writeFileSync(path, text);
  return path;
};

async function rowsOf(path: string): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of readRecordArray(path, 'f.json')) rows.push(...batch);
  return rows;
}

/** The rows the whole-document path makes of the same text (parsed whole, texts from one scan). */
function wholeRows(text: string): Row[] {
  const doc = JSON.parse(text) as Record<string, unknown>[];
  rememberTexts(doc, documentTexts(text));
  return recordRows(doc);
}

describe('isRecordArrayFile: one top-level array of objects, nothing after it', () => {
  test.each([
    '[{"a":1}]',
    ' \n[ {"a":1} ,\n\t{"b":[1,{"c":"]"}]} ]\n\n',
    '[{"s":"}\\"]{[\\\\"},{"t":"\\\\"}]',
    '[{}]',
  ])('%j: yes', (text) => expect(isRecordArrayFile(file(text))).toBe(true));

  test.each([
    '[]',
    '[{"a":1},2]',
    '[2,{"a":1}]',
    '[{"a":1}] [{"a":2}]',
    '[{"a":1}]x',
    '[{"a":1},]',
    '[{"a":1}',
    '[{"a":"}]',
    '{"a":1}',
    '',
    '\uFEFF[{"a":1}]',
  ])('%j: no', (text) => expect(isRecordArrayFile(file(text))).toBe(false));
});

describe('readRecordArray gives the rows the whole document gives', () => {
  test('records with nested values, escapes, big integers and spellings the writer keeps', async () => {
    const text = '[{"id":"a","x":1.0,"n":11111111112222222222,"s":"\\u0041]}","v":[1,2]},\n {"id":"b","x":-2e3,"n":null,"s":"\\"","v":{"k":[]}}]';
    expect(await rowsOf(file(text))).toEqual(wholeRows(text));
  });

  test('over several reads and batches: records cut by the 1 MiB reads, 3000 records', async () => {
    const long = 'y'.repeat(700_000); // two records straddle the first read's end
    const records = Array.from({ length: 3000 }, (_, i) => (i === 1 || i === 2 ? `{"i":${i},"pad":"${long}"}` : `{"i":${i},"x":${i / 7},"k":"r${i}"}`));
    const text = `[${records.join(',\n')}]`;
    const path = file(text);
    expect(isRecordArrayFile(path)).toBe(true);
    const rows = await rowsOf(path);
    expect(rows.length).toBe(3000);
    expect(rows).toEqual(wholeRows(text));
    expect(rows[2999].where).toBe('record 3000');
  });

  test('a record that is not valid JSON: its line and column in the file', async () => {
    const path = file('[{"a":1},\n  {"a":tru}]');
    expect(isRecordArrayFile(path)).toBe(true); // the shape is checked, not the records
    const e = await rowsOf(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ActivError);
    expect((e as ActivError).kind).toBe('data');
    expect((e as Error).message).toBe("f.json:2:11: invalid JSON: unexpected character '}'"); // as the whole document's lane says it
  });
});

describe('what isRecordArrayFile() does not take', () => {
  test('a path that does not open, or a folder: no (the reader that follows says why)', () => {
    expect(isRecordArrayFile(join(dir, 'missing.json'))).toBe(false);
    expect(isRecordArrayFile(dir)).toBe(false);
  });

  test('a file that stops being one array of records between the check and the read: the changed-file error', async () => {
    const path = file('[{"a":1},{"a":2}]');
    expect(isRecordArrayFile(path)).toBe(true);
    writeFileSync(path, '[{"a":1},2]');
    const e = await rowsOf(path).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ActivError);
    expect((e as ActivError).kind).toBe('io');
    expect((e as Error).message).toBe('f.json: the file changed while activ was reading it (between two passes over it); try again once it is complete');
  });
});

describe('startsLikeRecordArray: the first bytes of a one-shot input', () => {
  test.each([
    ['[{', true],
    [' \n[ \t\r\n{"a"', true],
    ['[1', false],
    ['[[', false],
    ['{"a":1}', false],
    ['\ufeff[{', false], // a BOM: the whole-document path, as for a file
    ['', undefined],
    ['  \n', undefined],
    ['[', undefined],
    ['[  ', undefined],
  ])('%j -> %s', (head, expected) => {
    expect(startsLikeRecordArray(Buffer.from(head))).toBe(expected);
  });

  test('leading spaces past 64 KiB: no longer asked (false)', () => {
    expect(startsLikeRecordArray(Buffer.from(' '.repeat(70_000)))).toBe(false);
    expect(startsLikeRecordArray(Buffer.from('[' + ' '.repeat(70_000)))).toBe(false);
  });
});
