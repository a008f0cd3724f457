/**
 * Scale-out (#14): activ is a filter (one output row per input row, in order), so GNU parallel
 * can cut a file or a stream into blocks, run activ on each, and keep the order; with the header
 * given once to each block (--header :) and written by none (--header-out never), the joined
 * output is byte-identical to a single run. Skipped, with a note, where parallel is absent.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { activ, BIN, has, sh } from './spawn.js';

const tmp = mkdtempSync(join(tmpdir(), 'activ-parallel-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const ACTIV = `'${process.execPath}' '${BIN}'`;
const DATA = join(tmp, 'data.csv');
const PLAIN = join(tmp, 'plain.txt');
let available = false;

beforeAll(async () => {
  available = await has('parallel');
  if (!available) console.log('scale-out: skipped, GNU parallel is not installed (Debian: apt-get install parallel)');
  const lines = ['id,x,y,label'];
  const plain: string[] = [];
  for (let i = 0; i < 20_000; i++) {
    const x = ((i * 7919) % 20011) / 1000 - 10;
    lines.push(`r${i},${x},${(i % 97) / 7 - 7},${i % 3 ? 'a' : 'b'}`);
    plain.push(`${x} ${-x / 3}`);
  }
  writeFileSync(DATA, lines.join('\n') + '\n');
  writeFileSync(PLAIN, plain.join('\n') + '\n');
});

describe.concurrent('GNU parallel', { timeout: 180_000 }, () => {
  test('--pipepart over a file of many blocks: the same bytes as one run', async (ctx) => {
    if (!available) ctx.skip();
    const single = await activ(['sigmoid', '-c', '2-3', '--header', DATA]);
    expect(single.code).toBe(0);
    const r = await sh(
      `{ head -n 1 '${DATA}'; parallel --will-cite --pipepart -a '${DATA}' --header : --block 60k -k ${ACTIV} sigmoid -c 2-3 --header --header-out never; }`,
    );
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out.length).toBe(single.out.length);
    expect(r.out === single.out).toBe(true);
  });
  test('--pipe over a stream, softmax along rows, no header', async (ctx) => {
    if (!available) ctx.skip();
    const single = await activ(['softmax', PLAIN]);
    const r = await sh(`cat '${PLAIN}' | parallel --will-cite --pipe --block 30k -k ${ACTIV} softmax --from text`);
    expect(r.code).toBe(0);
    expect(r.out === single.out).toBe(true);
  });
  test('the blocks really were many: --header-out never leaves each block without its header', async (ctx) => {
    if (!available) ctx.skip();
    const r = await sh(`parallel --will-cite --pipepart -a '${DATA}' --header : --block 60k -k 'echo; ${ACTIV} linear -c 2-3 --header --header-out never | head -n 1'`);
    const firsts = r.out.split('\n').filter((l) => l !== '');
    expect(firsts.length).toBeGreaterThan(8);
    for (const l of firsts) expect(l).toMatch(/^r\d+,/);
  });
});
