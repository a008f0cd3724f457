/**
 * spill(): stdin copied to an unlinked temporary file for the passes that read it again. A read
 * that fails part way must close the descriptor exactly once: a second close (a write stream's
 * destroy, then cleanup) raised an uncaught EBADF, or closed whatever had reused the number.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { spill, type Input } from '../../src/io/input.js';

function streamOf(chunks: () => AsyncIterable<Buffer>): Input {
  return { path: '-', display: '(stdin)', rereadable: false, chunks } as unknown as Input;
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

describe('spill', () => {
  test('keeps every byte and reads back from the start', async () => {
    const { input, cleanup } = await spill(streamOf(async function* () {
      yield Buffer.from('1,2\n');
      yield Buffer.from('3,4\n');
    }));
    let text = '';
    for await (const c of input.chunks()) text += c.toString();
    await cleanup();
    expect(text).toBe('1,2\n3,4\n');
  });

  test('a read that fails part way: its error, the descriptor closed once, nothing uncaught', async () => {
    const uncaught: unknown[] = [];
    const note = (e: unknown): void => void uncaught.push(e);
    process.on('uncaughtException', note);
    const before = openFds();
    try {
      for (let i = 0; i < 20; i++) {
        await expect(spill(streamOf(async function* () {
          yield Buffer.alloc(1 << 17, 49);
          throw new ActivError('(stdin): binary data', 'data');
        }))).rejects.toThrow('(stdin): binary data');
      }
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      process.off('uncaughtException', note);
    }
    expect(uncaught).toEqual([]);
    expect(openFds()).toBe(before);
  });
});
