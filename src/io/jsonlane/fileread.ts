/**
 * A regular file's bytes through one reused buffer with positioned reads: no allocation per
 * chunk (a stream's 64 KiB Buffers cost the lane a tenth of its time in garbage collection).
 * Each chunk is valid until the next is asked for; the lane copies it at once.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { Checksum } from '../checksum.js';
import type { PassGuard } from '../passes.js';

const READ = 1 << 20;

/**
 * The file's chunks, or undefined when it is not a regular file that opens (the caller's reader
 * reports why). Under a guard, the pass is one of the input's several passes: the same file as the
 * others and, read to the end, the same bytes. A single pass goes without one (a file that grows
 * while it is read once, like a log, is fine).
 */
export function fileChunks(path: string, guard?: PassGuard): AsyncIterable<Uint8Array> | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  const st = fstatSync(fd, { bigint: true });
  if (!st.isFile()) {
    closeSync(fd);
    return undefined;
  }
  return (async function* () {
    const buf = new Uint8Array(READ);
    let pos = 0;
    try {
      // a pass under the input's guard: the same file as the other passes, and, read to the end, the same bytes
      guard?.begin(st);
      const sum = guard && new Checksum();
      for (;;) {
        const n = readSync(fd, buf, 0, READ, pos);
        if (n === 0) break;
        sum?.update(buf.subarray(0, n));
        pos += n;
        yield buf.subarray(0, n);
      }
      guard?.end(0, sum);
    } finally {
      closeSync(fd);
    }
  })();
}
