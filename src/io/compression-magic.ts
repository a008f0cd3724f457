/**
 * The compression a stream's first bytes announce (gzip, zstd, xz, bzip2), told by magic bytes,
 * not the file name. Apart from compression.ts (which decompresses or refuses, and re-exports
 * this) so that the quick path can step aside for a compressed file without loading zlib's
 * streams.
 */

export type Compression = 'gzip' | 'zstd' | 'xz' | 'bzip2';

/** The most bytes `compressionOf` looks at. */
export const MAGIC_BYTES = 6;

const startsWith = (head: Uint8Array, magic: readonly number[]): boolean => magic.every((b, i) => head[i] === b);

/** The compression a stream's first bytes announce, or undefined for plain data. */
export function compressionOf(head: Uint8Array): Compression | undefined {
  if (startsWith(head, [0x1f, 0x8b])) return 'gzip';
  if (startsWith(head, [0x28, 0xb5, 0x2f, 0xfd])) return 'zstd';
  if (startsWith(head, [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])) return 'xz';
  // "BZh", a block size digit, then a block's or the end-of-stream magic (so text starting "BZh" is text)
  if (startsWith(head, [0x42, 0x5a, 0x68]) && head[3] >= 0x31 && head[3] <= 0x39 && (head[4] === 0x31 || head[4] === 0x17)) return 'bzip2';
  return undefined;
}
