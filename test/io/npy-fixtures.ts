// The NumPy-written fixtures (fixtures/npy, made by generate.py) and helpers the .npy tests share.
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const NPY_DIR = resolve(import.meta.dirname, '../../fixtures/npy');

export interface ArrayFixture {
  shape: number[];
  descr: string;
  fortran: boolean;
  version: string;
  /** Logical C order, as float64. */
  values: number[];
  /** Hex of the header np.save writes for the array activ writes back. */
  outHeader: string;
}

export interface Manifest {
  numpy: string;
  arrays: Record<string, ArrayFixture>;
  npz: Record<string, { shape: number[]; descr: string; values: number[] }>;
  bad: Record<string, string>;
}

// Non-finite values are stored as the strings "Infinity", "-Infinity", "NaN".
export const manifest = JSON.parse(readFileSync(join(NPY_DIR, 'manifest.json'), 'utf8'), (_, v) =>
  v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v === 'NaN' ? NaN : v,
) as Manifest;
export const arrayPath = (name: string): string => join(NPY_DIR, 'arrays', name + '.npy');

/** Storage order (Fortran: first index fastest) to C order; the expected side of every test is NumPy's own values. */
export { fortranToC } from '../../src/io/npy-tensor.js';
