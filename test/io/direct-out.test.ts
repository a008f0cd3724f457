/**
 * DirectOut (src/io/direct-out.ts): small outputs written to the descriptor with writeSync,
 * the rest through the stream it opens on first need, in order; failures as 'error' events.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { DIRECT_LIMIT, DirectOut, mayBeTerminal } from '../../src/io/direct-out.js';
import { Sink } from '../../src/io/sink.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-direct-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A DirectOut on a fresh file; `opened` says whether (and what) the stream received. */
function onFile(): { out: DirectOut; file: string; streamed: () => string | undefined; close: () => void } {
  const file = join(dir, `out${files++}`);
  const fd = openSync(file, 'w');
  let stream: PassThrough | undefined;
  let text = '';
  const out = new DirectOut({
    fd,
    open: () => {
      stream = new PassThrough();
      stream.on('data', (c) => (text += c));
      return stream;
    },
  });
  return { out, file, streamed: () => (stream ? text : undefined), close: () => closeSync(fd) };
}

test('a small output goes to the descriptor, callbacks after the write, no stream created', async () => {
  const t = onFile();
  const sink = new Sink(t.out, 'stdout');
  sink.write('a,b\n');
  await sink.writeBytes(Buffer.from('1,2\n'));
  sink.write('é\n');
  await sink.finish(false);
  t.close();
  expect(readFileSync(t.file, 'utf8')).toBe('a,b\n1,2\né\n');
  expect(t.streamed()).toBeUndefined();
  expect(t.out.isTTY).toBe(false); // a regular file: no stream needed to tell
  expect(t.streamed()).toBeUndefined();
});

test('past the limit the stream takes the rest, in order', async () => {
  const t = onFile();
  const first = 'x'.repeat(DIRECT_LIMIT - 10) + '\n';
  const rest = 'y'.repeat(100) + '\n';
  await new Promise<void>((resolve) => t.out.write(first, () => resolve()));
  const ok = t.out.write(rest);
  expect(ok).toBe(true);
  t.out.write('z\n');
  await new Promise<void>((resolve) => t.out.end(resolve));
  t.close();
  expect(readFileSync(t.file, 'utf8')).toBe(first);
  expect(t.streamed()).toBe(rest + 'z\n');
});

test('a failing descriptor: the callback and an error event get the errno; then destroyed', async () => {
  const file = join(dir, 'readonly');
  writeFileSync(file, '');
  const fd = openSync(file, 'r'); // writeSync fails: EBADF
  const out = new DirectOut({ fd, open: () => new PassThrough() });
  const events: string[] = [];
  out.on('error', (e: NodeJS.ErrnoException) => events.push(`event ${e.code}`));
  await new Promise<void>((resolve) =>
    out.write('1\n', (e) => {
      events.push(`callback ${(e as NodeJS.ErrnoException).code}`);
      resolve();
    }),
  );
  await new Promise((r) => setImmediate(r));
  closeSync(fd);
  expect(events).toEqual(['callback EBADF', 'event EBADF']);
  expect(out.destroyed).toBe(true);
});

test('a Sink on a failing descriptor reports the failure as activ words it', async () => {
  const file = join(dir, 'readonly2');
  writeFileSync(file, '');
  const fd = openSync(file, 'r');
  const sink = new Sink(new DirectOut({ fd, open: () => new PassThrough() }), 'stdout');
  sink.write('1\n');
  await expect(sink.finish(false)).rejects.toThrow(/^stdout: /);
  closeSync(fd);
});

test('mayBeTerminal: a file or /dev/null is surely not one', () => {
  const fd = openSync(join(dir, 'plain'), 'w');
  expect(mayBeTerminal(fd)).toBe(false);
  closeSync(fd);
  const nul = openSync('/dev/null', 'w');
  expect(mayBeTerminal(nul)).toBe(process.platform !== 'linux');
  closeSync(nul);
});
