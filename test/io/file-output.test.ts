/**
 * `-o FILE` in process (src/io/sink.ts FileOutput, src/io/target.ts): a replaced file's temporary
 * sibling is written directly while the output is small, then through a stream; the bytes, their
 * order, the mode and the temporary file's removal do not depend on which.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { gzipOutput } from '../../src/io/compression.js';
import { DirectOut } from '../../src/io/direct-out.js';
import { FileOutput } from '../../src/io/sink.js';
import { randomName } from '../../src/io/target.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-file-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Text of `n` bytes, different at every offset (a reordering or a loss shows). */
function text(n: number, tag: string): string {
  let s = '';
  for (let i = 0; s.length < n; i++) s += `${tag}${i}\n`;
  return s.slice(0, n);
}

describe('FileOutput', () => {
  test.each([
    ['small (written directly)', [100]],
    ['exactly the direct limit', [1 << 16]],
    ['past it (the stream takes the rest)', [40_000, 40_000, 300_000]],
  ])('%s: the file holds the text and the bytes in order, no temporary file is left', async (_, sizes) => {
    const path = join(dir, `out-${sizes.join('-')}.csv`);
    writeFileSync(path, 'old contents\n', { mode: 0o640 });
    const file = new FileOutput(path);
    expect(file.sink.stream).toBeInstanceOf(DirectOut);
    let want = '';
    for (const [i, n] of sizes.entries()) {
      const part = text(n, `p${i}-`);
      want += part;
      if (i % 2 === 0) file.sink.write(part);
      else await file.sink.writeBytes(Buffer.from(part)); // the fast lane's way
    }
    await file.commit();
    expect(readFileSync(path, 'utf8')).toBe(want);
    expect(statSync(path).mode & 0o777).toBe(0o640); // the replaced file's mode
    expect(readdirSync(dir).filter((f) => f.startsWith('.activ-'))).toEqual([]);
  });

  test('abort removes the temporary file and leaves the target as it was', async () => {
    const path = join(dir, 'kept.csv');
    writeFileSync(path, 'kept\n');
    const file = new FileOutput(path);
    file.sink.write(text(200_000, 'x'));
    await file.sink.flush(true);
    await file.abort();
    expect(readFileSync(path, 'utf8')).toBe('kept\n');
    expect(readdirSync(dir).filter((f) => f.startsWith('.activ-'))).toEqual([]);
  });

  test('abort with a write in flight closes the descriptor once: the next -o file, which may get its number, is written whole', async () => {
    // fs streams close their descriptor when destroyed, autoClose: false or not, after the write in
    // flight; closing it in abort() too closed the next file's descriptor (EBADF, then a hang)
    for (let i = 0; i < 20; i++) {
      const first = new FileOutput(join(dir, `abort-${i}.csv`));
      first.sink.write(text(200_000, 'a'));
      await first.sink.flush(true); // past the direct limit: a stream, its write queued
      await first.abort();
      const path = join(dir, `next-${i}.csv`);
      const next = new FileOutput(path);
      const want = text(200_000, `n${i}-`);
      next.sink.write(want);
      await next.commit();
      expect(readFileSync(path, 'utf8')).toBe(want);
    }
    expect(readdirSync(dir).filter((f) => f.startsWith('.activ-'))).toEqual([]);
  });

  test.each([100, 300_000])('through gzip (-o NAME.gz), %d bytes: the stream is handed over before the first byte', async (n) => {
    const path = join(dir, `out-${n}.csv.gz`);
    const file = new FileOutput(path);
    const gz = await gzipOutput(file);
    const want = text(n, 'g');
    gz.sink.write(want);
    await gz.commit();
    expect(gunzipSync(readFileSync(path)).toString('utf8')).toBe(want);
  });
});

test('randomName: 16 characters of [A-Za-z0-9_-], no repeats in 10,000', () => {
  const names = new Set(Array.from({ length: 10_000 }, randomName));
  expect(names.size).toBe(10_000);
  for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_-]{16}$/);
  // every character turns up somewhere (the index into the alphabet covers it)
  expect(new Set([...names].join('')).size).toBe(64);
});
