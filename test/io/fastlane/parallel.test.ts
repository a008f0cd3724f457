import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { onBothByteLanes } from './lanes.js';
import { cut, transformFileParallel, type ParallelJob } from '../../../src/io/fastlane/parallel.js';
import { TableLane, type TableLaneOptions } from '../../../src/io/fastlane/scan.js';
import { lookup } from '../../../src/kernels/registry.js';
import { alongRows } from '../../../src/tensor.js';

// Workers load the built worker (dist/io/fastlane/worker.js): `npm test` builds first.
const WORKER = new URL('../../../dist/io/fastlane/worker.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'activ-par-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function makeFile(name: string, rows: number, bad?: number): string {
  const lines: string[] = [];
  for (let i = 0; i < rows; i++) {
    lines.push(i === bad ? '1,oops,3' : `${(i % 97) * 0.731 - 30},${-i / 13},${i}`);
  }
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const tanhLane = (): TableLaneOptions => ({ sep: 44, select: new Uint8Array(0), rest: 1, step: alongRows(lookup('tanh').bind({}), 'tanh'), crlf: false });

function single(path: string, text: string): string {
  const lane = new TableLane(tanhLane());
  const buf = new TextEncoder().encode(text);
  lane.run(buf, 0, buf.length, true);
  return new TextDecoder().decode(lane.take());
}

/** Over worker threads only, or (`here`) with the main thread transforming segments too. */
async function parallel(path: string, here = false): Promise<{ out: string; stoppedAt: number; lines: number }> {
  const job: ParallelJob = { path, start: 0, sep: 44, select: new Uint8Array(0), rest: 1, recipe: { activation: 'tanh', params: {} }, crlf: false, segmentBytes: 4096, workerUrl: WORKER };
  const parts: Uint8Array[] = [];
  const write = async (c: Uint8Array): Promise<void> => {
    parts.push(c.slice());
  };
  const r = await transformFileParallel(job, statSync(path).size, { write, here: here ? tanhLane() : undefined });
  return { out: Buffer.concat(parts).toString('latin1'), ...r };
}

onBothByteLanes(() => {
  describe.each([
    ['worker threads', false],
    ['worker threads and the main thread', true],
  ])('transformFileParallel over %s', (_name, here) => {
    test('gives the single-thread bytes in order over many segments', async () => {
      const path = makeFile('ok.csv', 3000);
      const text = (await import('node:fs')).readFileSync(path, 'latin1');
      const r = await parallel(path, here);
      expect(r.lines).toBe(3000);
      expect(r.stoppedAt).toBe(statSync(path).size);
      expect(r.out).toBe(single(path, text));
    });

    test('stops at the first line a worker cannot take, with everything before it written', async () => {
      for (const bad of [2000, 5, 2999]) {
        const path = makeFile(`bad${bad}.csv`, 3000, bad);
        const text = (await import('node:fs')).readFileSync(path, 'latin1');
        const badAt = text.indexOf('1,oops,3');
        const r = await parallel(path, here);
        expect(r.stoppedAt).toBe(badAt);
        expect(r.lines).toBe(bad);
        expect(r.out).toBe(single(path, text.slice(0, badAt)));
      }
    });
  });
});

describe('cut: segment boundaries', () => {
  /** The rule, from the text: after the first LF at or past the last cut + segment bytes. */
  function expected(text: Buffer, start: number, segment: number): number[] {
    const bounds = [start];
    for (let at = start + segment; at < text.length; ) {
      const nl = text.indexOf(10, at);
      if (nl < 0) break;
      bounds.push(nl + 1);
      at = nl + 1 + segment;
    }
    if (bounds[bounds.length - 1] !== text.length) bounds.push(text.length);
    return bounds;
  }
  test('at line starts, across lines far longer than the probe, with and without a last LF', () => {
    const r = (n: number): string => 'x'.repeat(n);
    // short lines, a line of 300 KB (the probe grows from 4 KiB), lines ending exactly at a probe's end
    const lines = [r(10), r(300_000), r(4095), r(4096), r(20), ...Array.from({ length: 500 }, (_, i) => r(1 + ((i * 7919) % 3000)))];
    for (const lastLf of [true, false]) {
      const text = Buffer.from(lines.join('\n') + (lastLf ? '\n' : ''));
      const path = join(dir, `cut-${lastLf}.txt`);
      writeFileSync(path, text);
      const fd = openSync(path, 'r');
      try {
        for (const [start, segment] of [[0, 4096], [11, 1000], [0, 1 << 16], [0, 1 << 20], [5, 1]]) {
          expect(cut(fd, { start, size: text.length }, segment)).toEqual(expected(text, start, segment));
        }
      } finally {
        closeSync(fd);
      }
    }
  });
});
