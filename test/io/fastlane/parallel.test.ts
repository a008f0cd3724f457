import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { transformFileParallel, type ParallelJob } from '../../../src/io/fastlane/parallel.js';
import { TableLane } from '../../../src/io/fastlane/scan.js';
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

function single(path: string, text: string): string {
  const lane = new TableLane({ sep: 44, select: new Uint8Array(0), rest: 1, step: alongRows(lookup('tanh').bind({}), 'tanh'), crlf: false });
  const buf = new TextEncoder().encode(text);
  lane.run(buf, 0, buf.length, true);
  return new TextDecoder().decode(lane.take());
}

async function parallel(path: string): Promise<{ out: string; stoppedAt: number; lines: number }> {
  const job: ParallelJob = { path, start: 0, sep: 44, select: new Uint8Array(0), rest: 1, recipe: { activation: 'tanh', params: {} }, crlf: false, segmentBytes: 4096, workerUrl: WORKER };
  const parts: Uint8Array[] = [];
  const r = await transformFileParallel(job, statSync(path).size, async (c) => {
    parts.push(c.slice());
  });
  return { out: Buffer.concat(parts).toString('latin1'), ...r };
}

describe('transformFileParallel', () => {
  test('gives the single-thread bytes in order over many segments', async () => {
    const path = makeFile('ok.csv', 3000);
    const text = (await import('node:fs')).readFileSync(path, 'latin1');
    const r = await parallel(path);
    expect(r.lines).toBe(3000);
    expect(r.stoppedAt).toBe(statSync(path).size);
    expect(r.out).toBe(single(path, text));
  });

  test('stops at the first line a worker cannot take, with everything before it written', async () => {
    const path = makeFile('bad.csv', 3000, 2000);
    const text = (await import('node:fs')).readFileSync(path, 'latin1');
    const badAt = text.indexOf('1,oops,3');
    const r = await parallel(path);
    expect(r.stoppedAt).toBe(badAt);
    expect(r.lines).toBe(2000);
    expect(r.out).toBe(single(path, text.slice(0, badAt)));
  });
});
