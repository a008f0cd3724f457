/** src/io/fastlane/bytes.ts: the byte helpers the lanes share. */
import { expect, test } from 'vitest';
import { readHead, utf8Text, withRoom } from '../../../src/io/fastlane/bytes.js';

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

/** A one-shot stream of these chunks, counting how many were taken from it. */
function oneShot(parts: string[]): { chunks: AsyncIterable<Buffer>; taken: () => number } {
  let taken = 0;
  async function* chunks(): AsyncIterable<Buffer> {
    for (const p of parts) {
      taken++;
      yield Buffer.from(p);
    }
  }
  return { chunks: chunks(), taken: () => taken };
}

async function all(chunks: AsyncIterable<Buffer>): Promise<string> {
  const out: Buffer[] = [];
  for await (const c of chunks) out.push(c);
  return Buffer.concat(out).toString();
}

test('readHead reads only until the head is enough, then gives the whole stream again', async () => {
  const src = oneShot(['  ', '[', '{"a":1}', ',{"a":2}]']);
  const { head, rest } = await readHead(src.chunks, (h) => h.includes('{'));
  expect(head.toString()).toBe('  [{"a":1}');
  expect(src.taken()).toBe(3); // the last chunk was not waited for
  expect(await all(rest)).toBe('  [{"a":1},{"a":2}]');
});

test('readHead on a stream that ends before the head is enough: all of it, once', async () => {
  const src = oneShot([' ', ' ']);
  const { head, rest } = await readHead(src.chunks, () => false);
  expect(head.toString()).toBe('  ');
  expect(await all(rest)).toBe('  ');
});
