// src/io/tensor-file.ts: any format activ reads, whole, as {data, shape}.
import { describe, expect, it } from 'vitest';
import type { Input } from '../../src/io/streams.js';
import { readTensorFile } from '../../src/io/tensor-file.js';
import { ActivError } from '../../src/errors.js';

/** An in-memory file with a name, so the extension decides the format as for a real file. */
function memFile(name: string, text: string): Input {
  return {
    path: name,
    display: name,
    ext: name.slice(name.lastIndexOf('.') + 1),
    rereadable: true,
    async *chunks() {
      yield Buffer.from(text);
    },
  };
}

async function read(name: string, text: string): Promise<{ data: number[]; shape: readonly number[] }> {
  const t = await readTensorFile(memFile(name, text), {});
  return { data: [...t.data], shape: t.shape };
}

async function failure(name: string, text: string): Promise<ActivError> {
  try {
    await readTensorFile(memFile(name, text), {});
  } catch (e) {
    expect(e).toBeInstanceOf(ActivError);
    return e as ActivError;
  }
  throw new Error('expected an ActivError');
}

describe('readTensorFile', () => {
  it('a CSV table: header and text columns left out, rows by values', async () => {
    expect(await read('a.csv', 'id,x,y\na,1,2\nb,3,-0\n\nc,NaN,1e3\n')).toEqual({ data: [1, 2, 3, -0, NaN, 1000], shape: [3, 2] });
  });

  it('text, TSV and NDJSON rows', async () => {
    expect(await read('a.txt', '1 2 3\n4 5 6\n')).toEqual({ data: [1, 2, 3, 4, 5, 6], shape: [2, 3] });
    expect(await read('a.tsv', '1\t2\n')).toEqual({ data: [1, 2], shape: [1, 2] });
    expect(await read('a.ndjson', '[1,2]\n[3,4]\n')).toEqual({ data: [1, 2, 3, 4], shape: [2, 2] });
  });

  it('a JSON tensor keeps its shape; JSON records are a table', async () => {
    expect(await read('a.json', '[[[1],[2]],[[3],[4]]]')).toEqual({ data: [1, 2, 3, 4], shape: [2, 2, 1] });
    expect(await read('a.json', '2.5')).toEqual({ data: [2.5], shape: [] });
    expect(await read('a.json', '[{"x":1,"n":"a"},{"x":2,"n":"b"}]')).toEqual({ data: [1, 2], shape: [2, 1] });
  });

  it('rows of different lengths, and cells that are not numbers, are data errors naming the place', async () => {
    const ragged = await failure('r.csv', '1,2\n3\n');
    expect([ragged.kind, ragged.message]).toEqual(['data', 'r.csv:2: holds 1 values where the first data row holds 2: a tensor needs rows of equal length']);
    const bad = await failure('b.csv', '1,2\n3,x\n');
    expect([bad.kind, bad.message]).toEqual(['data', "b.csv:2:2: not a number: 'x'"]);
    const json = await failure('b.json', '[[1,"a"]]');
    expect(json.kind).toBe('data');
  });
});
