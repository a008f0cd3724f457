import { PassThrough, Writable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { lines } from '../../src/io/lines.js';
import { PipeClosed, Sink } from '../../src/io/sink.js';

async function* strings(...parts: string[]): AsyncIterable<string> {
  for (const p of parts) yield p;
}

async function collect<T>(it: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

describe('lines', () => {
  test('keeps each line ending, across chunk boundaries', async () => {
    const ls = await collect(lines(strings('a\r', '\nb\n', 'c')));
    expect(ls).toEqual([
      { text: 'a', eol: '\r\n', line: 1 },
      { text: 'b', eol: '\n', line: 2 },
      { text: 'c', eol: '', line: 3 },
    ]);
  });
  test('empty lines are lines', async () => {
    expect((await collect(lines(strings('\n\n')))).map((l) => l.text)).toEqual(['', '']);
  });
});

describe('Sink', () => {
  test('batches writes and waits for drain', async () => {
    const got: string[] = [];
    let pending = 0;
    const slow = new Writable({
      highWaterMark: 16,
      write(chunk, _enc, cb) {
        pending++;
        got.push(String(chunk));
        setTimeout(() => {
          pending--;
          cb();
        }, 1);
      },
    });
    const sink = new Sink(slow, 'out', 8);
    for (let i = 0; i < 50; i++) {
      sink.write(`line ${i}\n`);
      await sink.flush();
    }
    await sink.finish(true);
    expect(pending).toBe(0);
    expect(got.join('')).toBe(Array.from({ length: 50 }, (_, i) => `line ${i}\n`).join(''));
  });
  test('writeBytes: a stream destroyed with a write in flight (gzip after its file failed) rejects, never hangs', async () => {
    const { createGzip } = await import('node:zlib');
    const z = createGzip();
    const file = new Writable({ write: (_c, _e, cb) => setTimeout(() => cb(Object.assign(new Error('EFBIG: file too large, write'), { code: 'EFBIG' })), 2) });
    z.pipe(file);
    file.once('error', (e) => z.destroy(e));
    const sink = new Sink(z, 'out.gz');
    const big = new Uint8Array(4 << 20).map((_, i) => (i * 2654435761) >>> 24); // incompressible enough to reach the file
    let outcome: unknown = 'pending';
    const run = (async () => {
      for (let i = 0; i < 20; i++) await sink.writeBytes(big);
    })().then(() => (outcome = 'resolved'), (e: Error) => (outcome = e.message));
    await Promise.race([run, new Promise((r) => setTimeout(r, 5_000))]);
    expect(outcome).toBe('out.gz: file too large (over the file size limit, ulimit -f)');
  });
  test('a closed pipe rejects with PipeClosed', async () => {
    const p = new PassThrough();
    const sink = new Sink(p, 'out', 1);
    const err = Object.assign(new Error('EPIPE'), { code: 'EPIPE' });
    p.destroy(err);
    await new Promise((r) => setImmediate(r));
    sink.write('x');
    await expect(sink.flush()).rejects.toBeInstanceOf(PipeClosed);
  });
});
