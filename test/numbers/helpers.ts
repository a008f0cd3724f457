// Shared generators for the number-layer tests: reproducible random doubles of every kind.

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE ? 1 : 0;
const LO = LITTLE ? 0 : 1;

/** xorshift32 from a seed: the same sequence on every run, so a failure can be replayed. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** The double with the given high and low 32-bit words. */
export function fromBits(hi: number, lo: number): number {
  u32[HI] = hi >>> 0;
  u32[LO] = lo >>> 0;
  return f64[0];
}

/** Next double towards +Infinity (x finite). */
export function nextUp(x: number): number {
  if (x === 0) return 5e-324;
  f64[0] = x;
  let lo = u32[LO];
  let hi = u32[HI];
  if (x > 0) {
    lo = (lo + 1) >>> 0;
    if (lo === 0) hi++;
  } else {
    if (lo === 0) hi--;
    lo = (lo - 1) >>> 0;
  }
  return fromBits(hi, lo);
}

/** Next double towards -Infinity (x finite). */
export function nextDown(x: number): number {
  return -nextUp(-x);
}

/** A mix of doubles: random bit patterns (every exponent, subnormals), CSV-like values,
 *  sigmoid outputs, short decimals, values around the layout switches and around 2^53. */
export function randomDoubles(count: number, seed: number): Float64Array {
  const r = rng(seed);
  const xs = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    let x: number;
    switch (i % 6) {
      case 0:
        x = fromBits(r(), r());
        break;
      case 1:
        x = (r() / 4294967296) * 200 - 100;
        break;
      case 2:
        x = 1 / (1 + Math.exp(-((r() / 4294967296) * 80 - 40)));
        break;
      case 3:
        x = Number(`${(r() % 2000001) - 1000000}e${(r() % 50) - 30}`);
        break;
      case 4:
        x = (1 + r() / 4294967296) * 10 ** ((r() % 36) - 10);
        break;
      default:
        x = 2 ** 53 + (r() % 100000) * 2 ** (r() % 14);
    }
    xs[i] = x !== x ? 0.5 : x;
  }
  return xs;
}
