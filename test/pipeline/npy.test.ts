/**
 * .npy arrays through the pipeline, checked against the in-memory tensor path (applyKernel on the
 * values NumPy stored): every fixture, every activation family, right shape, dtype and values,
 * headers byte for byte as np.save writes them. The streamed runs (chunks, row blocks, slabs,
 * column passes with positioned reads, stdin spilled) must agree bit for bit with it.
 */
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { ElementDecoder, encodeInto, parseDescr, type NpyDtype } from '../../src/io/npy-dtype.js';
import { headerBytes } from '../../src/io/npy-header.js';
import { type ArrayOut } from '../../src/io/arrays.js';
import { passArray, planWalk, type Limits } from '../../src/io/array-pass.js';
import { decoded, outputDtype } from '../../src/io/npy.js';
import { memorySource, openNpy, type NpySource } from '../../src/io/npy-source.js';
import { fileInput, Sink, type Input } from '../../src/io/streams.js';
import { kernelInDtype } from '../../src/kernels/dtype.js';
import { lookup } from '../../src/kernels/registry.js';
import type { Kernel } from '../../src/kernels/spec.js';
import { makePlan, runPipeline, type PlanChoices } from '../../src/pipeline/index.js';
import { applyKernel, valueStep, type Tensor } from '../../src/tensor.js';
import { arrayPath, fortranToC, manifest, NPY_DIR } from '../io/npy-fixtures.js';

async function runBytes(inputs: Input[], over: Partial<PlanChoices> & { name: string }, params: Record<string, unknown> = {}): Promise<Buffer> {
  const stream = new PassThrough();
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(Buffer.from(c))); // a copy: the writer reuses its buffer once the write is done
  const sink = new Sink(stream, 'out');
  const { name, ...choices } = over;
  await runPipeline(inputs, makePlan({ spec: lookup(name), params, note: () => {}, ...choices }), sink);
  await sink.finish(false);
  return Buffer.concat(parts);
}

/** Values as the output dtype holds them. */
function rounded(d: NpyDtype, v: Float64Array): Float64Array {
  const bytes = new Uint8Array(v.length * d.size);
  encodeInto(d, v, bytes);
  const out = new Float64Array(v.length);
  new ElementDecoder(d).decode(bytes, out);
  return out;
}

/** Parse an output .npy: header and values in C order. */
function readNpy(bytes: Uint8Array): { source: NpySource; values: Float64Array } {
  const source = memorySource(bytes, 'out');
  const h = source.header;
  const data = new Float64Array(h.count);
  new ElementDecoder(h.dtype).decode(bytes.subarray(h.dataOffset), data);
  return { source, values: h.fortran ? fortranToC(data, h.shape) : data };
}

const CASES: [string, Record<string, unknown>][] = [
  ['sigmoid', {}],
  ['relu', { alpha: 0.1, max_value: 2 }],
  ['gelu', {}],
  ['elu', {}],
  ['softmax', {}],
  ['log_softmax', { axis: 0 }],
  ['softmin', { axis: 1 }],
  ['sparsemax', { axis: -1 }],
  ['glu', { axis: 0 }],
];

const expectedOf = (name: string, params: Record<string, unknown>, t: Tensor): Tensor | ActivError => {
  try {
    return applyKernel(lookup(name).bind(params), t, name);
  } catch (e) {
    if (e instanceof ActivError) return e;
    throw e;
  }
};

describe('every fixture through every activation family equals the in-memory tensor', () => {
  for (const [file, fx] of Object.entries(manifest.arrays)) {
    test.each(CASES)(`${file}: %s %o`, async (name, params) => {
      const expected = expectedOf(name, params, { data: Float64Array.from(fx.values), shape: fx.shape });
      const run = runBytes([fileInput(arrayPath(file))], { name, to: 'npy' }, params);
      if (expected instanceof ActivError) {
        await expect(run).rejects.toBeInstanceOf(ActivError);
        return;
      }
      const { source, values } = readNpy(await run);
      const dtype = outputDtype(parseDescr(fx.descr, file));
      expect(source.header.shape).toEqual(expected.shape);
      expect(source.header.fortran).toBe(fx.fortran);
      const out = await run;
      expect(out.subarray(0, source.header.dataOffset).toString('hex')).toBe(Buffer.from(headerBytes(dtype, fx.fortran, expected.shape)).toString('hex'));
      expect(Array.from(values)).toEqual(Array.from(rounded(dtype, expected.data)));
    });
  }
});

/** Collects what passArray writes. */
class Collect implements ArrayOut {
  parts: number[] = [];
  async write(v: Float64Array, n: number): Promise<void> {
    this.parts.push(...v.subarray(0, n));
  }
  async end(): Promise<void> {}
}

/** One array through the kernel's value step, as the I/O runs it, with small limits. */
async function run(r: { source: NpySource; kernel: Kernel; name: string; limits: Limits }, out: ArrayOut): Promise<void> {
  const pass = { step: valueStep(r.kernel), name: r.name, limits: r.limits };
  await passArray(pass, planWalk(pass, r.source.header), { values: decoded(r.source), out });
}

describe('small limits force every strategy: row blocks, slabs, column passes', () => {
  const limits = [
    { chunk: 1, slab: 1 },
    { chunk: 3, slab: 4 },
    { chunk: 5, slab: 1000 },
  ];
  const files = ['f8-r3-c', 'f8-r3-f', 'f4-r3-f', 'f8-r4-c', 'f8-r4-f', 'i2-r3-f', 'f8-le-c', 'f2-be-f'];
  const kernels: [string, Record<string, unknown>][] = [
    ['softmax', { axis: 0 }],
    ['softmax', { axis: 1 }],
    ['log_softmax', { axis: -1 }],
    ['softmin', { axis: 0 }],
    ['sparsemax', { axis: 0 }],
    ['glu', { axis: 0 }],
    ['prelu', { alpha: '0.1,0.2,0.3,0.4' }],
    ['sigmoid', {}],
  ];
  for (const file of files) {
    test.each(kernels)(`${file}: %s %o`, async (name, params) => {
      const fx = manifest.arrays[file];
      const kernel = lookup(name).bind(params);
      const expected = expectedOf(name, params, { data: Float64Array.from(fx.values), shape: fx.shape });
      for (const l of limits) {
        const source = memorySource(readFileSync(arrayPath(file)), file);
        const out = new Collect();
        const go = (): Promise<void> => run({ source, kernel, name, limits: l }, out);
        if (expected instanceof ActivError || (name === 'prelu' && fx.fortran)) {
          await expect(go()).rejects.toBeInstanceOf(ActivError);
          continue;
        }
        await go();
        const got = fx.fortran ? fortranToC(out.parts, expected.shape) : out.parts;
        expect(Array.from(got), JSON.stringify(l)).toEqual(Array.from(expected.data));
      }
    });
  }
});

describe('streams', () => {
  const file = arrayPath('f8-r3-c');
  const bytes = readFileSync(file);
  const streamInput = (size: number): Input => ({
    kind: 'stream',
    path: '-',
    display: '<stdin>',
    ext: '',
    rereadable: false,
    async *chunks() {
      for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
    },
  });

  test.each([1, 7, 64, 4096])('stdin in %i-byte pieces gives the file bytes', async (size) => {
    for (const [name, params] of [['sigmoid', {}], ['softmax', { axis: 1 }], ['softmax', { axis: 0 }]] as const) {
      const fromFile = await runBytes([fileInput(file)], { name, to: 'npy' }, params);
      const fromStream = await runBytes([streamInput(size)], { name, from: 'npy', to: 'npy' }, params);
      expect(fromStream.equals(fromFile)).toBe(true);
    }
  });

  test('the magic bytes select the format on stdin', async () => {
    const a = await runBytes([streamInput(100)], { name: 'linear' });
    expect(a.equals(bytes)).toBe(true);
  });

  test('stdin spilled to a temporary file for column passes gives the same values', async () => {
    const fx = manifest.arrays['f8-r3-c'];
    const kernel = lookup('softmax').bind({ axis: 0 });
    const expected = applyKernel(kernel, { data: Float64Array.from(fx.values), shape: fx.shape }, 'softmax');
    const opened = await openNpy(streamInput(10));
    expect(opened.at).toBeUndefined();
    const source = await opened.spill!();
    try {
      const limits = { chunk: 2, slab: 2 };
      expect(planWalk({ step: valueStep(kernel), name: 'softmax', limits }, source.header).random).toBe(true);
      const out = new Collect();
      await run({ source, kernel, name: 'softmax', limits }, out);
      expect(out.parts).toEqual(Array.from(expected.data));
    } finally {
      await source.close();
    }
  });

  test('a second array into the same .npy output is refused', async () => {
    await expect(runBytes([fileInput(file), fileInput(file)], { name: 'relu', to: 'npy' })).rejects.toThrow(/holds one array/);
  });
});

describe('.npz', () => {
  for (const archive of ['arrays.npz', 'compressed.npz']) {
    test(`${archive}: each array transformed, names kept, -c chooses`, async () => {
      const { parseColumns } = await import('../../src/io/select.js');
      const { unzipSync } = await import('fflate');
      const input = fileInput(`${NPY_DIR}/${archive}`);
      const out = unzipSync(await runBytes([input], { name: 'sigmoid', columns: parseColumns('a,c') }));
      expect(Object.keys(out).sort()).toEqual(['a.npy', 'b.npy', 'c.npy']);
      for (const [k, fx] of Object.entries(manifest.npz)) {
        const { source, values } = readNpy(out[`${k}.npy`]);
        expect(source.header.shape).toEqual(fx.shape);
        if (k === 'b') {
          // Not chosen: passed through byte for byte.
          expect(source.header.dtype.size).toBe(4);
          expect(Array.from(values)).toEqual(fx.values);
        } else {
          const want = applyKernel(lookup('sigmoid').bind({}), { data: Float64Array.from(fx.values), shape: fx.shape }, 'sigmoid');
          expect(Array.from(values)).toEqual(Array.from(want.data));
        }
      }
    });
  }
});

describe('--dtype', () => {
  test.each([
    ['float32', '<f4'],
    ['float16', '<f2'],
    ['bfloat16', '<f4'],
  ] as const)('%s: the .npy output is %s holding the dtype-rounded results of the dtype-rounded inputs', async (dtype, descr) => {
    for (const [file, name, params] of [
      ['f8-le-c', 'gelu', {}],
      ['f8-r3-f', 'softmax', { axis: 1 }],
      ['i4-be-c', 'sigmoid', {}],
    ] as const) {
      const fx = manifest.arrays[file];
      const kernel = kernelInDtype(lookup(name).bind(params), dtype);
      const want = applyKernel(kernel, { data: Float64Array.from(fx.values), shape: fx.shape }, name);
      const got = readNpy(await runBytes([fileInput(arrayPath(file))], { name, kernel, dtype, to: 'npy' }));
      expect(got.source.header.dtype).toEqual(parseDescr(descr, 'x'));
      expect(Array.from(got.values)).toEqual(Array.from(want.data));
    }
  });
});
