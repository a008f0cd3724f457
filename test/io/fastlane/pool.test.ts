/**
 * Workers started ahead of need (src/io/fastlane/pool.ts): a pass takes the spare a large file's
 * opening started (and gives it its job by message) instead of starting another. (That a spare
 * never taken does not keep the command from exiting: test/e2e/lanes.e2e.test.ts.)
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { transformFileParallel, type ParallelJob } from '../../../src/io/fastlane/parallel.js';
import { dropSpares, prestart, spareCount } from '../../../src/io/fastlane/pool.js';
import { TableLane } from '../../../src/io/fastlane/scan.js';
import { lookup } from '../../../src/kernels/registry.js';
import { alongRows } from '../../../src/tensor.js';

// The built worker (`npm test` builds first).
const WORKER = new URL('../../../dist/io/fastlane/worker.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'activ-pool-'));
afterAll(async () => {
  await dropSpares();
  rmSync(dir, { recursive: true, force: true });
});

const sigmoidLane = () => ({ sep: 44, select: new Uint8Array(0), rest: 1 as const, step: alongRows(lookup('sigmoid').bind({}), 'sigmoid'), crlf: false });

describe('spare workers', () => {
  test('a pass takes the spare started for it, which gets its job by message, and gives the one-thread bytes', async () => {
    const path = join(dir, 'spare.csv');
    writeFileSync(path, Array.from({ length: 4000 }, (_, i) => `${i / 7 - 200},${-i / 3}`).join('\n') + '\n');
    prestart(WORKER, 1);
    expect(spareCount(WORKER)).toBe(1);
    // let it load before it is taken, as when the main thread reads the head meanwhile
    await new Promise((r) => setTimeout(r, 300));
    const job: ParallelJob = { path, start: 0, sep: 44, select: new Uint8Array(0), rest: 1, recipe: { activation: 'sigmoid', params: {} }, crlf: false, segmentBytes: 4096, workerUrl: WORKER };
    const parts: Uint8Array[] = [];
    const r = await transformFileParallel(job, statSync(path).size, { write: async (c) => void parts.push(c.slice()) });
    expect(spareCount(WORKER)).toBe(0);
    const lane = new TableLane(sigmoidLane());
    const text = readFileSync(path);
    lane.run(text, 0, text.length, true);
    expect(r.lines).toBe(4000);
    expect(Buffer.concat(parts).equals(Buffer.from(lane.take()))).toBe(true);
  });

  test('prestart tops up to the count asked, not beyond', async () => {
    prestart(WORKER, 2);
    prestart(WORKER, 1);
    expect(spareCount(WORKER)).toBe(2);
    await dropSpares();
    expect(spareCount(WORKER)).toBe(0);
  });
});
