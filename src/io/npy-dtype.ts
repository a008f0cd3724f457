/**
 * The element types of a .npy array that activ reads and writes: float16/32/64, int8..64,
 * uint8..64 and bool, either byte order. Owns the descr strings ('<f8', '|b1', '>i4'), and
 * decoding raw bytes into float64 and encoding float64 back into bytes.
 */
import { ActivError } from '../errors.js';
import { fromFloat16Bits, toFloat16Bits } from '../numbers/dtype.js';

export type DtypeKind = 'f' | 'i' | 'u' | 'b';

export interface NpyDtype {
  readonly kind: DtypeKind;
  /** Bytes per element: 1, 2, 4 or 8. */
  readonly size: number;
  /** Byte order of the stored elements (1-byte types: true). */
  readonly little: boolean;
}

const SIZES: Record<DtypeKind, readonly number[]> = { f: [2, 4, 8], i: [1, 2, 4, 8], u: [1, 2, 4, 8], b: [1] };
const NAMES: Record<DtypeKind, string> = { f: 'float', i: 'int', u: 'uint', b: 'bool' };

export const FLOAT64: NpyDtype = Object.freeze({ kind: 'f', size: 8, little: true });

/** The descr np.save writes for a dtype: '<f8', '>f4', '|u1', '|b1'. */
export function descrOf(d: NpyDtype): string {
  return `${d.size === 1 ? '|' : d.little ? '<' : '>'}${d.kind}${d.size}`;
}

/** 'float32', 'uint8', 'bool', for messages. */
export function dtypeName(d: NpyDtype): string {
  return d.kind === 'b' ? 'bool' : `${NAMES[d.kind]}${d.size * 8}`;
}

/**
 * The dtype a header's descr names, or an ActivError (kind 'data') saying why activ refuses it.
 * Never evaluates anything: object arrays are refused by their descr before any data is read.
 */
export function parseDescr(descr: unknown, where: string): NpyDtype {
  if (typeof descr !== 'string') {
    throw new ActivError(`${where}: structured dtype (a list of named fields) is not supported: activ reads arrays of plain numbers`, 'data');
  }
  const m = /^([<>|=]?)([a-zA-Z?])(\d*)$/.exec(descr);
  if (m && (m[2] === 'O' || m[2] === 'V' && m[3] === '')) {
    throw new ActivError(`${where}: object array ('${descr}', pickled Python objects) refused: activ never unpickles; save a numeric array`, 'data');
  }
  const kind = m?.[2] === '?' ? 'b' : (m?.[2] as DtypeKind | undefined);
  const size = m?.[2] === '?' ? 1 : Number(m?.[3]);
  if (!m || !kind || !(kind in SIZES) || !SIZES[kind].includes(size)) {
    throw new ActivError(
      `${where}: dtype '${descr}' is not supported: activ reads float16/32/64, int8/16/32/64, uint8/16/32/64 and bool`,
      'data',
    );
  }
  return { kind, size, little: size === 1 || m[1] !== '>' };
}

// float16 -> float64 by table (65536 entries, built on first use): faster than decoding bits per element.
let HALF: Float64Array | undefined;
function halfTable(): Float64Array {
  if (!HALF) {
    HALF = new Float64Array(65536);
    for (let h = 0; h < 65536; h++) HALF[h] = fromFloat16Bits(h);
  }
  return HALF;
}

/** Swap each element's bytes in place (big <-> little endian). */
export function swapBytes(b: Uint8Array, size: number, count: number): void {
  if (size === 1) return;
  const n = size * count;
  for (let p = 0; p < n; p += size) {
    for (let i = 0, j = p + size - 1, k = p; i < size >> 1; i++, j--, k++) {
      const t = b[k];
      b[k] = b[j];
      b[j] = t;
    }
  }
}

/**
 * Decodes elements of one dtype into float64. Keeps an 8-byte-aligned scratch buffer, since the
 * bytes may sit at any offset (and big-endian ones are swapped there first).
 */
export class ElementDecoder {
  private scratch = new ArrayBuffer(0);
  constructor(readonly dtype: NpyDtype) {}

  /** dst[i] = element i of `bytes`, for every element of dst (bytes holds dst.length elements). */
  decode(bytes: Uint8Array, dst: Float64Array): void {
    const d = this.dtype;
    const count = dst.length;
    const n = count * d.size;
    if (this.scratch.byteLength < n) this.scratch = new ArrayBuffer(Math.max(n, this.scratch.byteLength * 2));
    const scratch = this.scratch;
    const raw = new Uint8Array(scratch, 0, n);
    raw.set(bytes.subarray(0, n));
    if (!d.little) swapBytes(raw, d.size, count);
    const view = typedView(d, scratch, count);
    if (d.kind === 'f' && d.size === 2) {
      const t = halfTable();
      const h = view as Uint16Array;
      for (let i = 0; i < count; i++) dst[i] = t[h[i]];
    } else if (d.size === 8 && d.kind !== 'f') {
      // int64/uint64: high word * 2^32 + low word, rounded once to the nearest double.
      const w = new Uint32Array(scratch, 0, count * 2);
      const signed = d.kind === 'i';
      for (let i = 0; i < count; i++) {
        const hi = signed ? w[2 * i + 1] | 0 : w[2 * i + 1];
        dst[i] = hi * 4294967296 + w[2 * i];
      }
    } else if (d.kind === 'b') {
      const u = view as Uint8Array;
      for (let i = 0; i < count; i++) dst[i] = u[i] ? 1 : 0;
    } else {
      dst.set(view as ArrayLike<number>);
    }
  }
}

function typedView(d: NpyDtype, buf: ArrayBuffer, count: number): ArrayLike<number> {
  if (d.kind === 'f') return d.size === 2 ? new Uint16Array(buf, 0, count) : d.size === 4 ? new Float32Array(buf, 0, count) : new Float64Array(buf, 0, count);
  if (d.kind === 'b') return new Uint8Array(buf, 0, count);
  if (d.kind === 'i') return d.size === 1 ? new Int8Array(buf, 0, count) : d.size === 2 ? new Int16Array(buf, 0, count) : new Int32Array(buf, 0, count * (d.size >> 2));
  return d.size === 1 ? new Uint8Array(buf, 0, count) : d.size === 2 ? new Uint16Array(buf, 0, count) : new Uint32Array(buf, 0, count * (d.size >> 2));
}

/** The float dtypes activ writes: float64, float32 or float16, in the given byte order. */
export function encodeInto(d: NpyDtype, src: Float64Array, out: Uint8Array): void {
  if (d.kind !== 'f') throw new Error(`encode: ${dtypeName(d)} is not an output dtype`);
  const count = src.length;
  const n = count * d.size;
  // Typed arrays need aligned offsets: encode in place when aligned, else through a copy.
  const aligned = out.byteOffset % d.size === 0;
  const target = aligned ? out : new Uint8Array(n);
  if (d.size === 8) new Float64Array(target.buffer, target.byteOffset, count).set(src);
  else if (d.size === 4) new Float32Array(target.buffer, target.byteOffset, count).set(src);
  else {
    const h = new Uint16Array(target.buffer, target.byteOffset, count);
    for (let i = 0; i < count; i++) h[i] = toFloat16Bits(src[i]);
  }
  if (!aligned) out.set(target);
  if (!d.little) swapBytes(out.subarray(0, n), d.size, count);
}
