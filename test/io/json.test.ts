import { describe, expect, test } from 'vitest';
import type { WriteOptions } from '../../src/io/table.js';
import { isNumericTensor, jsonTensor, parseJsonDocument, tensorText } from '../../src/io/json.js';
import { jsonErrorMessage, jsonRowText } from '../../src/io/ndjson.js';
import { PASS_CELL } from '../../src/io/table.js';

const opt = (nonfinite: 'null' | 'string' = 'null', counter = { n: 0 }): WriteOptions => ({
  nonfinite,
  delimiter: ',',
  sameDialect: false,
  onNonfinite: () => void counter.n++,
});

describe('JSON tensors', () => {
  test('shape of nested arrays; NaN/Infinity strings read as numbers', () => {
    const t = jsonTensor([[1, 'NaN'], ['-Infinity', 4]])!;
    expect(t.shape).toEqual([2, 2]);
    expect(Array.from(t.data)).toEqual([1, NaN, -Infinity, 4]);
    expect(t.invalid).toEqual([]);
    expect(jsonTensor(3)!.shape).toEqual([]);
  });
  test('ragged arrays are refused with the path', () => {
    expect(() => jsonTensor([[1, 2], [3]], true, 'x.json: ')).toThrow(/x\.json: \[1\]: ragged array/);
    expect(isNumericTensor([[1], [2]])).toBe(true);
    expect(isNumericTensor(['a'])).toBe(false);
    expect(isNumericTensor('1')).toBe(false);
  });
  test('non-numbers are listed with their path', () => {
    const t = jsonTensor([1, 'x', null])!;
    expect(t.invalid.map((i) => i.path)).toEqual(['[1]', '[2]']);
  });
  test('compact output; NaN as null (counted) or as strings', () => {
    const counter = { n: 0 };
    const t = { data: Float64Array.of(1, NaN, Infinity, -0), shape: [2, 2] };
    expect(tensorText(t, opt('null', counter))).toBe('[[1,null],[null,-0]]');
    expect(counter.n).toBe(2);
    expect(tensorText(t, opt('string'))).toBe('[[1,"NaN"],["Infinity",-0]]');
  });
  test('errors name line and column', () => {
    expect(() => parseJsonDocument('a.json', '[1,\n2 3]')).toThrow(/^a\.json:2:3: invalid JSON: Expected ',' or ']' after array element$/);
    expect(() => parseJsonDocument('a.json', '[1,\n2,]')).toThrow(/^a\.json: invalid JSON: Unexpected token/);
    expect(() => parseJsonDocument('a.json', '  ')).toThrow(/empty input/);
    expect(jsonErrorMessage('x', '{', new SyntaxError('Unexpected end of JSON input'))).toMatch(/^x: invalid JSON: Unexpected end of JSON input$/);
  });
  test('rows as JSON: records keep their keys', () => {
    expect(jsonRowText({ line: 1, cells: ['a', 1], keys: ['id', 'v'], form: 'record', eol: '' }, [PASS_CELL, 0.5], opt(), undefined)).toBe('{"id":"a","v":0.5}');
    expect(jsonRowText({ line: 1, cells: ['a', '1'], eol: '' }, [PASS_CELL, 2], opt(), ['id', 'v'])).toBe('{"id":"a","v":2}');
    expect(jsonRowText({ line: 1, cells: [3], form: 'scalar', eol: '' }, [4], opt(), undefined)).toBe('4');
  });
});
