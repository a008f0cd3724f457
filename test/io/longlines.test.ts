/**
 * Tables with a long first line, streamed cell by cell (src/io/longlines.ts), must give what the
 * general lane gives: the same bytes, notes and error. Reads of a few bytes and a low "long"
 * threshold put chunk boundaries everywhere (inside cells, between CR and LF, in runs of blanks).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { fileInput } from '../../src/io/input.js';
import { longLinePlan, streamLongLines } from '../../src/io/longlines.js';
import { Sink } from '../../src/io/sink.js';
import { lookup } from '../../src/kernels/registry.js';
import { makePlan, runPipeline } from '../../src/pipeline/index.js';
import { rng } from '../support.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-longlines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Fmt = 'csv' | 'tsv' | 'text';
interface Outcome {
  out: string;
  notes: string[];
  error?: string;
}

async function general(path: string, format: Fmt, name: string): Promise<Outcome> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c) => (out += c));
  const sink = new Sink(stream, 'out');
  const notes: string[] = [];
  let error: string | undefined;
  try {
    const plan = makePlan({ spec: lookup(name), params: {}, from: format, note: (m) => notes.push(m) });
    await runPipeline([fileInput(path)], { ...plan, read: { ...plan.read, lane: 'general' } }, sink);
  } catch (e) {
    error = (e as Error).message;
  }
  await sink.finish(false).catch(() => undefined);
  return { out, notes, error };
}

async function streamed(path: string, format: Fmt, name: string, chunk: number): Promise<Outcome & { taken: boolean }> {
  const notes: string[] = [];
  const full = makePlan({ spec: lookup(name), params: {}, from: format, note: (m) => notes.push(m) });
  const plan = longLinePlan(fileInput(path), format, { kernel: full.kernel.kernel, read: full.read, write: full.write, note: (m) => notes.push(m) });
  expect(plan).toBeDefined();
  const parts: Buffer[] = [];
  let error: string | undefined;
  let taken = false;
  try {
    taken = await streamLongLines({ ...plan!, chunk, longLine: 16 }, { writeBytes: async (b) => void parts.push(Buffer.from(b)) });
  } catch (e) {
    error = (e as Error).message;
    taken = true;
  }
  return { out: Buffer.concat(parts).toString('utf8'), notes, error, taken };
}

function numberCell(r: () => number): string {
  const k = r();
  if (k < 0.4) return String((r() - 0.5) * 20);
  if (k < 0.6) return String(Math.round((r() - 0.5) * 200));
  if (k < 0.7) return (r() * 1e5).toExponential(3);
  return (r() * 10).toFixed(2);
}

/** A table whose first line is all numbers and long; later lines as people write them. */
function table(r: () => number, format: Fmt): string {
  const sep = format === 'csv' ? ',' : format === 'tsv' ? '\t' : ' ';
  const width = 4 + Math.floor(r() * 6);
  const eol = (): string => (r() < 0.3 ? '\r\n' : '\n');
  let s = r() < 0.1 ? '\uFEFF' : '';
  const first = Array.from({ length: width }, () => numberCell(r));
  s += (format === 'text' && r() < 0.3 ? '  ' : '') + first.join(format === 'text' && r() < 0.5 ? ' \t ' : sep) + eol();
  const lines = Math.floor(r() * 8);
  for (let i = 0; i < lines; i++) {
    const k = r();
    if (k < 0.1) {
      s += (format === 'text' ? '  ' : '') + eol(); // a blank line
      continue;
    }
    const w = k < 0.3 ? width + 1 + Math.floor(r() * 2) : Math.max(1, width - Math.floor(r() * 3));
    const cells = Array.from({ length: w }, () => numberCell(r));
    if (w > width && r() < 0.6) cells[w - 1] = 'label' + i; // a column first seen here, holding text
    if (format !== 'text' && r() < 0.1) cells[0] = `"${cells[0]}"`;
    if (r() < 0.04) cells[0] = 'oops'; // not a number in a selected column
    s += cells.join(sep) + (format === 'text' && r() < 0.3 ? '  ' : '') + eol();
  }
  if (r() < 0.3) s = s.replace(/\r?\n$/, '');
  return s;
}

describe('long first lines: streamed = general lane', () => {
  for (const format of ['csv', 'tsv', 'text'] as const) {
    for (const name of ['sigmoid', 'softmax']) {
      test(`${format}, ${name}: random tables, reads of 1 to 9 bytes`, async () => {
        const r = rng(format.length * 31 + name.length);
        for (let k = 0; k < 40; k++) {
          const path = join(dir, `t-${format}-${name}-${k}.${format === 'text' ? 'txt' : format}`);
          const text = table(r, format);
          writeFileSync(path, text);
          const want = await general(path, format, name);
          const got = await streamed(path, format, name, 1 + Math.floor(r() * 9));
          expect(got.taken, text).toBe(true);
          expect({ out: got.out, notes: got.notes, error: got.error }, JSON.stringify(text)).toEqual(want);
        }
      });
    }
  }

  test('a first line that is not all numbers is left to the usual lanes (nothing written)', async () => {
    const path = join(dir, 'header.csv');
    writeFileSync(path, 'a,b,c,d,e,f,g,h,i,j\n1,2,3,4,5,6,7,8,9,10\n');
    const got = await streamed(path, 'csv', 'sigmoid', 4);
    expect(got).toEqual({ out: '', notes: [], error: undefined, taken: false });
  });
});
