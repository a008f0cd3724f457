/**
 * The NDJSON lane on worker threads (src/io/jsonlane/ndjson-file.ts) against the same lane on one
 * thread, on generated NDJSON cut into many small segments: the same output bytes, the same
 * counts (lines, data lines, widths, non-finite values), and the same place and bytes where the
 * general reader takes over, whatever line the lane does not take and wherever it falls. What
 * comes after the hand-over is the general reader's on either path, so its errors say the same.
 */
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { fileChunks } from '../../src/io/jsonlane/fileread.js';
import { runNdjsonFile } from '../../src/io/jsonlane/ndjson-file.js';
import type { NdjsonPlan } from '../../src/io/jsonlane/ndjson.js';
import { runNdjsonLane, type NdjsonLaneResult } from '../../src/io/jsonlane/run.js';
import { lookup } from '../../src/kernels/registry.js';
import { valueStep } from '../../src/tensor.js';

// The threads running on the machine as ndjson-file.ts reads them from /proc/loadavg (ours
// among them): 1, idle, unless a test says otherwise.
const machine = vi.hoisted(() => ({ running: 1 }));
vi.mock('node:fs', async (actual) => {
  const fs = await actual<typeof import('node:fs')>();
  const readFileSync = ((path: unknown, ...rest: unknown[]) =>
    path === '/proc/loadavg' ? `0.00 0.00 0.00 ${machine.running}/100 1234\n` : (fs.readFileSync as (...a: unknown[]) => unknown)(path, ...rest)) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});

// Workers load the built worker: `npm test` builds first.
const WORKER = new URL('../../dist/io/jsonlane/ndjson-worker.js', import.meta.url);
const dir = mkdtempSync(join(tmpdir(), 'activ-ndjson-threads-'));
const threadsBefore = process.env.ACTIV_THREADS;
beforeAll(() => {
  process.env.ACTIV_THREADS = '3';
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  if (threadsBefore === undefined) delete process.env.ACTIV_THREADS;
  else process.env.ACTIV_THREADS = threadsBefore;
});

interface Outcome extends Omit<NdjsonLaneResult, 'rest'> {
  out: string;
  rest?: string;
  nonfinite: number;
}

async function text(chunks: AsyncIterable<Uint8Array> | undefined): Promise<string | undefined> {
  if (!chunks) return undefined;
  const parts: Uint8Array[] = [];
  for await (const c of chunks) parts.push(c.slice());
  return Buffer.concat(parts).toString('latin1');
}

function planOf(name: string, counter: { n: number }): NdjsonPlan {
  return { step: valueStep(lookup(name).bind({})), nonfinite: 'null', onNonfinite: () => void counter.n++ };
}

async function collect(run: (plan: NdjsonPlan, write: (b: Uint8Array) => Promise<void>) => Promise<NdjsonLaneResult | undefined>, name: string): Promise<Outcome | undefined> {
  const counter = { n: 0 };
  const parts: Uint8Array[] = [];
  const r = await run(planOf(name, counter), async (b) => void parts.push(b.slice()));
  if (!r) return undefined;
  const { rest, ...counts } = r;
  return { ...counts, out: Buffer.concat(parts).toString('latin1'), rest: await text(rest), nonfinite: counter.n };
}

function oneThread(path: string, name: string): Promise<Outcome | undefined> {
  return collect((plan, write) => runNdjsonLane(fileChunks(path)!, plan, write), name);
}

function threaded(path: string, name: string, segmentBytes: number): Promise<Outcome | undefined> {
  return collect((plan, write) => runNdjsonFile({ path, display: path, plan, recipe: { activation: name, params: {} }, minBytes: 0, segmentBytes, workerUrl: WORKER }, write), name);
}

// Number spellings the lane reads (and a few that overflow to infinity: exponential writes null).
const number = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -800, max: 800 }).map(String),
  fc.constantFrom('-0', '0.5', '1e2', '-2.5E-3', '1E+1', '710', '1e400', '-0.0'),
);
const space = fc.constantFrom('', ' ', '\t', '  ');
const array = fc.tuple(fc.array(number, { maxLength: 6 }), space, space).map(([xs, a, b]) => `${a}[${b}${xs.join(`${b},${a}`)}${a}]${b}`);
const taken = fc.oneof({ weight: 6, arbitrary: array }, { weight: 2, arbitrary: number }, { weight: 1, arbitrary: fc.constant('') });
// Lines the lane leaves to the general reader: records, strings, CRs, blanks, bad JSON.
const odd = fc.constantFrom('{"a":1}', '"x"', '[1,"a"]', '1 2', '[1,2', 'nul', '[1]\r', '   ', '[[1]]', 'true', '[1,]', '01', '.5', '\u00e9');

const file = fc
  .record({
    lines: fc.array(taken, { minLength: 1, maxLength: 60 }),
    odd: fc.option(fc.tuple(fc.nat(), odd), { nil: undefined }),
    lastLf: fc.boolean(),
  })
  .map(({ lines, odd, lastLf }) => {
    const all = lines.slice();
    if (odd) all.splice(odd[0] % (all.length + 1), 0, odd[1]);
    return all.join('\n') + (lastLf ? '\n' : '');
  });

describe('the NDJSON lane on threads against one thread', { timeout: 120_000 }, () => {
  test.each(['sigmoid', 'softmax', 'exponential'])('%s: the same bytes, counts and hand-over', async (name) => {
    let threads = 0;
    let handOvers = 0;
    let k = 0;
    await fc.assert(
      fc.asyncProperty(file, fc.integer({ min: 1, max: 120 }), async (body, segmentBytes) => {
        const path = join(dir, `${name}-${k++}.ndjson`);
        writeFileSync(path, body);
        const want = await oneThread(path, name);
        const got = await threaded(path, name, segmentBytes);
        if (!got) {
          // one thread is chosen only when the first segment holds a line the lane does not take
          expect(want!.rest).toBeDefined();
          expect(body.length - want!.rest!.length).toBeLessThan(segmentBytes);
          return;
        }
        threads++;
        if (got.rest !== undefined) handOvers++;
        expect(got).toEqual(want);
      }),
      { numRuns: 40 },
    );
    // the property ran the threads, and hand-overs among them
    expect(threads).toBeGreaterThan(10);
    expect(handOvers).toBeGreaterThan(0);
  });

  test('a binary file is refused before any output, as on one thread', async () => {
    const path = join(dir, 'nul.ndjson');
    writeFileSync(path, '[1,2]\n'.repeat(100) + '\0\n');
    const counter = { n: 0 };
    const written: Uint8Array[] = [];
    const job = { path, display: 'nul.ndjson', plan: planOf('sigmoid', counter), recipe: { activation: 'sigmoid', params: {} }, minBytes: 0, segmentBytes: 64, workerUrl: WORKER };
    await expect(runNdjsonFile(job, async (b) => void written.push(b))).rejects.toThrow(/nul\.ndjson: this looks like binary data \(a NUL byte at offset 600\)/);
    expect(written).toEqual([]);
  });

  test('busy cores keep the lane on one thread unless ACTIV_THREADS asks for threads', async () => {
    const path = join(dir, 'busy.ndjson');
    writeFileSync(path, '[1,2]\n'.repeat(100));
    const job = { path, display: path, plan: planOf('sigmoid', { n: 0 }), recipe: { activation: 'sigmoid', params: {} }, minBytes: 0, segmentBytes: 64, workerUrl: WORKER };
    const cores = availableParallelism();
    delete process.env.ACTIV_THREADS;
    try {
      machine.running = cores; // every core busy, ours among them
      expect(await runNdjsonFile(job, async () => undefined)).toBeUndefined();
      machine.running = cores - 1; // one idle
      const idle = await runNdjsonFile(job, async () => undefined);
      // on one core there are no threads to use whatever the load
      if (cores >= 2) expect(idle?.lines).toBe(100);
      process.env.ACTIV_THREADS = '2';
      machine.running = 1000;
      expect((await runNdjsonFile(job, async () => undefined))?.lines).toBe(100);
    } finally {
      machine.running = 1;
      process.env.ACTIV_THREADS = '3';
    }
  });

  test('a small file, or one thread asked for, stays on one thread', async () => {
    const path = join(dir, 'small.ndjson');
    writeFileSync(path, '[1,2]\n'.repeat(100));
    const plan = planOf('sigmoid', { n: 0 });
    const job = { path, display: path, plan, recipe: { activation: 'sigmoid', params: {} }, segmentBytes: 64, workerUrl: WORKER };
    expect(await runNdjsonFile(job, async () => undefined)).toBeUndefined();
    process.env.ACTIV_THREADS = '1';
    try {
      expect(await runNdjsonFile({ ...job, minBytes: 0 }, async () => undefined)).toBeUndefined();
    } finally {
      process.env.ACTIV_THREADS = '3';
    }
  });
});
