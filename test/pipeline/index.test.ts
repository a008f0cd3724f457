import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { Sink, textInput } from '../../src/io/streams.js';
import { parseColumns } from '../../src/io/select.js';
import { lookup } from '../../src/kernels/registry.js';
import { makePlan, runPipeline, type PlanChoices } from '../../src/pipeline/index.js';

async function run(name: string, text: string, over: Partial<PlanChoices> = {}, params: Record<string, unknown> = {}): Promise<{ out: string; notes: string[] }> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (c) => (out += c));
  const sink = new Sink(stream, 'out');
  const notes: string[] = [];
  const input = { ...textInput(text, 't'), kind: 'stream' as const, text: undefined, path: 't' };
  await runPipeline([input], makePlan({ spec: lookup(name), params, note: (m) => notes.push(m), ...over }), sink);
  await sink.finish(false);
  return { out, notes };
}

describe('runPipeline', () => {
  const rows: number[][] = [];
  for (let i = 0; i < 3000; i++) rows.push([Math.sin(i) * 30, i % 17, -i / 100]);
  const csv = 'a,b,c\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
  const json = JSON.stringify(rows);

  test.each(['softmax', 'log_softmax', 'softmin', 'sparsemax', 'glu'])('%s down columns of a streamed table equals the in-memory tensor', async (name) => {
    const table = await run(name, name === 'glu' ? csv.replace(/^a,b,c\n/, 'a,b,c\n') : csv, { from: 'csv' }, { axis: 0 });
    const tensor = await run(name, json, { from: 'json', to: 'csv' }, { axis: 0 });
    expect(table.out).toBe('a,b,c\n' + tensor.out);
  });

  test('blocks of more than 1024 rows keep order and count', async () => {
    const r = await run('linear', csv, { from: 'csv' });
    expect(r.out).toBe(csv);
  });

  test('prelu needs one alpha per selected column', async () => {
    await expect(run('prelu', '1,2,3\n', { from: 'csv' }, { alpha: '0.1,0.2' })).rejects.toThrow(/t:1: prelu has 2 alpha values \(one per column\) but this row has 3 selected values/);
    expect((await run('prelu', '-1,-2,x\n', { from: 'csv', columns: parseColumns('1-2') }, { alpha: '0.1,0.2' })).out).toBe('-0.1,-0.4,x\n');
  });

  test('a text column is announced once; a later longer row announces its new column', async () => {
    const r = await run('relu', 'n,1\nm,-1,z\n', { from: 'csv' });
    expect(r.out).toBe('n,1\nm,0,z\n');
    expect(r.notes).toEqual([
      't: column 1 holds text in the first data row: passed through (choose columns with -c)',
      't: column 3 holds text in its first row (line 2): passed through (choose columns with -c)',
    ]);
  });
});
