/**
 * .npy files read whole as one tensor (activ check's reader, through readTensorFile): every
 * NumPy-written fixture gives NumPy's shape and C-order values, its float dtype, and .npz or a
 * broken file is a one-line ActivError.
 */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ActivError } from '../../src/errors.js';
import { fileInput } from '../../src/io/streams.js';
import { readTensorFile } from '../../src/io/tensor-file.js';
import { arrayPath, manifest, NPY_DIR } from './npy-fixtures.js';

const FLOAT_DTYPES: Record<string, string> = { f2: 'float16', f4: 'float32', f8: 'float64' };

describe('readTensorFile on .npy', () => {
  test.each(Object.keys(manifest.arrays))('%s: shape, C-order values and dtype as NumPy stored them', async (name) => {
    const fx = manifest.arrays[name];
    const t = await readTensorFile(fileInput(arrayPath(name)), {});
    expect(t.shape).toEqual(fx.shape);
    expect(Array.from(t.data)).toEqual(fx.values);
    expect(t.dtype).toBe(FLOAT_DTYPES[fx.descr.slice(1)]);
  });

  test('--from npy reads a file whatever its name', async () => {
    const t = await readTensorFile(fileInput(arrayPath('f8-le-f')), { from: 'npy' });
    expect(Array.from(t.data)).toEqual(manifest.arrays['f8-le-f'].values);
  });

  test('an .npz archive is refused in one line', async () => {
    await expect(readTensorFile(fileInput(join(NPY_DIR, 'compressed.npz')), {})).rejects.toThrow(/compressed\.npz: a \.npz archive holds several arrays/);
  });

  test.each(['truncated.npy', 'not-npy.npy', 'lying-shape.npy'])('%s: an ActivError naming the file', async (file) => {
    const run = readTensorFile(fileInput(join(NPY_DIR, 'bad', file)), {});
    await expect(run).rejects.toBeInstanceOf(ActivError);
    await expect(run).rejects.toThrow(new RegExp(`${file.replace('.', '\\.')}: .*${manifest.bad[file].replace(/[.()]/g, '\\$&')}`));
  });
});
