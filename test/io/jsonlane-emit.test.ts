import { describe, expect, test } from 'vitest';
import { Emitter } from '../../src/io/jsonlane/emit.js';

const style = { nonfinite: 'null' as const, onNonfinite: () => undefined };

describe('Emitter', () => {
  test('holds no buffer until it is used (one is made per object line the general NDJSON reader copies)', () => {
    const e = new Emitter(style);
    expect([e.pend.length, e.vals.length, e.out.length]).toEqual([0, 0, 0]);
    e.flush(0);
    expect(Buffer.from(e.take()).toString()).toBe('');
  });

  test('grows from empty through every buffer: the same text as written naively, in several flushes', () => {
    const e = new Emitter(style);
    const want: string[] = [];
    let text = '';
    for (let i = 0; i < 50_000; i++) {
      const x = i % 7 === 0 ? NaN : (i - 25_000) / 3;
      e.byte(i === 0 ? 91 : 44);
      want.push((i === 0 ? '[' : ',') + (Number.isNaN(x) ? 'null' : String(x)));
      e.value(x);
      if (i % 9_999 === 0) {
        e.flush(e.nVals);
        text += Buffer.from(e.take()).toString();
      }
    }
    const tail = Buffer.from('"a long structure run that is longer than the first buffer"'.repeat(40));
    e.bytes(tail, 0, tail.length);
    e.byte(93);
    e.flush(e.nVals);
    text += Buffer.from(e.take()).toString();
    expect(text).toBe(want.join('') + tail.toString() + ']');
  });
});
