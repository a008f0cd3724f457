/**
 * A .npy array read whole as one tensor (for `activ check`, through tensor-file.ts): values in C
 * order whatever the file's order, its shape, and its float dtype when it has one.
 */
import { ActivError } from '../errors.js';
import type { Dtype } from '../numbers/dtype.js';
import { ElementDecoder, type NpyDtype } from './npy-dtype.js';
import { openNpy } from './npy-source.js';
import type { Input } from './streams.js';
import type { TensorFile } from './tensor-file.js';

/** Elements decoded per read: bounds the byte buffer for big arrays. */
const CHUNK = 1 << 16;

/** The dtype a float array declares; integers and bool declare none (float64 is assumed). */
function declaredDtype(d: NpyDtype): Dtype | undefined {
  if (d.kind !== 'f') return undefined;
  return d.size === 2 ? 'float16' : d.size === 4 ? 'float32' : 'float64';
}

/** Storage order (Fortran: first index fastest) to C order. */
export function fortranToC(values: ArrayLike<number>, shape: readonly number[]): Float64Array {
  const out = new Float64Array(values.length);
  const rank = shape.length;
  const idx = new Array<number>(rank).fill(0);
  for (let k = 0; k < out.length; k++) {
    let f = 0;
    for (let d = rank - 1; d >= 0; d--) f = f * shape[d] + idx[d];
    out[k] = values[f];
    for (let d = rank - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

export async function readNpyTensor(input: Input): Promise<TensorFile> {
  const source = await openNpy(input);
  try {
    const h = source.header;
    const data = new Float64Array(h.count);
    const decoder = new ElementDecoder(h.dtype);
    for (let at = 0; at < h.count; at += CHUNK) {
      const n = Math.min(CHUNK, h.count - at);
      decoder.decode(await source.next(n * h.dtype.size), data.subarray(at, at + n));
    }
    return { data: h.fortran ? fortranToC(data, h.shape) : data, shape: h.shape, dtype: declaredDtype(h.dtype) };
  } finally {
    await source.close();
  }
}

/** A .npz archive holds several arrays; a whole-tensor reader takes one. */
export function refuseArchive(input: Input): never {
  throw new ActivError(`${input.display}: a .npz archive holds several arrays: save the one to compare with np.save (.npy)`);
}
