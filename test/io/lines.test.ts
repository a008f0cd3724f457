import { describe, expect, test } from 'vitest';
import { lineChunks, lines } from '../../src/io/lines.js';
import { rng } from '../support.js';

async function* from<T>(parts: T[]): AsyncIterable<T> {
  for (const p of parts) yield p;
}

async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** `s` cut at random places (seeded). */
function randomCuts(s: string, r: () => number): string[] {
  const parts: string[] = [];
  let p = 0;
  while (p < s.length) {
    const q = Math.min(s.length, p + 1 + Math.floor(r() * 12));
    parts.push(s.slice(p, q));
    p = q;
  }
  return parts;
}

describe('lines: the same lines however the text is cut', () => {
  test('random texts of a, b, CR, LF and commas, cut at random', async () => {
    const r = rng(9);
    for (let k = 0; k < 300; k++) {
      const s = Array.from({ length: Math.floor(r() * 60) }, () => 'ab\r\n,'[Math.floor(r() * 5)]).join('');
      const whole = (await all(lines(from([s])))).flat();
      const parts = (await all(lines(from(randomCuts(s, r))))).flat();
      expect(parts).toEqual(whole);
      const joined = whole.map((l) => l.text + l.eol).join('');
      // a CR alone at the very end reads as CRLF unless the lines end in lone CRs
      expect(joined === s || (s.endsWith('\r') && joined === s + '\n')).toBe(true);
    }
  });
  test('a line of many chunks is one line, in time linear in its length', async () => {
    const chunk = 'x'.repeat(1 << 16);
    const parts = Array.from({ length: 256 }, () => chunk); // 16 MiB without a newline
    const t = performance.now();
    const got = (await all(lines(from([...parts, '\n', 'y'])))).flat();
    expect(performance.now() - t).toBeLessThan(10_000); // joining the carry per chunk took minutes
    expect(got.map((l) => [l.text.length, l.eol])).toEqual([
      [1 << 24, '\n'],
      [1, ''],
    ]);
  });
});

describe('lineChunks', () => {
  test('every chunk but the last holds a newline, and the bytes are unchanged', async () => {
    const r = rng(4);
    for (let k = 0; k < 300; k++) {
      const chunks = Array.from({ length: Math.floor(r() * 8) }, () =>
        Buffer.from(Array.from({ length: Math.floor(r() * 20) }, () => (r() < 0.1 ? 10 : 97))),
      );
      const out = await all(lineChunks(from(chunks)));
      expect(Buffer.concat(out)).toEqual(Buffer.concat(chunks));
      out.slice(0, -1).forEach((c) => expect(c.includes(10)).toBe(true));
    }
  });
});
