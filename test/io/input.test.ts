/**
 * A file input's chunks (src/io/input.ts fileInput): a small file comes whole, a larger one as its
 * first 4 KiB (read synchronously, so a reader that stops at the head parses little and opens no
 * stream) and then the rest from the same descriptor.
 */
import { mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { fileInput } from '../../src/io/streams.js';

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
