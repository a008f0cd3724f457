/**
 * In-process tests of the byte lane's TableSource: what it writes equals the general lane's
 * bytes when it hands over at a quote, a bad cell, an empty line or a row of another width, on a
 * file and on a one-shot stream (replayed), with line numbers continued in messages.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { onBothByteLanes } from './lanes.js';
import { beginTable, createOutput, openTable } from '../../../src/io/formats.js';
import { fileInput, Sink, textInput, type Input } from '../../../src/io/streams.js';
import type { OnInvalid, TablePlan } from '../../../src/io/table.js';
import { lookup } from '../../../src/kernels/registry.js';
import { alongRows } from '../../../src/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'activ-source-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Case {
  lane: 'auto' | 'general';
  name: string;
  params?: Record<string, unknown>;
  onInvalid?: OnInvalid;
}

async function run(input: Input, c: Case): Promise<{ out: string; error?: string }> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (b) => (out += b));
  const sink = new Sink(stream, 'out');
  const plan: TablePlan = {
    read: { onInvalid: c.onInvalid ?? 'fail', lane: c.lane },
    write: { nonfinite: 'null' },
    report: { note: () => {}, skipped: 0, nonfinite: 0 },
  };
  const step = alongRows(lookup(c.name).bind(c.params ?? {}), c.name, { activation: c.name, params: c.params ?? {} });
  let error: string | undefined;
  try {
    const source = await openTable({ input, format: 'csv' }, plan, 'one');
    const o = await createOutput(sink, plan, source.head);
    beginTable(o, source.head, step);
    await source.pass(step, o);
    o.writer.end();
    await source.close();
  } catch (e) {
    error = (e as Error).message;
  }
  await sink.finish(false);
  return { out, error };
}

function stream(text: string): Input {
  return { ...textInput(text, '<stdin>'), kind: 'stream', rereadable: false, text: undefined, path: '-' };
}

const numbers = Array.from({ length: 3000 }, (_, i) => `${i / 7},${-i},${i % 5}`);
const TEXTS: Record<string, string> = {
  'a quote far in': ['a,b,c', ...numbers.slice(0, 2000), '"1",2,3', ...numbers.slice(2000)].join('\n') + '\n',
  'an empty line': ['a,b,c', ...numbers.slice(0, 1500), '', ...numbers.slice(1500)].join('\n') + '\n',
  'a bad cell': ['a,b,c', ...numbers.slice(0, 2500), '1,x,3', ...numbers.slice(2500)].join('\n') + '\n',
  'a row of another width': ['a,b,c', ...numbers.slice(0, 10), '1,2', ...numbers.slice(10)].join('\n') + '\n',
  'a lone CR at the end': ['a,b,c', ...numbers.slice(0, 100)].join('\n') + '\r',
  'CRLF': ['a,b,c', ...numbers.slice(0, 100)].join('\r\n') + '\r\n',
};

onBothByteLanes(() => {
  describe('the byte lane source hands over to the general lane byte for byte', () => {
    for (const [what, text] of Object.entries(TEXTS)) {
      test.each<Case['onInvalid']>(['fail', 'skip'])(`${what}, --on-invalid %s`, async (onInvalid) => {
        const file = join(dir, what.replace(/ /g, '-') + '.csv');
        writeFileSync(file, text);
        const want = await run(fileInput(file), { lane: 'general', name: 'tanh', onInvalid });
        expect(await run(fileInput(file), { lane: 'auto', name: 'tanh', onInvalid })).toEqual(want);
        const wantStream = await run(stream(text), { lane: 'general', name: 'tanh', onInvalid });
        expect(await run(stream(text), { lane: 'auto', name: 'tanh', onInvalid })).toEqual(wantStream);
      });
    }

    test('a bad cell after the lane took the lines before it is reported at its own line', async () => {
      const r = await run(fileInput(join(dir, 'a-bad-cell.csv')), { lane: 'auto', name: 'relu' });
      expect(r.error).toBe(`${join(dir, 'a-bad-cell.csv')}:2502:2: not a number: 'x'`);
      expect(r.out.split('\n').length).toBe(2502); // header + 2500 rows + the empty string after the last newline
    });

    test('prelu: a row of another width stops the lane; the general lane words it with its line', async () => {
      const text = ['1,2', '3,4', '5,6,7', '8,9'].join('\n') + '\n';
      const file = join(dir, 'prelu.csv');
      writeFileSync(file, text);
      const c: Case = { lane: 'auto', name: 'prelu', params: { alpha: '0.1,0.2' } };
      const r = await run(fileInput(file), c);
      expect(r).toEqual(await run(fileInput(file), { ...c, lane: 'general' }));
      expect(r.error).toBe(`${file}:3: prelu has 2 alpha values (one per column) but this row has 3 selected values`);
      expect(r.out).toBe('1,2\n3,4\n');
    });
  });
});
