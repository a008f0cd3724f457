import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { descrOf, ElementDecoder, encodeInto, parseDescr } from '../../src/io/npy-dtype.js';
import { headerBytes, parseHeader, shapeRepr } from '../../src/io/npy-header.js';
import { memorySource, openNpyFile, openNpyStream } from '../../src/io/npy-source.js';
import { outputDtype } from '../../src/io/npy.js';
import { arrayPath, fortranToC, manifest, NPY_DIR } from './npy-fixtures.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('.npy headers and dtypes against the NumPy-written fixtures', () => {
  test('there are fixtures of every dtype, both orders and ranks 0 to 4', () => {
    const all = Object.values(manifest.arrays);
    const descrs = new Set(all.map((a) => a.descr));
    for (const d of ['<f2', '>f2', '<f4', '>f4', '<f8', '>f8', '|i1', '<i2', '>i8', '|u1', '<u4', '>u8', '|b1']) expect(descrs).toContain(d);
    expect(new Set(all.map((a) => a.shape.length))).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(all.some((a) => a.fortran)).toBe(true);
    expect(new Set(all.map((a) => a.version))).toEqual(new Set(['1.0', '2.0', '3.0']));
  });

  test.each(Object.keys(manifest.arrays))('%s: header parsed, every value decoded exactly', async (name) => {
    const fx = manifest.arrays[name];
    const src = await openNpyFile(arrayPath(name), name);
    try {
      const h = src.header;
      expect(h.shape).toEqual(fx.shape);
      expect(h.fortran).toBe(fx.fortran);
      expect(h.version).toBe(fx.version);
      expect(descrOf(h.dtype)).toBe(fx.descr);
      const got = new Float64Array(h.count);
      new ElementDecoder(h.dtype).decode(await src.next(h.dataBytes), got);
      const c = fx.fortran ? fortranToC(got, fx.shape) : got;
      expect(Array.from(c)).toEqual(fx.values);
    } finally {
      await src.close();
    }
  });

  test.each(Object.keys(manifest.arrays))("%s: the output header is byte for byte np.save's", (name) => {
    const fx = manifest.arrays[name];
    const dtype = outputDtype(parseDescr(fx.descr, name));
    expect(hex(headerBytes(dtype, fx.fortran, fx.shape))).toBe(fx.outHeader);
  });

  test('a version 1.0 file with a float dtype has exactly the header activ would write', () => {
    for (const [name, fx] of Object.entries(manifest.arrays)) {
      if (fx.version !== '1.0' || fx.descr[1] !== 'f') continue;
      const file = readFileSync(arrayPath(name));
      const h = headerBytes(parseDescr(fx.descr, name), fx.fortran, fx.shape);
      expect(hex(file.subarray(0, h.length)), name).toBe(hex(h));
    }
  });

  test('headers too long for 2 bytes of length go to version 2.0, still 64-byte aligned', () => {
    const shape = new Array(30000).fill(1); // "1, " each: more than 65535 bytes
    const h = headerBytes(parseDescr('<f8', 'x'), false, shape);
    expect(h[6]).toBe(2);
    expect(h.length % 64).toBe(0);
    expect(h[h.length - 1]).toBe(0x0a);
    expect(parseHeader(h, 'x').shape).toEqual(shape);
  });

  test('shape reprs are Python tuples', () => {
    expect(shapeRepr([])).toBe('()');
    expect(shapeRepr([3])).toBe('(3,)');
    expect(shapeRepr([2, 3])).toBe('(2, 3)');
  });

  test('headers in any key order, with Python 2 long integers and double quotes, are read', () => {
    const dict = `{"shape": (2L, 3L), 'fortran_order': True, "descr": '>f4'}`;
    const body = dict + ' '.repeat(64 - ((10 + dict.length + 1) % 64)) + '\n';
    const bytes = Buffer.concat([Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, body.length & 0xff, body.length >> 8]), Buffer.from(body, 'latin1')]);
    const h = parseHeader(bytes, 'x');
    expect(h.shape).toEqual([2, 3]);
    expect(h.fortran).toBe(true);
    expect(descrOf(h.dtype)).toBe('>f4');
  });
});

describe('refused files: one line, naming the file and what is wrong', () => {
  test.each(Object.entries(manifest.bad).filter(([f]) => f.endsWith('.npy')))('%s', async (file, words) => {
    const path = join(NPY_DIR, 'bad', file);
    const e = await openNpyFile(path, path).then(
      async (s) => {
        await s.close();
        return undefined;
      },
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(ActivError);
    const err = e as ActivError;
    expect(err.kind).toBe('data');
    expect(err.message).toContain(path);
    expect(err.message).toContain(words);
    expect(err.message).not.toContain('\n');
  });

  test('the same checks on a stream: truncated data is found when it runs out', async () => {
    const bytes = readFileSync(join(NPY_DIR, 'bad', 'truncated.npy'));
    async function* chunks(): AsyncIterable<Buffer> {
      for (let i = 0; i < bytes.length; i += 7) yield bytes.subarray(i, i + 7);
    }
    const { source } = await openNpyStream(chunks(), '<stdin>');
    await expect(source.next(source.header.dataBytes)).rejects.toThrow(/<stdin>: truncated \.npy file: shape \(3, 4\) .* needs 96 bytes of data, the file has 91/);
  });

  test('an in-memory entry (.npz) whose data is short is refused', () => {
    const bytes = readFileSync(join(NPY_DIR, 'bad', 'truncated.npy'));
    expect(() => memorySource(bytes, 'z.npz: x')).toThrow(/z\.npz: x: truncated/);
  });
});

describe('float16 (the rounding is src/numbers/dtype.ts\'s; here: what reaches the bytes)', () => {
  /** The float16 bits encodeInto writes for x. */
  const halfBits = (x: number): number => {
    const out = new Uint8Array(2);
    encodeInto(parseDescr('<f2', 'x'), Float64Array.of(x), out);
    return out[0] | (out[1] << 8);
  };

  const table = (bits: number): number => {
    const d = new Float64Array(1);
    new ElementDecoder(parseDescr('<f2', 'x')).decode(Uint8Array.from([bits & 0xff, bits >> 8]), d);
    return d[0];
  };

  test('every finite half and infinity round-trips through halfBits', () => {
    const all = new Uint16Array(0x10000).map((_, i) => i);
    const values = new Float64Array(0x10000);
    new ElementDecoder(parseDescr('<f2', 'x')).decode(new Uint8Array(all.buffer), values);
    const wrong: number[] = [];
    for (let b = 0; b < 0x10000; b++) {
      if ((b & 0x7c00) === 0x7c00 && (b & 0x3ff) !== 0) continue; // NaN payloads
      if (halfBits(values[b]) !== b) wrong.push(b);
    }
    expect(wrong).toEqual([]);
    expect(table(0x3c00)).toBe(1);
    expect(table(0x0001)).toBe(2 ** -24);
    expect(table(0x7bff)).toBe(65504);
  });

  test('rounding: ties to even, overflow to infinity, subnormals', () => {
    expect(halfBits(1 + 2 ** -11)).toBe(0x3c00); // tie: to the even 1
    expect(halfBits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie: to the even 1 + 2^-9
    expect(halfBits(1 + 2 ** -11 + 2 ** -30)).toBe(0x3c01); // above the tie
    expect(halfBits(65519.99)).toBe(0x7bff); // 65504
    expect(halfBits(65520)).toBe(0x7c00); // the tie above 65504 rounds to infinity
    expect(halfBits(-1e10)).toBe(0xfc00);
    expect(halfBits(2 ** -25)).toBe(0); // half the smallest subnormal: tie to even 0
    expect(halfBits(0.75 * 2 ** -24)).toBe(1);
    expect(halfBits(2 ** -14 - 2 ** -26)).toBe(0x0400); // rounds up into the smallest normal
    expect(halfBits(-0)).toBe(0x8000);
    expect(halfBits(NaN) & 0x7e00).toBe(0x7e00);
  });

  test('the edge values NumPy stored encode to the same bits', () => {
    const fx = manifest.arrays['f2-edges'];
    const file = readFileSync(arrayPath('f2-edges'));
    const data = file.subarray(file.length - fx.values.length * 2);
    const out = new Uint8Array(data.length);
    encodeInto(parseDescr('<f2', 'x'), Float64Array.from(fx.values), out);
    expect(hex(out)).toBe(hex(data));
  });

  test('big-endian float32 output is the byte-swapped little-endian one', () => {
    const v = Float64Array.from([1.1, -2.5, 3e38, 1e-45]);
    const le = new Uint8Array(16);
    const be = new Uint8Array(16);
    encodeInto(parseDescr('<f4', 'x'), v, le);
    encodeInto(parseDescr('>f4', 'x'), v, be);
    for (let i = 0; i < 16; i += 4) expect(Array.from(be.subarray(i, i + 4))).toEqual(Array.from(le.subarray(i, i + 4)).reverse());
  });
});

describe('dtypes refused by their descr', () => {
  test.each([
    ['|O', 'never unpickles'],
    ['<c8', 'not supported'],
    ['<f16', 'not supported'],
    ['<M8[ns]', 'not supported'],
    ['|V8', 'not supported'],
  ])('%s', (descr, words) => {
    expect(() => parseDescr(descr, 'f.npy')).toThrow(words);
  });
  test('int64 beyond 2^53 rounds once to the nearest double', () => {
    const b = Buffer.alloc(16);
    b.writeBigInt64LE(2n ** 62n + 2n ** 9n + 1n, 0);
    b.writeBigUInt64LE(2n ** 64n - 1n, 8);
    const out = new Float64Array(1);
    new ElementDecoder(parseDescr('<i8', 'x')).decode(b.subarray(0, 8), out);
    expect(out[0]).toBe(Number(2n ** 62n + 2n ** 10n));
    new ElementDecoder(parseDescr('<u8', 'x')).decode(b.subarray(8), out);
    expect(out[0]).toBe(2 ** 64);
  });
});
