/**
 * The one copy of the line-end and BOM rules: bytes to text (a UTF-8 byte order mark is dropped)
 * and text to lines, each keeping its ending ('\n', '\r\n', or '' for a last line without one).
 */

/** 3 when bytes[at..] starts with a UTF-8 byte order mark (the bytes every reader drops), else 0. */
export function bomLength(bytes: Uint8Array, at = 0): number {
  return bytes.length - at >= 3 && bytes[at] === 0xef && bytes[at + 1] === 0xbb && bytes[at + 2] === 0xbf ? 3 : 0;
}

/**
 * Whether a CR not followed by LF ends a line somewhere (a CR last in the bytes waits for what
 * follows, or counts as CRLF at the end): csv-parse and lines() read such line ends, the byte
 * lanes leave them to those readers.
 */
export function hasLoneCr(buf: Uint8Array): boolean {
  for (let i = buf.indexOf(13); i >= 0; i = buf.indexOf(13, i + 1)) if (i + 1 < buf.length && buf[i + 1] !== 10) return true;
  return false;
}

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
 * Split decoded text into lines, keeping each line's ending ('\n', '\r\n', a lone '\r', or '' at
 * EOF). A CR last in a chunk may be the first half of a CRLF: it waits for the next chunk; a CR
 * alone at the very end is CRLF, as the byte lane reads it, unless the lines end in lone CRs.
 * Linear in the input whatever the line lengths: a chunk without a line end is set aside, not
 * joined, and only the new chunk is searched.
 */
export async function* lines(text: AsyncIterable<string>): AsyncIterable<Line[]> {
  let carry: string[] = [];
  let heldCr = false; // the line in `carry` was followed by a CR last in its chunk
  let lastEol: string | undefined;
  let n = 0;
  const take = (rest: string): string => {
    const t = carry.length ? carry.join('') + rest : rest;
    carry = [];
    return t;
  };
  for await (const s of text) {
    const batch: Line[] = [];
    let p = 0;
    if (heldCr) {
      heldCr = false;
      const eol = s.charCodeAt(0) === 10 ? '\r\n' : '\r';
      batch.push({ text: take(''), eol, line: ++n });
      lastEol = eol;
      p = eol.length - 1;
    }
    // each found once per chunk and searched again only when passed: linear time
    let lf = s.indexOf('\n', p);
    let cr = s.indexOf('\r', p);
    for (;;) {
      if (lf >= 0 && lf < p) lf = s.indexOf('\n', p);
      if (cr >= 0 && cr < p) cr = s.indexOf('\r', p);
      const q = cr < 0 ? lf : lf < 0 ? cr : Math.min(cr, lf);
      if (q < 0) break;
      if (q === cr && q + 1 === s.length) {
        if (q > p) carry.push(s.slice(p, q));
        heldCr = true;
        p = s.length;
        break;
      }
      const eol = q === lf ? '\n' : s.charCodeAt(q + 1) === 10 ? '\r\n' : '\r';
      batch.push({ text: take(s.slice(p, q)), eol, line: ++n });
      lastEol = eol;
      p = q + eol.length;
    }
    if (p < s.length) carry.push(s.slice(p));
    if (batch.length) yield batch;
  }
  if (heldCr) yield [{ text: take(''), eol: lastEol === '\r' ? '\r' : '\r\n', line: ++n }];
  else if (carry.length) yield [{ text: take(''), eol: '', line: ++n }];
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
