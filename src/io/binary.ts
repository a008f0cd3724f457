/**
 * Text formats refuse what is not text, in one line that says what it looks like and what to do,
 * before any output: UTF-16 (by its byte order mark), a NUL byte in the first block, a zip
 * archive (an .npz among them), or a NumPy .npy file read as text. Compressed inputs are told
 * apart earlier (compression.ts): gzip is decompressed, the others are refused there.
 */
import { ActivError } from '../errors.js';
import type { Input } from './input.js';

/** What the first bytes look like when they are not text, or undefined. */
export function binaryKind(head: Uint8Array): string | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return 'UTF-16 (little-endian) text; convert it with iconv -f UTF-16 -t UTF-8';
  if (head[0] === 0xfe && head[1] === 0xff) return 'UTF-16 (big-endian) text; convert it with iconv -f UTF-16 -t UTF-8';
  if (head[0] === 0x93 && head[1] === 0x4e && head[2] === 0x55 && head[3] === 0x4d && head[4] === 0x50 && head[5] === 0x59) {
    return 'a NumPy .npy file; read it with --from npy';
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'a zip archive; an .npz is read with --from npz, others need unzip first';
  const nul = head.indexOf(0);
  if (nul >= 0) return `binary data (a NUL byte at offset ${nul}), not text`;
  return undefined;
}

/** The input with its first chunk checked each time it is read. */
export function textOnly(input: Input): Input {
  return { ...input, chunks: () => checkedText(input.chunks(), input.display) };
}

/** Chunks whose first is checked for binary content. */
export async function* checkedText<T extends Uint8Array>(chunks: AsyncIterable<T>, display: string): AsyncIterable<T> {
  let first = true;
  for await (const c of chunks) {
    if (first) {
      first = false;
      const kind = binaryKind(c);
      if (kind) throw new ActivError(`${display}: this looks like ${kind}`, 'data');
    }
    yield c;
  }
}
