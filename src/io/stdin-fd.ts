/**
 * This process's standard input as chunks, without creating process.stdin when fd 0 is a small
 * regular file (`activ relu < small.csv`): process.stdin is a stream whose creation loads Node's
 * stream modules (issue 11: start-up). Up to SMALL bytes are read with readSync from the
 * descriptor's current offset (a script may have read part of the file already); a longer file,
 * a pipe or a terminal continue through process.stdin, which reads on from where this stopped.
 * What Node's process.stdin would take for an empty stream without reading it (a directory, a
 * block device: handle type UNKNOWN) is read here to its end, so `activ relu < dir` fails with
 * "is a directory" instead of printing nothing and exiting 0.
 */
import { fstatSync, readSync, type Stats } from 'node:fs';

const SMALL = 1 << 16;

/** fd 0's bytes, read directly while they are few, then through process.stdin. */
export async function* processStdinChunks(fd = 0): AsyncGenerator<Buffer> {
  const st = statusOf(fd);
  if (st && !(st.isFile() || st.isCharacterDevice() || st.isFIFO() || st.isSocket())) {
    // Node would hand this over as an empty stream, unread (libuv: handle type UNKNOWN)
    yield* readToEnd(fd);
    return;
  }
  const head = st?.isFile() ? smallFileHead(fd) : undefined;
  if (head) {
    if (head.bytes.length > 0) yield head.bytes;
    if (head.ended) return;
  }
  for await (const c of process.stdin) yield c as Buffer;
}

/** Up to SMALL + 1 bytes of a regular file (and whether that was all). */
function smallFileHead(fd: number): { bytes: Buffer; ended: boolean } {
  const buf = Buffer.allocUnsafe(SMALL + 1);
  let n = 0;
  for (;;) {
    const k = readSync(fd, buf, n, buf.length - n, null);
    if (k === 0) return { bytes: buf.subarray(0, n), ended: true };
    n += k;
    if (n === buf.length) return { bytes: buf, ended: false };
  }
}

/** fd's status, or undefined when it cannot be had (process.stdin then says why). */
function statusOf(fd: number): Stats | undefined {
  try {
    return fstatSync(fd);
  } catch {
    return undefined;
  }
}

/** fd's bytes from its current offset to its end, read directly (a directory throws EISDIR). */
function* readToEnd(fd: number): Generator<Buffer> {
  for (;;) {
    const buf = Buffer.allocUnsafe(SMALL);
    const k = readSync(fd, buf, 0, buf.length, null);
    if (k === 0) return;
    yield buf.subarray(0, k);
  }
}
