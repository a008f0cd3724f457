/** src/io/fastlane/bytes.ts: the byte helpers the lanes share. */
import { expect, test } from 'vitest';
import { utf8Text, withRoom } from '../../../src/io/fastlane/bytes.js';

test('utf8Text decodes a range of a view that starts part way into its buffer', () => {
  const whole = Buffer.from('xx{"é\u20ac😀":"a\\"b"}yy');
  const view = new Uint8Array(whole.buffer, whole.byteOffset + 2, whole.length - 4); // {"é€😀":"a\"b"}
  expect(utf8Text(view, 0, view.length)).toBe('{"é\u20ac😀":"a\\"b"}');
  expect(utf8Text(view, 2, 2 + 2 + 3 + 4)).toBe('é\u20ac😀');
  expect(utf8Text(view, 5, 5)).toBe('');
  // decoded in place: the text follows the bytes
  view[0] = 0x5b;
  expect(utf8Text(view, 0, 1)).toBe('[');
});

test('withRoom keeps the buffer when the bytes fit, else copies the used part into at least double', () => {
  const b = new Uint8Array([1, 2, 3, 0]);
  expect(withRoom(b, 3, 1)).toBe(b);
  const c = withRoom(b, 3, 2);
  expect(c.length).toBe(8);
  expect(Array.from(c.subarray(0, 3))).toEqual([1, 2, 3]);
});
