/**
 * The array I/O at its seam (src/io/arrays.ts), in-process, without the pipeline: runArrays and
 * passArray are handed value steps written here (doubling; "minus the vector's mean" along an
 * axis, with column passes), so the tests show the I/O cuts arrays where the step allows, reads
 * axes of C- and Fortran-order arrays right, hands big files to worker ranges only for runs cut
 * anywhere, and owns the .npz member choice and the JSON-to-array output.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { passArray, planWalk, type Limits } from '../../src/io/array-pass.js';
import { runArrays, type ArrayOut, type ArrayPlan, type ArrayValues, type Ranges } from '../../src/io/arrays.js';
import { ElementDecoder } from '../../src/io/npy-dtype.js';
import { decoded } from '../../src/io/npy.js';
import { memorySource } from '../../src/io/npy-source.js';
import { parseColumns } from '../../src/io/select.js';
import { fileInput, Sink, type Input } from '../../src/io/streams.js';
import type { Format } from '../../src/io/table.js';
import type { ColumnRun } from '../../src/kernels/spec.js';
import type { Tensor, ValueStep } from '../../src/tensor.js';
import { arrayPath, fortranToC, manifest, NPY_DIR } from './npy-fixtures.js';

/** Every value doubled: runs may be cut anywhere; `width` makes runs whole rows. */
function doubling(width?: number): ValueStep & { runs: [number, number][] } {
  const runs: [number, number][] = [];
  const run = (values: Float64Array, from: number, to: number): void => {
    runs.push([from, to]);
    for (let i = from; i < to; i++) values[i] *= 2;
  };
  const refuse = (): never => {
    throw new Error('a step that may be cut anywhere is handed runs only');
  };
  return {
    runs,
    anyRun: width === undefined,
    wholeVectors: false,
    axis: -1,
    width,
    keepsLength: true,
    alongRowsInPlace: width === undefined,
    outLength: (n) => n,
    run,
    vectorInto: refuse,
    strided: refuse,
    columns: () => undefined,
  };
}

/** Each vector along `axis` minus its mean: whole vectors, with a column run (one observing pass). */
function centring(axis: number): ValueStep {
  const centre = (get: (i: number) => number, set: (i: number, v: number) => void, n: number): void => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += get(i);
    for (let i = 0; i < n; i++) set(i, get(i) - sum / n);
  };
  const columns = (width: number): ColumnRun => {
    const sum = new Float64Array(width);
    let rows = 0;
    let passes = 0;
    return {
      wantsPass: () => passes === 0,
      observe(row, start) {
        for (let j = 0; j < width; j++) sum[j] += row[start + j];
        rows++;
      },
      endPass: () => void passes++,
      emit(row, start, out, outStart) {
        for (let j = 0; j < width; j++) out[outStart + j] = row[start + j] - sum[j] / rows;
      },
    };
  };
  return {
    anyRun: false,
    wholeVectors: true,
    axis,
    keepsLength: true,
    alongRowsInPlace: false,
    outLength: (n) => n,
    run: (v, from, to) => centre((i) => v[from + i], (i, x) => (v[from + i] = x), to - from),
    vectorInto: (src, dst, at) => {
      const copy = src.values.slice(src.from, src.from + src.n);
      centre((i) => copy[i], (i, x) => (dst[at + i] = x), src.n);
    },
    strided: (v, dst) => {
      const copy = Array.from({ length: v.n }, (_, i) => v.values[v.offset + i * v.stride]);
      centre((i) => copy[i], (i, x) => ((dst ?? v.values)[v.offset + i * v.stride] = x), v.n);
    },
    columns,
  };
}

/** The same, on a logical C-order tensor: the expected values. */
function centred(t: Tensor, axis: number): number[] {
  const a = axis < 0 ? axis + t.shape.length : axis;
  const n = t.shape[a];
  const inner = t.shape.slice(a + 1).reduce((x, y) => x * y, 1);
  const out = Array.from(t.data);
  for (let o = 0; o < t.data.length / (n * inner); o++) {
    for (let j = 0; j < inner; j++) {
      const at = (i: number): number => o * n * inner + i * inner + j;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += t.data[at(i)];
      for (let i = 0; i < n; i++) out[at(i)] = t.data[at(i)] - sum / n;
    }
  }
  return out;
}

function planOf(step: ValueStep, over: { to?: Format; columns?: string; tensor?: ArrayPlan['tensor'] } = {}): ArrayPlan {
  return {
    read: { onInvalid: 'fail', lane: 'auto', columns: over.columns === undefined ? undefined : parseColumns(over.columns) },
    write: { to: over.to, nonfinite: 'null' },
    report: { note: () => {}, skipped: 0, nonfinite: 0 },
    kernel: { name: 'test-step' },
    step,
    tensor:
      over.tensor ??
      (() => {
        throw new Error('no JSON here');
      }),
  };
}

async function run(input: Input, format: Format, plan: ArrayPlan): Promise<Buffer> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(Buffer.from(c)));
  const sink = new Sink(stream, 'out');
  await runArrays({ input, format }, plan, sink);
  await sink.finish(false);
  return Buffer.concat(parts);
}

/** An output .npy: its shape and its values in logical C order. */
function npyValues(bytes: Uint8Array): { shape: readonly number[]; values: number[] } {
  const h = memorySource(bytes, 'out').header;
  const data = new Float64Array(h.count);
  new ElementDecoder(h.dtype).decode(bytes.subarray(h.dataOffset), data);
  return { shape: h.shape, values: Array.from(h.fortran ? fortranToC(data, h.shape) : data) };
}

const tensorOf = (file: string): Tensor => ({ data: Float64Array.from(manifest.arrays[file].values), shape: manifest.arrays[file].shape });

describe('runArrays applies the step it is given', () => {
  test.each(['f8-r3-c', 'f8-r3-f', 'i2-r3-f', 'f8-r0', 'f8-empty'])('%s: a doubling step doubles every value, shape and order kept', async (file) => {
    const out = npyValues(await run(fileInput(arrayPath(file)), 'npy', planOf(doubling())));
    expect(out.shape).toEqual(manifest.arrays[file].shape);
    expect(out.values).toEqual(manifest.arrays[file].values.map((v) => v * 2));
  });

  test.each([
    ['f8-r3-c', 0],
    ['f8-r3-c', 1],
    ['f8-r3-c', -1],
    ['f8-r3-f', 0],
    ['f8-r3-f', 2],
    ['f8-r4-f', 1],
    ['f4-r3-f', -2],
  ])('%s: whole vectors along axis %i, C or Fortran order', async (file, axis) => {
    const out = npyValues(await run(fileInput(arrayPath(file)), 'npy', planOf(centring(axis), { to: 'npy' })));
    // a float input keeps its dtype: float32 results are rounded to it
    const round = manifest.arrays[file].descr === '<f4' ? Math.fround : (v: number): number => v;
    expect(out.values).toEqual(centred(tensorOf(file), axis).map(round));
  });

  test('an axis out of range is a data error before any output', async () => {
    await expect(run(fileInput(arrayPath('f8-r3-c')), 'npy', planOf(centring(3)))).rejects.toMatchObject({ kind: 'data' });
  });

  test('-c on a .npy file, and --to npz for one, are refused in one line', async () => {
    const input = fileInput(arrayPath('f8-r3-c'));
    await expect(run(input, 'npy', planOf(doubling(), { columns: 'a' }))).rejects.toThrow(/-c chooses arrays in .npz files/);
    await expect(run(input, 'npy', planOf(doubling(), { to: 'npz' }))).rejects.toThrow(/--to npz takes .npz or JSON objects/);
  });

  test('a 3-D array as csv is refused (2-D at most), as json it is nested arrays', async () => {
    const input = fileInput(arrayPath('f8-r3-c'));
    await expect(run(input, 'npy', planOf(doubling(), { to: 'csv' }))).rejects.toThrow(/3-D array cannot be written as csv/);
    const json = JSON.parse((await run(input, 'npy', planOf(doubling(), { to: 'json' }))).toString()) as number[][][];
    expect(json.flat(2)).toEqual(manifest.arrays['f8-r3-c'].values.map((v) => v * 2));
  });
});

describe('.npz archives and JSON documents', () => {
  const archive = fileInput(`${NPY_DIR}/arrays.npz`);

  test('-c chooses members; the others are passed through byte for byte', async () => {
    const original = unzipSync(readFileSync(`${NPY_DIR}/arrays.npz`));
    const out = unzipSync(await run(archive, 'npz', planOf(doubling(), { columns: 'a,c' })));
    expect(Object.keys(out).sort()).toEqual(['a.npy', 'b.npy', 'c.npy']);
    expect(Buffer.from(out['b.npy']).equals(Buffer.from(original['b.npy']))).toBe(true);
    for (const k of ['a', 'c']) expect(npyValues(out[`${k}.npy`]).values).toEqual(manifest.npz[k].values.map((v) => v * 2));
  });

  test('as JSON: an object of the chosen arrays; one array as csv needs one choice', async () => {
    const json = JSON.parse((await run(archive, 'npz', planOf(doubling(), { to: 'json', columns: 'c' }))).toString()) as Record<string, number[][]>;
    expect(json).toEqual({ c: [[-100, -86], [-72, -58]] });
    await expect(run(archive, 'npz', planOf(doubling(), { to: 'csv' }))).rejects.toThrow(/holds 3 arrays \(a, b, c\): choose one with -c NAME/);
    const csv = (await run(archive, 'npz', planOf(doubling(), { to: 'csv', columns: 'c' }))).toString();
    expect(csv).toBe('-100,-86\n-72,-58\n');
  });

  test('a JSON object written as .npz: numeric keys by default, each through the tensor service', async () => {
    const input: Input = {
      kind: 'stream',
      path: '-',
      display: 'doc.json',
      ext: 'json',
      rereadable: false,
      async *chunks() {
        yield Buffer.from('{"x": [[1, 2], [3, 4]], "name": "not numbers", "y": 5}');
      },
    };
    const seen: string[] = [];
    const tensor = (doc: unknown, where: string): Tensor => {
      seen.push(where);
      const flat = [doc].flat(2) as number[];
      return { data: Float64Array.from(flat, (v) => -v), shape: Array.isArray(doc) ? [2, 2] : [] };
    };
    const out = unzipSync(await run(input, 'json', planOf(doubling(), { to: 'npz', tensor })));
    expect(seen).toEqual(["doc.json: 'x'", "doc.json: 'y'"]);
    expect(npyValues(out['x.npy'])).toEqual({ shape: [2, 2], values: [-1, -2, -3, -4] });
    expect(npyValues(out['y.npy'])).toEqual({ shape: [], values: [-5] });
  });

  test('a table cannot be written as an array', async () => {
    await expect(run(fileInput('x.csv'), 'csv', planOf(doubling(), { to: 'npy' }))).rejects.toThrow(/a csv table cannot be written as npy yet/);
  });
});

/** Collects what a pass writes. */
class Collect implements ArrayOut {
  values: number[] = [];
  ended = false;
  async write(v: Float64Array, n: number): Promise<void> {
    this.values.push(...v.subarray(0, n));
  }
  async end(): Promise<void> {
    this.ended = true;
  }
}

describe('passArray', () => {
  const small: Limits = { chunk: 4, slab: 6 };

  test('column passes over slabs too big for memory, read at their place', async () => {
    for (const [file, axis] of [
      ['f8-r3-c', 0],
      ['f8-r3-f', 2],
      ['f8-r4-c', 0],
    ] as const) {
      const pass = { step: centring(axis), name: 'centre', limits: small };
      const source = memorySource(readFileSync(arrayPath(file)), file);
      const walk = planWalk(pass, source.header);
      expect(walk.random).toBe(true);
      const out = new Collect();
      await passArray(pass, walk, { values: decoded(source), out });
      const got = source.header.fortran ? fortranToC(out.values, walk.outShape) : out.values;
      expect(Array.from(got)).toEqual(centred(tensorOf(file), axis));
      expect(out.ended).toBe(true);
    }
  });

  test('column passes that read different values (the file changed between them): the changed-file error', async () => {
    const pass = { step: centring(0), name: 'centre', limits: small };
    const source = memorySource(readFileSync(arrayPath('f8-r3-c')), 'x.npy');
    const walk = planWalk(pass, source.header);
    expect(walk.random).toBe(true);
    const plain = decoded(source);
    let reads = 0;
    // shape [2, 3, 4] down axis 0: a slab of 2 rows of 12, read a row at a time (chunk 4), two
    // reads a pass; from the second pass on, one value reads differently
    const values: ArrayValues = {
      ...plain,
      at: async (from, dst) => {
        await plain.at!(from, dst);
        if (++reads === 4) dst[0] += 1;
      },
    };
    await expect(passArray(pass, walk, { values, out: new Collect() })).rejects.toThrow(
      'x.npy: the file changed while activ was reading it (between two passes over it); try again once it is complete',
    );
  });

  test('runs cut anywhere go to worker ranges when the values offer them; rows of `width` stay whole', async () => {
    const source = memorySource(readFileSync(arrayPath('f8-r3-c')), 'x');
    const offered: Ranges[] = [];
    const values: ArrayValues = { ...decoded(source), inRanges: async (r) => void offered.push(r) };
    const step = doubling(4);
    const pass = { step, name: 'prelu', limits: { chunk: 10, slab: 6 } };
    await passArray(pass, planWalk(pass, values), { values, out: new Collect() });
    expect(offered.map((r) => r.length)).toEqual([8]);
    // the main thread's share: read at the place, through the step
    const dst = new Float64Array(8);
    await offered[0].local(4, dst);
    expect(Array.from(dst)).toEqual(manifest.arrays['f8-r3-c'].values.slice(4, 12).map((v) => v * 2));
    expect(step.runs).toEqual([[0, 8]]);
  });

  test('whole vectors never go to worker ranges', async () => {
    const source = memorySource(readFileSync(arrayPath('f8-r3-c')), 'x');
    const values: ArrayValues = {
      ...decoded(source),
      inRanges: () => {
        throw new Error('offered to workers');
      },
    };
    const pass = { step: centring(-1), name: 'centre' };
    const out = new Collect();
    await passArray(pass, planWalk(pass, values), { values, out });
    expect(out.values).toEqual(centred(tensorOf('f8-r3-c'), -1));
  });

  test('a row parameter of the wrong width, and a Fortran-order array for one, are data errors', async () => {
    const c = memorySource(readFileSync(arrayPath('f8-r3-c')), 'c.npy');
    const f = memorySource(readFileSync(arrayPath('f8-r3-f')), 'f.npy');
    for (const [source, width, words] of [
      [c, 3, /3 alpha values given but the last axis has 4 elements/],
      [f, 4, /f.npy: prelu with one alpha per element of the last axis needs a C-order array/],
    ] as const) {
      const pass = { step: doubling(width), name: 'prelu' };
      const go = passArray(pass, planWalk(pass, source.header), { values: decoded(source), out: new Collect() });
      await expect(go).rejects.toThrow(ActivError);
      await expect(go).rejects.toThrow(words);
    }
  });
});
