// ulp distance between two doubles: the number of representable doubles
// between them (ordinal distance via the IEEE-754 bit pattern). +0 and -0 are
// at distance 0 here; callers that care about the sign of zero check it
// themselves. NaN vs NaN is 0, NaN vs anything else is Infinity.
const F64 = new Float64Array(1);
const I64 = new BigInt64Array(F64.buffer);

function ordinal(x: number): bigint {
  F64[0] = x;
  const b = I64[0]!;
  // Map the sign-magnitude pattern to a monotone integer line (+0 and -0 -> 0).
  return b < 0n ? -(b & 0x7fffffffffffffffn) : b;
}

export function ulpDistance(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** Parse a fixture string: repr(float), "NaN", "Infinity", "-Infinity", "-0". */
export function parseDouble(s: string): number {
  return Number(s);
}

/**
 * Distance for the reference bounds; Infinity for any mismatch that is not a rounding error:
 * NaN must match NaN, a zero reference exactly (sign included), an infinite one exactly.
 */
export function errorUlp(got: number, want: number): number {
  if (typeof got !== 'number') return Infinity;
  if (Number.isNaN(want) || Number.isNaN(got)) return Number.isNaN(want) && Number.isNaN(got) ? 0 : Infinity;
  if (want === 0) return Object.is(got, want) ? 0 : got === 0 ? Infinity : ulpDistance(got, want);
  if (!Number.isFinite(want) || !Number.isFinite(got)) return got === want ? 0 : Infinity;
  return ulpDistance(got, want);
}
