/**
 * The .npy header (NumPy's numpy/lib/format.py): the magic '\x93NUMPY', a version (1.0, 2.0,
 * 3.0), the header's length (2 bytes for 1.0, 4 for 2.0 and 3.0), and a Python dict literal
 * {'descr': ..., 'fortran_order': ..., 'shape': (...), } padded with spaces and a '\n' so the data
 * starts on a 64-byte boundary. Parsed with a small literal reader (never evaluated), and written
 * exactly as np.save writes it, so `np.load` reads it and an unchanged array round-trips byte for byte.
 */
import { ActivError } from '../errors.js';
import { descrOf, parseDescr, type NpyDtype } from './npy-dtype.js';

export const MAGIC = Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]); // \x93NUMPY
const ARRAY_ALIGN = 64;
/** np.save leaves room for the growth axis to reach this many digits (numpy >= 1.24). */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** Elements beyond 2^53 cannot be counted exactly in a double. */
const MAX_ELEMENTS = 2 ** 53;

export interface NpyHeader {
  readonly version: string;
  readonly dtype: NpyDtype;
  readonly fortran: boolean;
  readonly shape: readonly number[];
  /** Bytes before the data: magic, version, length, dict, padding. */
  readonly dataOffset: number;
  /** Elements in the array (the product of shape; 1 for 0-d). */
  readonly count: number;
  /** count * itemsize. */
  readonly dataBytes: number;
}

export function hasMagic(head: Uint8Array): boolean {
  if (head.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) if (head[i] !== MAGIC[i]) return false;
  return true;
}

/**
 * How many bytes the whole header takes, from its first 12 bytes (or fewer at a short file):
 * checks the magic and the version.
 */
export function headerLength(prefix: Uint8Array, where: string): number {
  if (!hasMagic(prefix)) {
    throw new ActivError(`${where}: not a .npy file (it does not start with \\x93NUMPY)`, 'data');
  }
  if (prefix.length < 10) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
  const major = prefix[6];
  const minor = prefix[7];
  if (minor !== 0 || major < 1 || major > 3) {
    throw new ActivError(`${where}: .npy format version ${major}.${minor} is not supported (1.0, 2.0 and 3.0 are)`, 'data');
  }
  if (major === 1) return 10 + (prefix[8] | (prefix[9] << 8));
  if (prefix.length < 12) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
  return 12 + (prefix[8] | (prefix[9] << 8) | (prefix[10] << 16)) + prefix[11] * 2 ** 24;
}

/** Parse a whole header (its bytes from the magic to the '\n' before the data). */
export function parseHeader(bytes: Uint8Array, where: string): NpyHeader {
  const total = headerLength(bytes, where);
  if (bytes.length < total) throw new ActivError(`${where}: truncated .npy file: the header ends early`, 'data');
  const major = bytes[6];
  const start = major === 1 ? 10 : 12;
  const body = bytes.subarray(start, total);
  const text = major === 3 ? new TextDecoder('utf-8').decode(body) : latin1(body);
  const dict = readLiteral(text, where);
  if (dict === null || typeof dict !== 'object' || Array.isArray(dict) || dict instanceof Tuple) {
    throw new ActivError(`${where}: .npy header is not a dictionary`, 'data');
  }
  const keys = Object.keys(dict).sort();
  if (keys.join() !== 'descr,fortran_order,shape') {
    throw new ActivError(`${where}: .npy header has keys ${keys.map((k) => `'${k}'`).join(', ') || 'none'}; expected 'descr', 'fortran_order', 'shape'`, 'data');
  }
  const d = dict as Record<string, unknown>;
  const dtype = parseDescr(d.descr instanceof Tuple ? d.descr.items : d.descr, where);
  if (typeof d.fortran_order !== 'boolean') {
    throw new ActivError(`${where}: .npy header: fortran_order is not True or False`, 'data');
  }
  if (!(d.shape instanceof Tuple) || !d.shape.items.every((x) => typeof x === 'bigint' && x >= 0n)) {
    throw new ActivError(`${where}: .npy header: shape is not a tuple of non-negative integers`, 'data');
  }
  const dims = d.shape.items as bigint[];
  let count = 1n;
  for (const x of dims) count *= x;
  if (count > BigInt(MAX_ELEMENTS) || dims.some((x) => x > BigInt(MAX_ELEMENTS))) {
    throw new ActivError(`${where}: .npy header: shape ${shapeRepr(dims)} has more than 2^53 elements`, 'data');
  }
  const shape = dims.map(Number);
  const n = Number(count);
  return { version: `${major}.0`, dtype, fortran: d.fortran_order, shape, dataOffset: total, count: n, dataBytes: n * dtype.size };
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode(...b.subarray(i, i + 8192));
  return s;
}

/** A Python tuple in the header (a JS array stands for a list, which only structured dtypes use). */
class Tuple {
  constructor(readonly items: unknown[]) {}
}

/** Python's repr of a shape tuple: (), (3,), (2, 3). */
export function shapeRepr(shape: readonly (number | bigint)[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The header bytes np.save writes for an array of this dtype, order and shape. */
export function headerBytes(dtype: NpyDtype, fortran: boolean, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descrOf(dtype)}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': ${shapeRepr(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(shape[fortran ? shape.length - 1 : 0]).length));
  // Version 1.0 when the length fits in 2 bytes, else 2.0 (the dict is ASCII, so 3.0 is never needed).
  for (const [major, lenBytes] of [[1, 2], [2, 4]] as const) {
    const hlen = dict.length + 1;
    const pad = ARRAY_ALIGN - ((MAGIC.length + 2 + lenBytes + hlen) % ARRAY_ALIGN);
    const bodyLen = hlen + pad;
    if (lenBytes === 2 && bodyLen > 0xffff) continue;
    const out = new Uint8Array(MAGIC.length + 2 + lenBytes + bodyLen);
    out.set(MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    new DataView(out.buffer).setUint32(8, bodyLen, true); // the 1.0 length is the low 2 of these bytes
    const p = 8 + lenBytes;
    for (let i = 0; i < dict.length; i++) out[p + i] = dict.charCodeAt(i);
    out.fill(0x20, p + dict.length, out.length - 1);
    out[out.length - 1] = 0x0a;
    return out;
  }
  throw new Error('unreachable: a header fits in version 2.0');
}

// ---------------------------------------------------------------------------------------------
// A reader for the Python literals a header holds: dicts, tuples, lists, strings, ints, True,
// False, None. Anything else is an error; nothing is ever evaluated.

function readLiteral(text: string, where: string): unknown {
  let p = 0;
  const fail = (what: string): never => {
    throw new ActivError(`${where}: .npy header is not a Python literal (${what} at ${p})`, 'data');
  };
  const ws = (): void => {
    while (p < text.length && /\s/.test(text[p])) p++;
  };
  const value = (depth: number): unknown => {
    if (depth > 32) fail('nesting too deep');
    ws();
    const c = text[p];
    if (c === '{') {
      p++;
      const out: Record<string, unknown> = Object.create(null);
      for (;;) {
        ws();
        if (text[p] === '}') return p++, out;
        const k = value(depth + 1);
        if (typeof k !== 'string') fail('a key that is not a string');
        ws();
        if (text[p++] !== ':') fail("a missing ':'");
        out[k as string] = value(depth + 1);
        ws();
        if (text[p] === ',') p++;
        else if (text[p] !== '}') fail("a missing ','");
      }
    }
    if (c === '(' || c === '[') {
      const close = c === '(' ? ')' : ']';
      p++;
      const items: unknown[] = [];
      for (;;) {
        ws();
        if (text[p] === close) {
          p++;
          return c === '(' ? new Tuple(items) : items;
        }
        items.push(value(depth + 1));
        ws();
        if (text[p] === ',') p++;
        else if (text[p] !== close) fail("a missing ','");
      }
    }
    if (c === "'" || c === '"') {
      const q = text.indexOf(c, p + 1);
      if (q < 0) fail('an unterminated string');
      const s = text.slice(p + 1, q);
      if (s.includes('\\')) fail('an escape in a string');
      p = q + 1;
      return s;
    }
    const m = /^(?:(-?\d+)L?|True|False|None)/.exec(text.slice(p, p + 40));
    if (!m) return fail('an unexpected character');
    p += m[0].length;
    if (m[1] !== undefined) return BigInt(m[1]);
    return m[0] === 'True' ? true : m[0] === 'False' ? false : null;
  };
  const v = value(0);
  ws();
  if (p !== text.length) fail('text after the dictionary');
  return v;
}
