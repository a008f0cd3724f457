/** Byte helpers the lanes and the input layer share: growing a buffer, putting read bytes back in front of a stream, text of a range. */

/** buf itself when `need` more bytes fit after `used`, else a copy of its first `used` bytes with room to spare (at least double). */
export function withRoom(buf: Uint8Array<ArrayBuffer>, used: number, need: number): Uint8Array<ArrayBuffer> {
  if (used + need <= buf.length) return buf;
  const b = new Uint8Array(Math.max(buf.length * 2, used + need));
  b.set(buf.subarray(0, used));
  return b;
}

/** `head` (when not empty), then whatever `tail` still yields: bytes read ahead, given back to a stream. */
export async function* prepend(head: Uint8Array, tail: AsyncIterator<Uint8Array> | undefined): AsyncIterable<Buffer> {
  if (head.length) yield Buffer.from(head.buffer, head.byteOffset, head.length);
  if (!tail) return;
  for (let r = await tail.next(); !r.done; r = await tail.next()) yield Buffer.from(r.value.buffer, r.value.byteOffset, r.value.length);
}

/** A read already under way (a lane waited on it with a timer) and the rest of the iterator, as one iterator. */
export function resume<T>(pending: Promise<IteratorResult<T>> | undefined, it: AsyncIterator<T>): AsyncIterator<T> {
  let first = pending;
  return {
    next: () => {
      const p = first ?? it.next();
      first = undefined;
      return p;
    },
    return: () => it.return?.() ?? Promise.resolve({ done: true, value: undefined }),
  };
}

/**
 * Read a one-shot stream's first chunks until `enough(bytes so far)` or its end; `rest` yields
 * them again and then the rest of the stream, so the head is read once and nothing is lost.
 */
export async function readHead(chunks: AsyncIterable<Buffer>, enough: (head: Buffer) => boolean): Promise<{ head: Buffer; rest: AsyncIterable<Buffer> }> {
  const it = chunks[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let done = false;
  for (;;) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    if (enough(Buffer.concat(got))) break;
  }
  const head = Buffer.concat(got);
  return { head, rest: prepend(head, done ? undefined : it) };
}

/**
 * The UTF-8 text of bytes[s, e), decoded in place: `Buffer.from(bytes.subarray(s, e))` would copy
 * the bytes into a new buffer first (the records reader did that for every key and member).
 */
export function utf8Text(bytes: Uint8Array, s: number, e: number): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset + s, e - s).toString('utf8');
}
