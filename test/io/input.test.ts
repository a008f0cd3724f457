/**
 * A file input's chunks (src/io/input.ts fileInput): a small file comes whole, a larger one as its
 * first 4 KiB (read synchronously, so a reader that stops at the head parses little and opens no
 * stream) and then the rest from the same descriptor.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fileInput, peekHead, type Input } from '../../src/io/streams.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, bytes: Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}
const lines = (n: number, tag: string): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => `${tag}${i},${i / 7}`).join('\n') + '\n');
const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('fileInput chunks', () => {
  test('a small file: one chunk, the whole file', async () => {
    const bytes = lines(100, 'a');
    const got: Buffer[] = [];
    for await (const c of fileInput(file('small.csv', bytes)).chunks()) got.push(c);
    expect(got.length).toBe(1);
    expect(got[0].equals(bytes)).toBe(true);
  });

  test('a larger file: its first 4 KiB, then the rest, every byte once', async () => {
    const bytes = lines(20_000, 'b');
    expect(bytes.length).toBeGreaterThan(1 << 16);
    const got: Buffer[] = [];
    for await (const c of fileInput(file('large.csv', bytes)).chunks()) got.push(c);
    expect(got[0].length).toBe(4096);
    expect(Buffer.concat(got).equals(bytes)).toBe(true);
  });

  test('a reader that stops at the head leaves no descriptor open', async () => {
    const path = file('stop.csv', lines(20_000, 'c'));
    const before = openFds();
    for (let i = 0; i < 5; i++) {
      for await (const c of fileInput(path).chunks()) {
        expect(c.length).toBe(4096);
        break;
      }
    }
    expect(openFds()).toBe(before);
  });

  test('the path replaced after the head: the rest comes from the file opened, not the new one', async () => {
    const bytes = lines(20_000, 'd');
    const path = file('swap.csv', bytes);
    const other = file('other.csv', lines(20_000, 'e'));
    const got: Buffer[] = [];
    for await (const c of fileInput(path).chunks()) {
      if (got.push(c) === 1) renameSync(other, path);
    }
    expect(Buffer.concat(got).equals(bytes)).toBe(true);
  });
});

describe('peekHead', () => {
  /** A one-shot input of these chunks, counting how many were taken from it. */
  function oneShot(parts: string[]): { input: Input; taken: () => number } {
    let taken = 0;
    const input: Input = {
      kind: 'stream', path: '-', display: '<stdin>', ext: '', rereadable: false,
      async *chunks() {
        for (const p of parts) {
          taken++;
          yield Buffer.from(p);
        }
      },
    };
    return { input, taken: () => taken };
  }

  async function all(input: Input): Promise<string> {
    const out: Buffer[] = [];
    for await (const c of input.chunks()) out.push(c);
    return Buffer.concat(out).toString();
  }

  test('reads only until the head is enough, then gives the whole input again', async () => {
    const src = oneShot(['  ', '[', '{"a":1}', ',{"a":2}]']);
    const { head, input } = await peekHead(src.input, (h) => h.includes('{'));
    expect(head.toString()).toBe('  [{"a":1}');
    expect(src.taken()).toBe(3); // the last chunk was not waited for
    expect(await all(input)).toBe('  [{"a":1},{"a":2}]');
  });

  test('an input that ends before the head is enough: all of it, once', async () => {
    const src = oneShot([' ', ' ']);
    const { head, read, input } = await peekHead(src.input, () => false);
    expect(head.toString()).toBe('  ');
    expect(read).toBe(2);
    expect(await all(input)).toBe('  ');
  });

  test('the head stops growing at 64 KiB; the count of bytes read goes on', async () => {
    const chunk = 'x'.repeat(40_000);
    const src = oneShot([chunk, chunk, chunk, chunk]);
    const { head, read, input } = await peekHead(src.input, (_, n) => n >= 100_000);
    expect(read).toBe(120_000);
    expect(head.length).toBe(80_000); // it was under 64 KiB before the second chunk, not before the third
    expect(src.taken()).toBe(3);
    expect((await all(input)).length).toBe(160_000);
  });
});
