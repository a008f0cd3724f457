/**
 * The one copy of the line-end and BOM rules: bytes to text (a UTF-8 byte order mark is dropped)
 * and text to lines, each keeping its ending ('\n', '\r\n', or '' for a last line without one).
 */

/** Strip a UTF-8 byte order mark from the first chunk. */
export async function* decodeUtf8(chunks: AsyncIterable<Buffer>): AsyncIterable<string> {
  const dec = new TextDecoder('utf-8', { ignoreBOM: false });
  for await (const c of chunks) {
    const s = dec.decode(c, { stream: true });
    if (s) yield s;
  }
  const tail = dec.decode();
  if (tail) yield tail;
}

export interface Line {
  text: string;
  eol: string;
  line: number;
}

/**
 * Split decoded text into lines, keeping each line's ending ('\n', '\r\n', or '' at EOF). Linear
 * in the input whatever the line lengths: a chunk without a newline is set aside, not joined, and
 * only the new chunk is searched.
 */
export async function* lines(text: AsyncIterable<string>): AsyncIterable<Line[]> {
  let carry: string[] = [];
  let n = 0;
  for await (const s of text) {
    let q = s.indexOf('\n');
    if (q < 0) {
      carry.push(s);
      continue;
    }
    const batch: Line[] = [];
    let p = 0;
    let head = carry.length ? carry.join('') : '';
    carry = [];
    for (; q >= 0; q = s.indexOf('\n', p)) {
      const line = head ? head + s.slice(p, q) : s.slice(p, q);
      head = '';
      const cr = line.charCodeAt(line.length - 1) === 13;
      batch.push({ text: cr ? line.slice(0, -1) : line, eol: cr ? '\r\n' : '\n', line: ++n });
      p = q + 1;
    }
    if (p < s.length) carry.push(s.slice(p));
    yield batch;
  }
  const last = carry.join('');
  if (last) {
    const cr = last.endsWith('\r');
    yield [{ text: cr ? last.slice(0, -1) : last, eol: cr ? '\r\n' : '', line: ++n }];
  }
}

/**
 * Byte chunks regrouped so that each one but the last holds a newline: a reader that joins its
 * partial last line with the next chunk then joins once per line, not once per chunk (linear time
 * for lines of any length).
 */
export async function* lineChunks(chunks: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
  let pending: Buffer[] = [];
  for await (const c of chunks) {
    if (c.indexOf(10) < 0) {
      pending.push(c);
      continue;
    }
    if (pending.length) {
      pending.push(c);
      yield Buffer.concat(pending);
      pending = [];
    } else yield c;
  }
  if (pending.length) yield Buffer.concat(pending);
}
