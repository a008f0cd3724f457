import { describe, expect, test } from 'vitest';
import { Checksum } from '../../src/io/checksum.js';
import { rng } from '../support.js';

const sum = (parts: Uint8Array[]): string => {
  const c = new Checksum();
  for (const p of parts) c.update(p);
  return c.digest();
};

const randomBytes = (r: () => number, n: number): Uint8Array => Uint8Array.from({ length: n }, () => Math.floor(r() * 256));

describe('Checksum', () => {
  test('the same digest however the bytes are chunked or aligned in their buffer', () => {
    const r = rng(7);
    for (let k = 0; k < 500; k++) {
      const bytes = randomBytes(r, Math.floor(r() * 300));
      const shift = Math.floor(r() * 4);
      const moved = new Uint8Array(bytes.length + shift).subarray(shift);
      moved.set(bytes);
      const parts: Uint8Array[] = [];
      for (let p = 0; p < moved.length; ) {
        const q = Math.min(moved.length, p + Math.floor(r() * 40));
        parts.push(moved.subarray(p, q));
        p = q;
      }
      expect(sum(parts)).toBe(sum([bytes]));
    }
  });
  test('a change of one byte, or of the length, changes the digest', () => {
    const r = rng(8);
    for (let k = 0; k < 500; k++) {
      const bytes = randomBytes(r, 1 + Math.floor(r() * 200));
      const other = bytes.slice();
      other[Math.floor(r() * bytes.length)] ^= 1 + Math.floor(r() * 255);
      expect(sum([other])).not.toBe(sum([bytes]));
      expect(sum([bytes.subarray(0, bytes.length - 1)])).not.toBe(sum([bytes]));
    }
  });
});
