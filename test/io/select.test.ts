import { describe, expect, test } from 'vitest';
import { parseColumns } from '../../src/io/select.js';

describe('parseColumns', () => {
  const names = ['id', 'x', 'y', 'z', 'label'];
  test('indices, ranges, open ranges', () => {
    expect(parseColumns('2').indices(5, undefined)).toEqual([1]);
    expect(parseColumns('2-4').indices(5, undefined)).toEqual([1, 2, 3]);
    expect(parseColumns('3-').indices(5, undefined)).toEqual([2, 3, 4]);
    expect(parseColumns('3-').indices(7, undefined)).toEqual([2, 3, 4, 5, 6]);
    expect(parseColumns('5,1').indices(5, undefined)).toEqual([0, 4]);
  });
  test('names and negation', () => {
    expect(parseColumns('x,z').indices(5, names)).toEqual([1, 3]);
    expect(parseColumns('!id,!label').indices(5, names)).toEqual([1, 2, 3]);
    expect(parseColumns('2-,!label').indices(5, names)).toEqual([1, 2, 3]);
    expect(parseColumns('!1').indices(3, undefined)).toEqual([1, 2]);
  });
  test('indices beyond a short row are ignored', () => {
    expect(parseColumns('2-9').indices(3, undefined)).toEqual([1, 2]);
  });
  test('errors are usage errors that say what is wrong', () => {
    expect(() => parseColumns('0')).toThrow(/count from 1/);
    expect(() => parseColumns('4-2')).toThrow(/bad range/);
    expect(() => parseColumns('a,,b')).toThrow(/empty item/);
    expect(() => parseColumns('price').indices(3, ['a', 'b', 'c'])).toThrow(/no column named 'price'; the columns are 'a', 'b', 'c'/);
    expect(() => parseColumns('price').indices(3, undefined)).toThrow(/no header/);
    try {
      parseColumns('0');
    } catch (e) {
      expect((e as { kind: string }).kind).toBe('usage');
    }
  });
  test('missing names are allowed for records', () => {
    expect(parseColumns('a,zz').indices(2, ['a', 'b'], true)).toEqual([0]);
  });
});
