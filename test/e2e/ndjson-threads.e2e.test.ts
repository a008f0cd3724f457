/**
 * NDJSON files large enough for worker threads (src/io/jsonlane/ndjson-file.ts) give the same
 * stdout, stderr and exit code as ACTIV_THREADS=1: numeric lines, a line the lane leaves to the
 * general reader (an object, a CR) part way, bad data in the first segment, on a segment's first
 * line and at the very end (its line, and column where JSON.parse gives one, in the message), and non-finite values counted
 * in the note. Every other position is the in-process property's (test/io/ndjson-threads.test.ts).
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PARALLEL_MIN_BYTES } from '../../src/io/fastlane/run.js';
import { activ } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-ndjson-threads-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** About 12 MB of arrays of 1 to 8 numbers (the threads start at 8 MiB), as lines. */
const lines: string[] = [];
beforeAll(() => {
  for (let i = 0; i < 330_000; i++) {
    const n = 1 + (i % 8);
    const xs: string[] = [];
    for (let j = 0; j < n; j++) xs.push(String(((i * 7919 + j * 104729) % 200_003) / 10_000 - 10));
    lines.push(`[${xs.join(',')}]`);
  }
});

/** The file with some lines replaced: [line number (1-based), text]. */
function fileWith(name: string, edits: [number, string][] = [], lastLf = true): string {
  const copy = lines.slice();
  for (const [at, text] of edits) copy[at - 1] = text;
  const path = join(tmp, name);
  writeFileSync(path, copy.join('\n') + (lastLf ? '\n' : ''));
  expect(statSync(path).size).toBeGreaterThan(PARALLEL_MIN_BYTES + (3 << 20)); // threads, and segments past the third
  return path;
}

/** The first line of the k-th segment (k >= 1), as fastlane/parallel.ts cuts them: after the first LF at or past the last cut + 1 MiB. */
function segmentStartLine(k: number): number {
  let cut = 0;
  let line = 0;
  let at = 0; // offset of line `line` (0-based)
  for (let s = 0; s < k; s++) {
    while (at <= cut + (1 << 20)) at += lines[line++].length + 1;
    cut = at;
  }
  return line + 1;
}

async function same(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const one = await activ(args, { env: { ACTIV_THREADS: '1' } });
  const many = await activ(args, { env: { ACTIV_THREADS: '3' } });
  expect(many.err).toBe(one.err);
  expect(many.code).toBe(one.code);
  expect(many.out.length).toBe(one.out.length);
  expect(many.out === one.out).toBe(true);
  return one;
}

describe('NDJSON on worker threads against one thread', { timeout: 300_000 }, () => {
  test('sigmoid and softmax along rows: the same bytes', async () => {
    const path = fileWith('plain.ndjson');
    for (const name of ['sigmoid', 'softmax']) {
      const r = await same([name, path]);
      expect(r.code).toBe(0);
      expect(r.out.split('\n').length).toBe(lines.length + 1);
    }
  });

  test('the options the workers are told: --grad, --precision, --json-nonfinite string', async () => {
    const path = fileWith('options.ndjson', [[200_000, '[1000,-1]']]);
    for (const args of [['tanh', '--grad'], ['sigmoid', '--precision', '4'], ['exponential', '--json-nonfinite', 'string']]) {
      const r = await same([...args, path]);
      expect(r.code).toBe(0);
    }
  });

  test('an object and a CR part way: the general reader goes on from that line on either path', async () => {
    const path = fileWith('mixed.ndjson', [
      [200_000, '{"a":1}'],
      [200_001, '[0.5]\r'],
    ]);
    const r = await same(['tanh', path]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('\n{"a":0.7615941559557649}\n');
  });

  test('bad data in the first segment, on a segment start, and on a last line without LF: the same message and output so far', async () => {
    const segmentStart = segmentStartLine(3);
    const cases: [string, [number, string][], boolean, RegExp][] = [
      ['first.ndjson', [[3, '[1,2,oops]']], true, /first\.ndjson:3:(\d+:)? invalid JSON/],
      ['segment.ndjson', [[segmentStart, '[1,,2]']], true, new RegExp(`segment\\.ndjson:${segmentStart}:(\\d+:)? invalid JSON`)],
      ['last.ndjson', [[lines.length, '[1,2']], false, new RegExp(`last\\.ndjson:${lines.length}:(\\d+:)? invalid JSON`)],
    ];
    for (const [name, edits, lastLf, place] of cases) {
      const r = await same(['sigmoid', fileWith(name, edits, lastLf)]);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(place);
      expect(r.err.trim().split('\n')).toHaveLength(1);
    }
  });

  test('values that overflow are written as null and counted in the same note', async () => {
    const path = fileWith('big.ndjson', [
      [10, '[800,1]'],
      [150_000, '[1000]'],
      [329_000, '[710,-1]'],
    ]);
    const r = await same(['exponential', path]);
    expect(r.code).toBe(0);
    expect(r.out.match(/null/g)).toHaveLength(3);
    expect(r.err).toMatch(/\b3\b/);
  });
});
