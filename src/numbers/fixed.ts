/**
 * --decimals N: a double written with exactly N digits after the point, rounded half to even on
 * its exact binary value, never in scientific notation.
 *
 * toFixed already rounds the exact value (ECMA-262 Number.prototype.toFixed), but breaks ties away
 * from zero and turns to exponent form from 1e21 on. A tie is rare and cheap to spot: x lies
 * exactly halfway between two N-digit decimals iff x * 2^(N+1) is an integer and x * 2^N is not
 * (x = a / 2^k with a odd is a tie iff k = N + 1). Both products are exact: scaling by a power of
 * two only moves the exponent, and a double with a fraction is below 2^52.
 */

/** The largest N: toFixed's own limit. */
export const MAX_DECIMALS = 100;

/** x with exactly `decimals` digits after the point (none and no point for 0); NaN and ±Infinity as String(x). */
export function formatFixed(x: number, decimals: number): string {
  if (x !== x || x === Infinity || x === -Infinity) return String(x);
  const negative = x < 0 || (x === 0 && 1 / x < 0);
  const a = Math.abs(x);
  const digits = a >= 1e21 ? BigInt(a).toString() + (decimals > 0 ? '.' + '0'.repeat(decimals) : '') : fixedAbs(a, decimals);
  return negative ? '-' + digits : digits;
}

/** a >= 0 and below 1e21 (toFixed's plain range). */
function fixedAbs(a: number, decimals: number): string {
  const up = a.toFixed(decimals);
  const scale = 2 ** decimals;
  if (!Number.isInteger(a * scale * 2) || Number.isInteger(a * scale)) return up;
  // A tie: toFixed went away from zero; the exact truncation is toFixed(N + 1) less its final 5.
  const longer = a.toFixed(decimals + 1);
  const down = longer.slice(0, decimals === 0 ? -2 : -1);
  const lastDown = down.charCodeAt(down.length - 1) - 48;
  return lastDown % 2 === 0 ? down : up;
}
