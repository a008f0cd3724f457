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
