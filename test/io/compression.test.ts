import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { compressionOf, decompressed } from '../../src/io/compression.js';
import { stdinInput, textInput, type Input } from '../../src/io/streams.js';

/** stdin delivering `bytes` in pieces of `step`. */
function pipeInput(bytes: Buffer, step: number): Input {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += step) pieces.push(bytes.subarray(i, i + step));
  return stdinInput(Readable.from(pieces));
}

async function readAll(input: Input): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of input.chunks()) parts.push(c);
  return Buffer.concat(parts).toString('utf8');
}

describe('compressionOf', () => {
  test('magic bytes', () => {
    expect(compressionOf(gzipSync('x'))).toBe('gzip');
    expect(compressionOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x00]))).toBe('zstd');
    expect(compressionOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))).toBe('xz');
    expect(compressionOf(Buffer.from('BZh91AY&SY'))).toBe('bzip2');
  });
  test('text is text, even when it starts like a magic', () => {
    expect(compressionOf(Buffer.from('BZh,x\n1,2\n'))).toBeUndefined();
    expect(compressionOf(Buffer.from('a,b\n'))).toBeUndefined();
    expect(compressionOf(Buffer.from([0x1f]))).toBeUndefined();
    expect(compressionOf(new Uint8Array(0))).toBeUndefined();
  });
});

describe('decompressed', () => {
  test('gzip on a pipe, however the bytes arrive; plain bytes pass unchanged', async () => {
    const text = 'a,b\n' + Array.from({ length: 1000 }, (_, i) => `${i},${-i}`).join('\n') + '\n';
    expect(await readAll(await decompressed(pipeInput(gzipSync('1,2\n3,4\n'), 1)))).toBe('1,2\n3,4\n');
    for (const step of [3, 7, 1 << 16]) {
      expect(await readAll(await decompressed(pipeInput(gzipSync(text), step)))).toBe(text);
      expect(await readAll(await decompressed(pipeInput(Buffer.from(text), step)))).toBe(text);
    }
    // two gzip members one after the other (cat a.gz b.gz) are one stream
    expect(await readAll(await decompressed(pipeInput(Buffer.concat([gzipSync('1\n'), gzipSync('2\n')]), 5)))).toBe('1\n2\n');
  });
  test('inline numbers are left alone; other compressions and bad gzip are data errors', async () => {
    const t = textInput('1 2');
    expect(await decompressed(t)).toBe(t);
    await expect(readAll(await decompressed(pipeInput(Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0]), 2)))).rejects.toMatchObject({
      kind: 'data',
      message: '<stdin>: zstd-compressed data; activ decompresses gzip only: decompress it first (zstd -dc)',
    });
    const cut = gzipSync('1,2\n3,4\n'.repeat(100)).subarray(0, 20);
    await expect(readAll(await decompressed(pipeInput(cut, 4)))).rejects.toMatchObject({ kind: 'data', message: expect.stringMatching(/^<stdin>: bad gzip data: /) });
  });
});
