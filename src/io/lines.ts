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

/** Split decoded text into lines, keeping each line's ending ('\n', '\r\n', or '' at EOF). */
export async function* lines(text: AsyncIterable<string>): AsyncIterable<Line[]> {
  let carry = '';
  let n = 0;
  for await (const s of text) {
    const buf = carry + s;
    const batch: Line[] = [];
    let p = 0;
    for (;;) {
      const q = buf.indexOf('\n', p);
      if (q < 0) break;
      const cr = q > p && buf.charCodeAt(q - 1) === 13;
      batch.push({ text: buf.slice(p, cr ? q - 1 : q), eol: cr ? '\r\n' : '\n', line: ++n });
      p = q + 1;
    }
    carry = buf.slice(p);
    if (batch.length) yield batch;
  }
  if (carry) {
    const cr = carry.endsWith('\r');
    yield [{ text: cr ? carry.slice(0, -1) : carry, eol: cr ? '\r\n' : '', line: ++n }];
  }
}
