// --decimals in the fast lane: one thread and worker threads write what the general formatter does.
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { transformFileParallel } from '../../../src/io/fastlane/parallel.js';
import { TableLane } from '../../../src/io/fastlane/scan.js';
import { lookup } from '../../../src/kernels/registry.js';
import { alongRows } from '../../../src/tensor.js';
import { formatFixed } from '../../../src/numbers/fixed.js';

const WORKER = new URL('../../../dist/io/fastlane/worker.js', import.meta.url); // built by npm test's pretest
const dir = mkdtempSync(join(tmpdir(), 'activ-dec-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DIGITS = { decimals: 3 };

function expected(text: string): string {
  const tanh = lookup('tanh').bind({});
  if (tanh.kind !== 'elementwise') throw new Error('tanh is element-wise');
  return text
    .split('\n')
    .map((line) =>
      line === ''
        ? ''
        : line
            .split(',')
            .map((c) => {
              const v = new Float64Array([Number(c)]);
              tanh.map(v, v, 0, 1);
              return formatFixed(v[0], 3);
            })
            .join(','),
    )
    .join('\n');
}

describe('--decimals in the fast lane', () => {
  const lines: string[] = [];
  for (let i = 0; i < 3000; i++) lines.push(`${(i % 97) * 0.731 - 30},${-i / 1300},0.0005`);
  const text = lines.join('\n') + '\n';

  test('one thread', () => {
    const lane = new TableLane({ sep: 44, select: new Uint8Array(0), rest: 1, step: alongRows(lookup('tanh').bind({}), 'tanh'), precision: DIGITS, crlf: false });
    const buf = new TextEncoder().encode(text);
    lane.run(buf, 0, buf.length, true);
    const out = new TextDecoder().decode(lane.take());
    expect(out).toBe(expected(text));
    expect(out.split('\n')[1]).toBe('-1.000,-0.001,0.000'); // tanh(0.0005) = 0.00049999996: not a tie
  });

  test('values whose fixed form is longer than the 32 bytes a number is given (relu of 1e300)', () => {
    const relu = alongRows(lookup('relu').bind({}), 'relu');
    const row = Array.from({ length: 10 }, (_, i) => `${i + 1}e${290 + i}`).join(',');
    const big = `${row}\n${row}\n`;
    const lane = new TableLane({ sep: 44, select: new Uint8Array(0), rest: 1, step: relu, precision: { decimals: 2 }, crlf: false });
    const buf = new TextEncoder().encode(big);
    lane.run(buf, 0, buf.length, true);
    const want = row
      .split(',')
      .map((c) => formatFixed(Number(c), 2))
      .join(',');
    expect(want.length).toBeGreaterThan(2900); // ~300 bytes a cell, 33 reserved
    expect(new TextDecoder().decode(lane.take())).toBe(`${want}\n${want}\n`);
  });

  test('worker threads over many segments', async () => {
    const path = join(dir, 'x.csv');
    writeFileSync(path, text);
    const parts: Uint8Array[] = [];
    const r = await transformFileParallel(
      { path, start: 0, sep: 44, select: new Uint8Array(0), rest: 1, recipe: { activation: 'tanh', params: {} }, precision: DIGITS, crlf: false, segmentBytes: 4096, workerUrl: WORKER },
      statSync(path).size,
      { write: async (c) => void parts.push(c.slice()) },
    );
    expect(r.lines).toBe(3000);
    expect(Buffer.concat(parts).toString('latin1')).toBe(expected(readFileSync(path, 'latin1')));
  });
});
